// Crash safety: a child process commits blobs in a loop and reports each commit on stdout after the
// call returns; it is killed with SIGKILL at a random moment, several times over. Every commit it
// reported must be in the ledger, which must open cleanly each time.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { openLedger } from '../../src/state/index.js';

const repository = fileURLToPath(new URL('../..', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'o365-elk-crash-'));
after(() => rmSync(directory, { recursive: true, force: true }));

const STREAM = { tenantId: '6e1b1bd2-0f4c-4d3b-9d9a-4f6c1f1e2a11', contentType: 'Audit.Exchange' };
const T0 = Date.UTC(2026, 5, 1);

// Commits one blob at a time, or five in one checkpoint every fourth round, advancing the cursor past
// them; writes "committed <n>" per blob and "cursor <c>" only once the ledger call has returned.
const CHILD = `
import { writeSync } from 'node:fs';
import { openLedger } from ${JSON.stringify(pathToFileURL(join(repository, 'src/state/index.ts')).href)};
const ledger = openLedger(process.env.LEDGER_PATH);
const stream = ${JSON.stringify(STREAM)};
const commit = (n) => ledger.commitBlob({
  stream, contentId: 'blob-' + n, contentCreated: ${T0} + n, contentExpiration: ${T0} + n + 30 * 86400000, records: 3, outcome: 'delivered',
});
for (let n = Number(process.env.FIRST_BLOB), round = 0; ; round++) {
  const batch = round % 4 === 3 ? [n, n + 1, n + 2, n + 3, n + 4] : [n];
  if (batch.length === 1) commit(n);
  else ledger.checkpoint(() => batch.forEach(commit));
  const cursor = ledger.advanceCursor(stream, ${T0} + n + batch.length);
  writeSync(1, batch.map((b) => 'committed ' + b + '\\n').join('') + 'cursor ' + cursor + '\\n');
  n += batch.length;
}
`;

async function runAndKill(path: string, firstBlob: number, killAfterMs: number): Promise<{ committed: number[]; cursor: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', CHILD], {
    cwd: repository,
    env: { ...process.env, LEDGER_PATH: path, FIRST_BLOB: String(firstBlob) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (output += chunk));
  const closed = once(child, 'close');
  try {
    // Kill only once the child is committing, so that the kill lands inside the loop.
    while (!output.includes('cursor') && child.exitCode === null) await sleep(10);
    await sleep(killAfterMs);
    child.kill('SIGKILL');
    const [code, signal] = await closed;
    assert.equal(signal, 'SIGKILL', `the child should still have been running (exit code ${String(code)})`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  // A line cut short by the kill reports nothing.
  const lines = output.split('\n').slice(0, -1);
  const committed = lines.filter((line) => line.startsWith('committed ')).map((line) => Number(line.slice(10)));
  const cursors = lines.filter((line) => line.startsWith('cursor ')).map((line) => Number(line.slice(7)));
  return { committed, cursor: Math.max(...cursors) };
}

test('every commit reported before a SIGKILL is in the ledger, which opens cleanly', async () => {
  const path = join(directory, 'ledger.db');
  let reported = 0;
  for (let round = 0; round < 5; round++) {
    const killAfterMs = Math.floor(Math.random() * 150);
    const context = `round ${round}, killed ${killAfterMs} ms after the first commit`;
    const { committed, cursor } = await runAndKill(path, round * 1_000_000, killAfterMs);
    assert.ok(committed.length > 0, context);
    reported += committed.length;

    const ledger = openLedger(path);
    const missing = committed.filter((n) => !ledger.isDelivered(STREAM, `blob-${n}`));
    assert.deepEqual(missing, [], `${context}: reported commits missing from the ledger`);
    const state = ledger.getStream(STREAM);
    assert.ok((state?.cursor ?? 0) >= cursor, `${context}: cursor ${state?.cursor} is behind the reported ${cursor}`);
    ledger.close();

    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok', context);
    const { rows } = db.prepare('SELECT count(*) AS rows FROM blobs').get() as { rows: number };
    assert.equal(state?.blobsDelivered, rows, `${context}: the counters were committed with the rows they count`);
    assert.ok(rows >= reported, context);
    db.close();
  }
});
