import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { LEDGER_VERSION, LedgerError, openLedger, type BlobCommit, type Stream } from '../../src/state/index.js';
import { migrate } from '../../src/state/migrations.js';

const root = mkdtempSync(join(tmpdir(), 'o365-elk-ledger-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => join(root, `case-${counter++}`, 'ledger.db');

const EXCHANGE: Stream = { tenantId: '6e1b1bd2-0f4c-4d3b-9d9a-4f6c1f1e2a11', contentType: 'Audit.Exchange' };
const SHAREPOINT: Stream = { tenantId: EXCHANGE.tenantId, contentType: 'Audit.SharePoint' };
const OTHER_TENANT: Stream = { tenantId: '7c2d8e9f-1a2b-4c3d-9e8f-0a1b2c3d4e5f', contentType: 'Audit.Exchange' };
const T0 = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;

function blob(stream: Stream, n: number, overrides: Partial<BlobCommit> = {}): BlobCommit {
  return {
    stream,
    contentId: `2026060100000${n}$2026060100000${n}$audit_exchange$Audit_Exchange$emea0036`,
    contentCreated: T0 + n * 1000,
    contentExpiration: T0 + n * 1000 + 7 * DAY,
    records: 10 + n,
    outcome: 'delivered',
    ...overrides,
  };
}

const mode = (file: string) => statSync(file).mode & 0o777;

test('the ledger and its -wal and -shm files are readable by the owner only', () => {
  const path = freshPath();
  const ledger = openLedger(path);
  ledger.commitBlob(blob(EXCHANGE, 1));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) assert.equal(mode(file), 0o600, file);
  assert.equal(mode(join(path, '..')), 0o700, 'its directory is created owner-only too');
  ledger.close();
});

test('a ledger found with a looser mode is tightened when opened', () => {
  const path = freshPath();
  openLedger(path).close();
  chmodSync(path, 0o644);
  const ledger = openLedger(path);
  assert.equal(mode(path), 0o600);
  ledger.close();
});

test('a committed blob is delivered for its own stream only, and committing it again changes nothing', () => {
  const ledger = openLedger(freshPath(), { now: () => T0 + DAY });
  const first = blob(EXCHANGE, 1);
  assert.equal(ledger.isDelivered(EXCHANGE, first.contentId), false);
  assert.equal(ledger.commitBlob(first), true);
  assert.equal(ledger.isDelivered(EXCHANGE, first.contentId), true);
  assert.equal(ledger.isDelivered(SHAREPOINT, first.contentId), false);
  assert.equal(ledger.isDelivered(OTHER_TENANT, first.contentId), false);
  assert.equal(ledger.commitBlob(first), false);
  const state = ledger.getStream(EXCHANGE);
  assert.equal(state?.blobsDelivered, 1, 'a repeated commit is not counted twice');
  assert.equal(state?.eventsDelivered, 11);
  assert.equal(state?.lastDeliveryAt, T0 + DAY);
  ledger.close();
});

test('expired and rejected blobs are settled too, and counted apart from deliveries', () => {
  const ledger = openLedger(freshPath());
  ledger.commitBlob(blob(EXCHANGE, 1));
  ledger.commitBlob(blob(EXCHANGE, 2, { outcome: 'expired', records: 0 }));
  ledger.commitBlob(blob(EXCHANGE, 3, { outcome: 'rejected', records: 5 }));
  for (const n of [1, 2, 3]) assert.equal(ledger.isDelivered(EXCHANGE, blob(EXCHANGE, n).contentId), true);
  const state = ledger.getStream(EXCHANGE);
  assert.deepEqual(
    { delivered: state?.blobsDelivered, events: state?.eventsDelivered, expired: state?.blobsExpired, rejected: state?.blobsRejected },
    { delivered: 1, events: 11, expired: 1, rejected: 1 },
  );
  ledger.close();
});

test('the cursor only moves forward', () => {
  let now = T0;
  const ledger = openLedger(freshPath(), { now: () => now });
  assert.equal(ledger.getStream(EXCHANGE), undefined, 'a stream never seen has no state');
  assert.equal(ledger.advanceCursor(EXCHANGE, T0 - DAY), T0 - DAY);
  now += 1000;
  assert.equal(ledger.advanceCursor(EXCHANGE, T0), T0);
  now += 1000;
  assert.equal(ledger.advanceCursor(EXCHANGE, T0 - 5 * DAY), T0, 'moving back is ignored');
  const state = ledger.getStream(EXCHANGE);
  assert.equal(state?.cursor, T0);
  assert.equal(state?.updatedAt, T0 + 1000, 'updated_at is when the cursor last moved');
  assert.equal(ledger.getStream(SHAREPOINT), undefined, 'streams are independent');
  ledger.close();
});

test('a checkpoint stores all of its commits, or none when it fails', () => {
  const ledger = openLedger(freshPath());
  ledger.checkpoint(() => {
    for (let n = 0; n < 5; n++) ledger.commitBlob(blob(EXCHANGE, n));
    ledger.advanceCursor(EXCHANGE, T0 + 5000);
  });
  assert.equal(ledger.getStream(EXCHANGE)?.blobsDelivered, 5);
  assert.equal(ledger.getStream(EXCHANGE)?.cursor, T0 + 5000);

  assert.throws(
    () =>
      ledger.checkpoint(() => {
        ledger.commitBlob(blob(EXCHANGE, 6));
        ledger.advanceCursor(EXCHANGE, T0 + 7000);
        throw new Error('sink failed half-way');
      }),
    /sink failed half-way/,
  );
  assert.equal(ledger.isDelivered(EXCHANGE, blob(EXCHANGE, 6).contentId), false);
  assert.equal(ledger.getStream(EXCHANGE)?.cursor, T0 + 5000);
  assert.equal(ledger.getStream(EXCHANGE)?.blobsDelivered, 5);
  assert.equal(ledger.checkpoint(() => 'result'), 'result', 'the checkpoint returns what the work returns');
  ledger.close();
});

test('pruneExpired forgets exactly the blobs whose expiration has passed', () => {
  const ledger = openLedger(freshPath());
  ledger.commitBlob(blob(EXCHANGE, 1, { contentExpiration: T0 + DAY }));
  ledger.commitBlob(blob(EXCHANGE, 2, { contentExpiration: T0 + 2 * DAY }));
  ledger.commitBlob(blob(SHAREPOINT, 3, { contentExpiration: T0 + 3 * DAY }));
  // Content the API listed two days later: its clock has passed the first two expirations too.
  ledger.commitBlob(blob(SHAREPOINT, 4, { contentCreated: T0 + 2 * DAY }));
  assert.equal(ledger.pruneExpired(T0 + DAY - 1), 0);
  assert.equal(ledger.pruneExpired(T0 + 2 * DAY), 2);
  assert.equal(ledger.isDelivered(EXCHANGE, blob(EXCHANGE, 1).contentId), false);
  assert.equal(ledger.isDelivered(EXCHANGE, blob(EXCHANGE, 2).contentId), false);
  assert.equal(ledger.isDelivered(SHAREPOINT, blob(SHAREPOINT, 3).contentId), true);
  assert.equal(ledger.getStream(EXCHANGE)?.blobsDelivered, 2, 'statistics outlive the pruned rows');
  ledger.close();
});

test('a host clock that jumps ahead forgets only what the API itself has outdated, so nothing is delivered again', () => {
  const ledger = openLedger(freshPath());
  ledger.commitBlob(blob(EXCHANGE, 1, { contentCreated: T0 - 6 * DAY, contentExpiration: T0 + DAY }));
  ledger.commitBlob(blob(EXCHANGE, 2));
  ledger.commitBlob(blob(OTHER_TENANT, 3, { contentCreated: T0 + 3 * DAY }));
  const jumped = T0 + 30 * DAY;

  assert.equal(ledger.pruneExpired(jumped), 0, 'the API has listed nothing created after these blobs expire');
  assert.equal(ledger.isDelivered(EXCHANGE, blob(EXCHANGE, 1).contentId), true);
  assert.equal(ledger.isDelivered(EXCHANGE, blob(EXCHANGE, 2).contentId), true);

  // A later listing of the same tenant shows the API's clock past the first blob's expiration.
  ledger.commitBlob(blob(SHAREPOINT, 4, { contentCreated: T0 + DAY }));
  assert.equal(ledger.pruneExpired(jumped), 1);
  assert.equal(ledger.isDelivered(EXCHANGE, blob(EXCHANGE, 1).contentId), false);
  assert.equal(ledger.isDelivered(EXCHANGE, blob(EXCHANGE, 2).contentId), true);
  ledger.close();
});

test('pruneExpired for one tenant leaves the other tenants\' blobs, which their own loops prune', () => {
  const ledger = openLedger(freshPath());
  ledger.commitBlob(blob(EXCHANGE, 1, { contentExpiration: T0 + DAY }));
  ledger.commitBlob(blob(EXCHANGE, 2, { contentCreated: T0 + 2 * DAY }));
  ledger.commitBlob(blob(OTHER_TENANT, 3, { contentExpiration: T0 + DAY }));
  ledger.commitBlob(blob(OTHER_TENANT, 4, { contentCreated: T0 + 2 * DAY }));

  assert.equal(ledger.pruneExpired(T0 + 2 * DAY, OTHER_TENANT.tenantId), 1);
  assert.equal(ledger.isDelivered(OTHER_TENANT, blob(OTHER_TENANT, 3).contentId), false);
  assert.equal(ledger.isDelivered(EXCHANGE, blob(EXCHANGE, 1).contentId), true);
  assert.equal(ledger.pruneExpired(T0 + 2 * DAY, EXCHANGE.tenantId), 1);
  assert.equal(ledger.isDelivered(EXCHANGE, blob(EXCHANGE, 1).contentId), false);
  ledger.close();
});

test('retention gaps are kept per stream, once each', () => {
  const ledger = openLedger(freshPath(), { now: () => T0 + 10 * DAY });
  ledger.recordGap(EXCHANGE, T0, T0 + 2 * DAY);
  ledger.recordGap(EXCHANGE, T0, T0 + 2 * DAY);
  ledger.recordGap(SHAREPOINT, T0 + DAY, T0 + 3 * DAY);
  assert.deepEqual(ledger.listGaps(EXCHANGE), [{ stream: EXCHANGE, from: T0, to: T0 + 2 * DAY, detectedAt: T0 + 10 * DAY }]);
  assert.equal(ledger.listGaps().length, 2);
  assert.throws(() => ledger.recordGap(EXCHANGE, T0 + DAY, T0), /CHECK constraint/, 'a gap must end after it starts');
  ledger.close();
});

test('polls and errors are kept for status', () => {
  const ledger = openLedger(freshPath(), { now: () => T0 });
  ledger.recordPoll(EXCHANGE, { polledAt: T0, nextPollAt: T0 + 180_000 });
  ledger.recordError(EXCHANGE, 'AF429 throttled by the API');
  ledger.advanceCursor(SHAREPOINT, T0 - DAY);
  const [exchange, sharepoint] = ledger.listStreams();
  assert.equal(exchange?.contentType, 'Audit.Exchange');
  assert.deepEqual(
    { lastPollAt: exchange?.lastPollAt, nextPollAt: exchange?.nextPollAt, lastError: exchange?.lastError, lastErrorAt: exchange?.lastErrorAt, cursor: exchange?.cursor },
    { lastPollAt: T0, nextPollAt: T0 + 180_000, lastError: 'AF429 throttled by the API', lastErrorAt: T0, cursor: null },
  );
  assert.equal(sharepoint?.cursor, T0 - DAY);
  ledger.close();
});

test('everything survives closing and reopening', () => {
  const path = freshPath();
  const ledger = openLedger(path);
  ledger.commitBlob(blob(EXCHANGE, 1));
  ledger.advanceCursor(EXCHANGE, T0 + 1000);
  ledger.recordGap(EXCHANGE, T0 - 9 * DAY, T0 - 7 * DAY);
  ledger.close();
  const reopened = openLedger(path);
  assert.equal(reopened.isDelivered(EXCHANGE, blob(EXCHANGE, 1).contentId), true);
  assert.equal(reopened.getStream(EXCHANGE)?.cursor, T0 + 1000);
  assert.equal(reopened.listGaps(EXCHANGE).length, 1);
  reopened.close();
});

test('a read-only handle reads while the collector writes, and sees its new commits', () => {
  const path = freshPath();
  const writer = openLedger(path);
  writer.commitBlob(blob(EXCHANGE, 1));
  const reader = openLedger(path, { readonly: true });
  assert.equal(reader.isDelivered(EXCHANGE, blob(EXCHANGE, 1).contentId), true);
  writer.commitBlob(blob(EXCHANGE, 2));
  writer.advanceCursor(EXCHANGE, T0 + 2000);
  assert.equal(reader.isDelivered(EXCHANGE, blob(EXCHANGE, 2).contentId), true);
  assert.equal(reader.getStream(EXCHANGE)?.cursor, T0 + 2000);
  assert.equal('commitBlob' in reader, false, 'a reader has no way to write');
  reader.close();
  writer.close();
  const alone = openLedger(path, { readonly: true });
  assert.equal(alone.getStream(EXCHANGE)?.blobsDelivered, 2, 'and reads with no collector running');
  alone.close();
});

test('a read-only open of a missing or empty ledger says to start the collector', () => {
  const missing = freshPath();
  assert.throws(() => openLedger(missing, { readonly: true }), (error: Error) => error instanceof LedgerError && error.message.includes(missing));
  assert.equal(existsSync(missing), false, 'reading creates nothing');
  const empty = freshPath();
  openLedger(empty).close();
  const raw = new Database(empty);
  raw.pragma('user_version = 0');
  raw.close();
  assert.throws(() => openLedger(empty, { readonly: true }), {
    name: 'LedgerError',
    message: `ledger: ${empty} is empty — start the collector once to create it, or check state.path`,
  });
});

test('a ledger from a newer release is refused, for writing and for reading', () => {
  const path = freshPath();
  openLedger(path).close();
  const raw = new Database(path);
  raw.pragma(`user_version = ${LEDGER_VERSION + 1}`);
  raw.close();
  const expected = {
    name: 'LedgerError',
    message: `ledger: ${path} was written by a newer o365-elk (schema version ${LEDGER_VERSION + 1}; this one knows up to ${LEDGER_VERSION}) — upgrade o365-elk, or point state.path at another file`,
  };
  assert.throws(() => openLedger(path), expected);
  assert.throws(() => openLedger(path, { readonly: true }), expected);
});

test('migrations bring an older ledger up to date, keeping its data; a failing one changes nothing', () => {
  const path = freshPath();
  openLedger(path).close();
  const db = new Database(path);
  const steps = [...Array<string>(LEDGER_VERSION).fill(''), 'ALTER TABLE streams ADD COLUMN note TEXT', "UPDATE streams SET note = 'migrated'"];
  db.prepare("INSERT INTO streams (tenant_id, content_type, cursor) VALUES ('t', 'Audit.Exchange', 42)").run();
  migrate(db, path, steps);
  assert.equal(db.pragma('user_version', { simple: true }), LEDGER_VERSION + 2);
  assert.deepEqual(db.prepare('SELECT cursor, note FROM streams').get(), { cursor: 42, note: 'migrated' });

  const broken = [...steps, 'ALTER TABLE streams ADD COLUMN kept TEXT', 'ALTER TABLE streams ADD COLUMN half_done TEXT; THIS IS NOT SQL'];
  assert.throws(() => migrate(db, path, broken), /syntax error/);
  assert.equal(db.pragma('user_version', { simple: true }), LEDGER_VERSION + 3, 'the steps before the failing one stay applied');
  assert.deepEqual(db.prepare('SELECT kept FROM streams').get(), { kept: null });
  assert.throws(() => db.prepare('SELECT half_done FROM streams').get(), /no such column: half_done/, 'the failing step is undone whole');
  db.close();
});

test('a file that is not a ledger is refused with the fix', () => {
  const path = freshPath();
  openLedger(path).close();
  writeFileSync(path, 'this is a text file that somebody pointed state.path at, not a SQLite database at all....');
  rmSync(`${path}-wal`, { force: true });
  rmSync(`${path}-shm`, { force: true });
  assert.throws(() => openLedger(path), {
    name: 'LedgerError',
    message: `ledger: ${path} is not an o365-elk ledger (not a SQLite database) — point state.path at another file, or move this one away`,
  });
});
