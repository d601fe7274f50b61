// The ledger on a full disk: a commit that cannot be written fails with one line naming the ledger and
// the fix, stores nothing, and every commit before it survives. The full disk is a file size limit
// (RLIMIT_FSIZE, SIGXFSZ ignored), which needs no privileges.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { openLedger } from '../../src/state/index.js';

const REPOSITORY = resolve(import.meta.dirname, '../..');
const FILL_LEDGER = join(import.meta.dirname, 'support', 'fill-ledger.ts');

test('a ledger commit on a full disk fails with the ledger and the fix named, and stores nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'o365-elk-ledger-full-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'state.db');
  const limitBlocks = 400; // 200 KiB for the ledger and its WAL
  const { stdout } = await promisify(execFile)(
    'sh',
    ['-c', 'trap "" XFSZ; ulimit -f "$0"; exec "$@"', String(limitBlocks), process.execPath, '--import', 'tsx', FILL_LEDGER, path],
    { cwd: REPOSITORY, maxBuffer: 64 << 20 },
  );
  const commits = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { contentId: string; error?: string });
  const failed = commits.at(-1)!;

  assert.ok(failed.error !== undefined, 'the limit was reached');
  assert.match(
    failed.error,
    new RegExp(`^ledger: ${path} cannot be written \\(.*: SQLITE_[A-Z_]+\\) — free space on its filesystem or raise the file size limit \\(ulimit -f\\); nothing was recorded`),
  );
  const stored = commits.slice(0, -1).map((commit) => commit.contentId);
  assert.ok(stored.length > 0, 'some commits fitted before the limit');

  const ledger = openLedger(path);
  t.after(() => ledger.close());
  const stream = { tenantId: '6e1b1bd2-0f4c-4d3b-9d9a-4f6c1f1e2a11', contentType: 'Audit.Exchange' };
  for (const contentId of stored) assert.ok(ledger.isDelivered(stream, contentId), `${contentId.slice(0, 8)} survived`);
  assert.equal(ledger.isDelivered(stream, failed.contentId), false, 'the failed commit stored nothing');
  t.diagnostic(`${stored.length} commits fitted; commit ${stored.length + 1} failed: ${failed.error}`);
});
