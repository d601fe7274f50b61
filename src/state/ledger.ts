// The collector's durable memory, in SQLite. Per stream (tenant × content type) it keeps a cursor —
// every blob with contentCreated below it has been listed, and every listed blob below it is settled —
// plus the blobs settled so far (so a blob listed twice is fetched once) and the retention gaps found.
// Writes are committed with synchronous=FULL: once a call returns, its effect survives a crash or a
// power cut, which is what lets the collector acknowledge a blob exactly when its records are stored.
import Database, { type Database as SqliteDatabase, type Statement } from 'better-sqlite3';
import { LedgerError } from './errors.js';
import { createPrivateFile, restrictToOwner } from './files.js';
import { assertNotNewer, LEDGER_VERSION, migrate, schemaVersion } from './migrations.js';

export interface Stream {
  tenantId: string;
  contentType: string;
}

/** How a blob was settled: its records stored, or given up on because it expired or was refused. */
export type BlobOutcome = 'delivered' | 'expired' | 'rejected';

export interface BlobCommit {
  stream: Stream;
  contentId: string;
  /** Epoch milliseconds, from the content listing. */
  contentCreated: number;
  /** Epoch milliseconds, from the content listing; the row is pruned after it. */
  contentExpiration: number;
  /** Number of audit records the blob held. */
  records: number;
  outcome: BlobOutcome;
}

/** A stream's position and counters, as `o365-elk status` shows them. Times are epoch milliseconds. */
export interface StreamState extends Stream {
  /** Everything created before it is listed and settled; null until the first poll completes. */
  cursor: number | null;
  /** When the cursor last moved. */
  updatedAt: number | null;
  blobsDelivered: number;
  eventsDelivered: number;
  blobsExpired: number;
  blobsRejected: number;
  lastDeliveryAt: number | null;
  /** contentCreated of the newest blob whose records reached the sink; null until one has. */
  newestContentCreated: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  lastPollAt: number | null;
  nextPollAt: number | null;
}

/** What a stream delivered since some moment: blobs settled with their records stored, and those records. */
export interface RecentDelivery extends Stream {
  blobs: number;
  events: number;
}

/** Content that can no longer be fetched: the collector was away longer than the API keeps it. */
export interface RetentionGap {
  stream: Stream;
  from: number;
  to: number;
  detectedAt: number;
}

export interface OpenLedgerOptions {
  /** For `o365-elk status`: read while the collector writes, change nothing. */
  readonly?: boolean;
  /** Clock for the timestamps the ledger records; defaults to Date.now. */
  now?: () => number;
}

interface StreamRow {
  tenant_id: string;
  content_type: string;
  cursor: number | null;
  updated_at: number | null;
  blobs_delivered: number;
  events_delivered: number;
  blobs_expired: number;
  blobs_rejected: number;
  last_delivery_at: number | null;
  newest_content_created: number | null;
  last_error: string | null;
  last_error_at: number | null;
  last_poll_at: number | null;
  next_poll_at: number | null;
}

interface GapRow {
  tenant_id: string;
  content_type: string;
  gap_from: number;
  gap_to: number;
  detected_at: number;
}

const toStreamState = (row: StreamRow): StreamState => ({
  tenantId: row.tenant_id,
  contentType: row.content_type,
  cursor: row.cursor,
  updatedAt: row.updated_at,
  blobsDelivered: row.blobs_delivered,
  eventsDelivered: row.events_delivered,
  blobsExpired: row.blobs_expired,
  blobsRejected: row.blobs_rejected,
  lastDeliveryAt: row.last_delivery_at,
  newestContentCreated: row.newest_content_created,
  lastError: row.last_error,
  lastErrorAt: row.last_error_at,
  lastPollAt: row.last_poll_at,
  nextPollAt: row.next_poll_at,
});

const toGap = (row: GapRow): RetentionGap => ({
  stream: { tenantId: row.tenant_id, contentType: row.content_type },
  from: row.gap_from,
  to: row.gap_to,
  detectedAt: row.detected_at,
});

const key = (stream: Stream) => ({ tenant: stream.tenantId, type: stream.contentType });

/** Read access to a ledger; safe alongside the collector that writes it. */
export class LedgerReader {
  private readonly selectStream: Statement<{ tenant: string; type: string }, StreamRow>;
  private readonly selectStreams: Statement<[], StreamRow>;
  private readonly selectBlob: Statement<{ tenant: string; type: string; contentId: string }, { found: number }>;
  private readonly selectGaps: Statement<[], GapRow>;
  private readonly selectStreamGaps: Statement<{ tenant: string; type: string }, GapRow>;
  private readonly selectDeliveredSince: Statement<{ since: number }, { tenant_id: string; content_type: string; blobs: number; events: number }>;

