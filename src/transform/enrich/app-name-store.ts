// Application names learnt from Microsoft Graph, kept on disk so that a restart does not ask Graph
// again: a small SQLite file (mode 0600, beside the ledger by default), one row per tenant and
// application id. An id Graph does not know is kept too (name NULL), so it is not asked for on every
// record. Rows carry the time they were learnt; the caller decides when one is stale.
import Database, { type Database as SqliteDatabase } from 'better-sqlite3';
import { createPrivateFile, restrictToOwner } from '../../state/files.js';

export interface StoredAppName {
  tenantId: string;
  appId: string;
  /** null: Graph answered that the tenant has no such application. */
  name: string | null;
  /** Epoch ms. */
  learntAt: number;
}

export interface AppNameStore {
  all(): StoredAppName[];
  save(entry: StoredAppName): void;
  close(): void;
}

export function openAppNameStore(path: string): AppNameStore {
  let db: SqliteDatabase;
  try {
    createPrivateFile(path);
    restrictToOwner(path);
    db = new Database(path);
    // WAL lets a `transform` run read while the collector writes; a lost last row costs one Graph call.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 2000');
    db.exec(`CREATE TABLE IF NOT EXISTS app_names (
      tenant_id TEXT NOT NULL,
      app_id TEXT NOT NULL,
      name TEXT,
      learnt_at INTEGER NOT NULL,
      PRIMARY KEY (tenant_id, app_id)
    ) WITHOUT ROWID`);
  } catch (error) {
    throw new Error(
      `cannot open the application name cache ${path} (${(error as Error).message}) — set enrich.app_names.cache_path to a writable file, or enrich.app_names.enabled=false`,
      { cause: error },
    );
  }
  const select = db.prepare<[], { tenant_id: string; app_id: string; name: string | null; learnt_at: number }>(
    'SELECT tenant_id, app_id, name, learnt_at FROM app_names',
  );
  const upsert = db.prepare<[string, string, string | null, number]>(
    'INSERT INTO app_names (tenant_id, app_id, name, learnt_at) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, app_id) DO UPDATE SET name = excluded.name, learnt_at = excluded.learnt_at',
  );
  return {
    all: () => select.all().map((row) => ({ tenantId: row.tenant_id, appId: row.app_id, name: row.name, learntAt: row.learnt_at })),
    save: (entry) => void upsert.run(entry.tenantId, entry.appId, entry.name, entry.learntAt),
    close: () => db.close(),
  };
}
