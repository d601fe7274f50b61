// The ledger's schema, as the steps that build it. `PRAGMA user_version` counts the steps applied; a new
// release appends a step and never edits an old one, so every existing ledger can be brought up to date.
import type { Database } from 'better-sqlite3';
import { LedgerError } from './errors.js';

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE streams (
    tenant_id        TEXT    NOT NULL,
    content_type     TEXT    NOT NULL,
    cursor           INTEGER,
    updated_at       INTEGER,
    blobs_delivered  INTEGER NOT NULL DEFAULT 0,
    events_delivered INTEGER NOT NULL DEFAULT 0,
    blobs_expired    INTEGER NOT NULL DEFAULT 0,
    blobs_rejected   INTEGER NOT NULL DEFAULT 0,
    last_delivery_at INTEGER,
    last_error       TEXT,
    last_error_at    INTEGER,
    last_poll_at     INTEGER,
    next_poll_at     INTEGER,
    PRIMARY KEY (tenant_id, content_type)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE blobs (
    tenant_id          TEXT    NOT NULL,
    content_type       TEXT    NOT NULL,
    content_id         TEXT    NOT NULL,
    content_created    INTEGER NOT NULL,
    content_expiration INTEGER NOT NULL,
    delivered_at       INTEGER NOT NULL,
    record_count       INTEGER NOT NULL CHECK (record_count >= 0),
    outcome            TEXT    NOT NULL CHECK (outcome IN ('delivered', 'expired', 'rejected')),
    PRIMARY KEY (tenant_id, content_type, content_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX blobs_by_expiration ON blobs (content_expiration);

  CREATE TABLE retention_gaps (
    id           INTEGER PRIMARY KEY,
    tenant_id    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    gap_from     INTEGER NOT NULL,
    gap_to       INTEGER NOT NULL CHECK (gap_to > gap_from),
    detected_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, content_type, gap_from, gap_to)
  ) STRICT;
  `,
  // For `o365-elk status` and the lag metric: how recent the newest delivered content of each stream is,
  // and what was delivered lately.
  `
  ALTER TABLE streams ADD COLUMN newest_content_created INTEGER;
  UPDATE streams SET newest_content_created = (
    SELECT max(content_created) FROM blobs
    WHERE blobs.tenant_id = streams.tenant_id AND blobs.content_type = streams.content_type AND outcome IN ('delivered', 'rejected')
  );
  CREATE INDEX blobs_by_delivery ON blobs (delivered_at);
  `,
];

export const LEDGER_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses a ledger written by a newer release: its meaning may have changed in ways this one cannot know. */
export function assertNotNewer(db: Database, path: string, supported: number): void {
  const version = schemaVersion(db);
  if (version > supported) {
    throw new LedgerError(
      `ledger: ${path} was written by a newer o365-elk (schema version ${version}; this one knows up to ${supported}) — upgrade o365-elk, or point state.path at another file`,
    );
  }
}

/** Applies the steps this ledger has not had yet, each in its own transaction. */
export function migrate(db: Database, path: string, migrations: readonly string[] = MIGRATIONS): void {
  assertNotNewer(db, path, migrations.length);
  for (let version = schemaVersion(db); version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