  constructor(
    protected readonly db: SqliteDatabase,
    protected readonly now: () => number,
  ) {
    this.selectStream = db.prepare('SELECT * FROM streams WHERE tenant_id = :tenant AND content_type = :type');
    this.selectStreams = db.prepare('SELECT * FROM streams ORDER BY tenant_id, content_type');
    this.selectBlob = db.prepare(
      'SELECT 1 AS found FROM blobs WHERE tenant_id = :tenant AND content_type = :type AND content_id = :contentId',
    );
    this.selectGaps = db.prepare('SELECT * FROM retention_gaps ORDER BY tenant_id, content_type, gap_from');
    this.selectStreamGaps = db.prepare(
      'SELECT * FROM retention_gaps WHERE tenant_id = :tenant AND content_type = :type ORDER BY gap_from',
    );
    this.selectDeliveredSince = db.prepare(`
      SELECT tenant_id, content_type, count(*) AS blobs, sum(record_count) AS events FROM blobs
      WHERE delivered_at >= :since AND outcome IN ('delivered', 'rejected')
      GROUP BY tenant_id, content_type ORDER BY tenant_id, content_type`);
  }

  getStream(stream: Stream): StreamState | undefined {
    const row = this.selectStream.get(key(stream));
    return row && toStreamState(row);
  }

  listStreams(): StreamState[] {
    return this.selectStreams.all().map(toStreamState);
  }

  /** Whether the blob is settled — delivered, or given up as expired or rejected — so it must not be fetched again. */
  isDelivered(stream: Stream, contentId: string): boolean {
    return this.selectBlob.get({ ...key(stream), contentId }) !== undefined;
  }

  listGaps(stream?: Stream): RetentionGap[] {
    return (stream ? this.selectStreamGaps.all(key(stream)) : this.selectGaps.all()).map(toGap);
  }

  /** Per stream, the blobs settled with their records stored at or after `since` (epoch ms), and their records. */
  deliveredSince(since: number): RecentDelivery[] {
    return this.selectDeliveredSince.all({ since }).map((row) => ({ tenantId: row.tenant_id, contentType: row.content_type, blobs: row.blobs, events: row.events }));
  }

  close(): void {
    this.db.close();
  }
}

/** The collector's read-write handle. Only one process should hold one per ledger file. */
export class Ledger extends LedgerReader {
  private readonly insertBlob: Statement<Record<string, string | number>>;
  private readonly countBlob: Statement<Record<string, string | number | null>>;
  private readonly raiseCursor: Statement<{ tenant: string; type: string; to: number; now: number }>;
  private readonly updatePoll: Statement<{ tenant: string; type: string; polledAt: number; nextPollAt: number | null }>;
  private readonly updateError: Statement<{ tenant: string; type: string; message: string; at: number }>;
  private readonly insertGap: Statement<{ tenant: string; type: string; from: number; to: number; now: number }>;
  private readonly selectNewestListed: Statement<[], { tenant_id: string; newest: number }>;
  private readonly deleteExpired: Statement<{ tenant: string; cutoff: number }>;
  private readonly commitInTransaction: (commit: BlobCommit) => boolean;

  constructor(db: SqliteDatabase, now: () => number) {
    super(db, now);
    this.insertBlob = db.prepare(`
      INSERT INTO blobs (tenant_id, content_type, content_id, content_created, content_expiration, delivered_at, record_count, outcome)
      VALUES (:tenant, :type, :contentId, :contentCreated, :contentExpiration, :now, :records, :outcome)
      ON CONFLICT DO NOTHING`);
    this.countBlob = db.prepare(`
      INSERT INTO streams (tenant_id, content_type, blobs_delivered, events_delivered, blobs_expired, blobs_rejected, last_delivery_at, newest_content_created)
      VALUES (:tenant, :type, :delivered, :events, :expired, :rejected, :deliveredAt, :stored)
      ON CONFLICT (tenant_id, content_type) DO UPDATE SET
        blobs_delivered  = blobs_delivered  + excluded.blobs_delivered,
        events_delivered = events_delivered + excluded.events_delivered,
        blobs_expired    = blobs_expired    + excluded.blobs_expired,
        blobs_rejected   = blobs_rejected   + excluded.blobs_rejected,
        last_delivery_at = coalesce(excluded.last_delivery_at, last_delivery_at),
        newest_content_created = max(coalesce(newest_content_created, excluded.newest_content_created), coalesce(excluded.newest_content_created, newest_content_created))`);
    this.raiseCursor = db.prepare(`
      INSERT INTO streams (tenant_id, content_type, cursor, updated_at) VALUES (:tenant, :type, :to, :now)
      ON CONFLICT (tenant_id, content_type) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
      WHERE streams.cursor IS NULL OR excluded.cursor > streams.cursor`);
    this.updatePoll = db.prepare(`
      INSERT INTO streams (tenant_id, content_type, last_poll_at, next_poll_at) VALUES (:tenant, :type, :polledAt, :nextPollAt)
      ON CONFLICT (tenant_id, content_type) DO UPDATE SET last_poll_at = excluded.last_poll_at, next_poll_at = excluded.next_poll_at`);
    this.updateError = db.prepare(`
      INSERT INTO streams (tenant_id, content_type, last_error, last_error_at) VALUES (:tenant, :type, :message, :at)
      ON CONFLICT (tenant_id, content_type) DO UPDATE SET last_error = excluded.last_error, last_error_at = excluded.last_error_at`);
    this.insertGap = db.prepare(`
      INSERT INTO retention_gaps (tenant_id, content_type, gap_from, gap_to, detected_at) VALUES (:tenant, :type, :from, :to, :now)
      ON CONFLICT DO NOTHING`);
    // A blob's row may go once the API can no longer list it: once its contentExpiration is behind both
    // this host's clock and the newest contentCreated the API has shown for the tenant. The API's own
    // times bound it, so a host clock that jumps ahead does not empty the table and cause re-delivery.
    this.selectNewestListed = db.prepare(`
      SELECT tenant_id, max(newest_content_created) AS newest FROM streams
      WHERE newest_content_created IS NOT NULL GROUP BY tenant_id`);
    this.deleteExpired = db.prepare('DELETE FROM blobs WHERE tenant_id = :tenant AND content_expiration <= :cutoff');
    this.commitInTransaction = db.transaction((commit: BlobCommit) => this.settle(commit));
  }

  /**
   * Records a blob as settled, once the sink has acknowledged every one of its records (or the blob was
   * given up on). Returns false, changing nothing, if the blob was already settled.
   */
  commitBlob(commit: BlobCommit): boolean {
    return this.write(() => this.commitInTransaction(commit));
  }

  /** Moves the stream's cursor forward to `to` (never back); returns the cursor now stored. */
  advanceCursor(stream: Stream, to: number): number {
    this.write(() => this.raiseCursor.run({ ...key(stream), to, now: this.now() }));
    return this.getStream(stream)?.cursor as number;
  }

  /**
   * Runs `work` — any number of commitBlob and advanceCursor calls — as one transaction: all of it is
   * stored, or none of it if `work` throws. Grouping commits this way is what makes thousands of blob
   * commits a second possible, since each transaction waits for the disk. `work` must be synchronous.
   */
  checkpoint<T>(work: () => T): T {
    return this.write(() => this.db.transaction(work).immediate());
  }

  recordPoll(stream: Stream, poll: { polledAt?: number; nextPollAt?: number | null } = {}): void {
    this.write(() => this.updatePoll.run({ ...key(stream), polledAt: poll.polledAt ?? this.now(), nextPollAt: poll.nextPollAt ?? null }));
  }

  /** Keeps the stream's latest error for `status`; the message must already be free of secrets. */
  recordError(stream: Stream, message: string, at = this.now()): void {
    this.write(() => this.updateError.run({ ...key(stream), message, at }));
  }

  /** Records that content created in [from, to) was lost to retention before the collector could list it. */
  recordGap(stream: Stream, from: number, to: number): void {
    this.write(() => this.insertGap.run({ ...key(stream), from, to, now: this.now() }));
  }

  /**
   * Runs a write, turning SQLite's bare "disk I/O error" or "database or disk is full" into one line
   * naming the ledger and the fix. A failed write stored nothing, so what it would have recorded is
   * delivered again on the next pass.
   */
  private write<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw explainWriteFailure(error, this.db.name);
    }
  }

  /**
   * Forgets settled blobs the API can no longer list: their contentExpiration has passed by `now` and by
   * the newest content the API has listed for their tenant since. Only `tenantId`'s when given. Returns how many.
   */
  pruneExpired(now = this.now(), tenantId?: string): number {
    return this.checkpoint(() => {
      let pruned = 0;
      for (const { tenant_id: tenant, newest } of this.selectNewestListed.all()) {
        if (tenantId !== undefined && tenant !== tenantId) continue;
        pruned += this.deleteExpired.run({ tenant, cutoff: Math.min(now, newest) }).changes;
      }
      return pruned;
    });
  }

  private settle(commit: BlobCommit): boolean {
    const now = this.now();
    const inserted = this.insertBlob.run({
      ...key(commit.stream),
      contentId: commit.contentId,
      contentCreated: commit.contentCreated,
      contentExpiration: commit.contentExpiration,
      records: commit.records,
      outcome: commit.outcome,
      now,
    });
    if (inserted.changes === 0) return false;
    const delivered = commit.outcome === 'delivered';
    this.countBlob.run({
      ...key(commit.stream),
      delivered: delivered ? 1 : 0,
      events: delivered ? commit.records : 0,
      expired: commit.outcome === 'expired' ? 1 : 0,
      rejected: commit.outcome === 'rejected' ? 1 : 0,
      deliveredAt: delivered ? now : null,
      // A blob with refused records still had the rest stored: it counts for how recent the output is.
      stored: commit.outcome === 'expired' ? null : commit.contentCreated,
    });
    return true;
  }
}

export function openLedger(path: string, options: OpenLedgerOptions & { readonly: true }): LedgerReader;
export function openLedger(path: string, options?: OpenLedgerOptions & { readonly?: false }): Ledger;
export function openLedger(path: string, options: OpenLedgerOptions = {}): LedgerReader {
  const now = options.now ?? Date.now;
  try {
    return options.readonly ? openForReading(path, now) : openForWriting(path, now);
  } catch (error) {
    throw explain(error, path);
  }
}

const WRITE_FAILURES: Record<string, string> = {
  SQLITE_FULL: 'the disk is full',
  SQLITE_IOERR: 'the disk refused a write',
  SQLITE_READONLY: 'the file has become read-only',
};

function explainWriteFailure(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return error;
  const cause = WRITE_FAILURES[code.replace(/^(SQLITE_[A-Z]+?)(_.*)?$/, '$1')];
  if (cause === undefined) return error;
  return new LedgerError(
    `ledger: ${path} cannot be written (${cause}: ${code}) — free space on its filesystem or raise the file size limit (ulimit -f); nothing was recorded, so those blobs are delivered again on the next pass`,
  );
}

function openForWriting(path: string, now: () => number): Ledger {
  createPrivateFile(path);
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL syncs only at checkpoints: a power cut or kernel crash can roll back commits that
    // already returned. The ledger promises that a returned commit is kept, so FULL: sync on every commit.
    db.pragma('synchronous = FULL');
    migrate(db, path);
    restrictToOwner(path);
    return new Ledger(db, now);
  } catch (error) {
    db.close();
    throw error;
  }
}

function openForReading(path: string, now: () => number): LedgerReader {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    assertNotNewer(db, path, LEDGER_VERSION);
    const version = schemaVersion(db);
    if (version === 0) throw new LedgerError(`ledger: ${path} is empty — start the collector once to create it, or check state.path`);
    if (version < LEDGER_VERSION) {
      throw new LedgerError(
        `ledger: ${path} has schema version ${version}, older than this o365-elk's ${LEDGER_VERSION} — start the collector once to upgrade it, then retry`,
      );
    }
    return new LedgerReader(db, now);
  } catch (error) {
    db.close();
    throw error;
  }
}

function explain(error: unknown, path: string): Error {
  if (error instanceof LedgerError) return error;
  const { code, message } = error as { code?: string; message?: string };
  switch (code) {
    case 'SQLITE_NOTADB':
      return new LedgerError(`ledger: ${path} is not an o365-elk ledger (not a SQLite database) — point state.path at another file, or move this one away`);
    case 'SQLITE_CORRUPT':
      return new LedgerError(`ledger: ${path} is damaged (${message}) — restore it from a backup, or move it away to start afresh from poll.since`);
    case 'SQLITE_CANTOPEN':
      return new LedgerError(`ledger: ${path} cannot be opened — check that it exists and that its directory is readable and writable by this user`);
    case 'SQLITE_BUSY':
      return new LedgerError(`ledger: ${path} is locked by another process — stop the other o365-elk using this state.path`);
    case 'EACCES':
    case 'EPERM':
      return new LedgerError(`ledger: ${path} cannot be created or opened (permission denied) — let the user running o365-elk write to its directory`);
    default:
      return new LedgerError(`ledger: ${path} cannot be opened (${code ?? ''}${code ? ': ' : ''}${message ?? String(error)}) — check the file and state.path`);
  }
}
