// The file output on a disk that fills up: what the kernel cut short or refused is never acknowledged,
// no half line is left in the NDJSON, and once there is room again the next run completes the output.
// The disk fills through RLIMIT_FSIZE, which needs no privileges: a write past the limit is cut short,
// the next one fails with EFBIG, as writes do on a filesystem that runs out of space.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readLedgerBlobs, readOutput, runCollector } from './support/processes.mjs';
import { assertOutputEqualsTruth, logMessages, startScenario } from './support/scenario.js';

const EVENTS = 2000;
/** Room for about a tenth of the records, so the disk fills in the middle of the backfill. */
const ROOM_BYTES = 512 * 1024;

test('on a full disk nothing unwritten is acknowledged, and once space returns the output equals the truth', async (t) => {
  // Two days of backlog: the window that fails is well inside the 7-day retention when the second run lists it again.
  const { emulator, config, outputDir, ledger } = await startScenario(t, ['--events', String(EVENTS), '--days', '2']);

  const full = await runCollector({ command: 'once', config, fileSizeLimit: ROOM_BYTES });

  assert.equal(full.code, 1, full.stderr);
  const afterFull = readOutput(outputDir);
  assert.deepEqual(afterFull.broken, [], 'no cut-off line is left in the output');
  const settled = readLedgerBlobs(ledger).reduce((sum, blob) => sum + blob.records, 0);
  assert.ok(settled < EVENTS, 'the disk filled before the backfill ended (otherwise this test proves nothing)');
  // A blob is settled only after all of its records were written; records of a blob cut short may be there too.
  assert.ok(afterFull.ids.length >= settled, `the ledger counts ${settled} records delivered, the output holds ${afterFull.ids.length}`);
  assert.ok(
    full.stderr.includes(`file size limit reached writing output.file.path=${outputDir}: raise the file size limit (ulimit -f); the records stay unacknowledged`),
    `the failure names the folder and the fix:\n${full.stderr}`,
  );

  const roomy = await runCollector({ command: 'once', config });

  assert.equal(roomy.code, 0, roomy.stderr);
  const { duplicateLines } = assertOutputEqualsTruth(outputDir, await emulator.recordIds());
  assert.ok(duplicateLines <= afterFull.ids.length - settled, 'only records of blobs left unsettled are written twice');
  t.diagnostic(
    `full disk: ${afterFull.ids.length} lines written, ${settled} records settled; after: ${EVENTS} records, ${duplicateLines} duplicate lines; ` +
      `${logMessages(full.stderr).filter((message) => message.startsWith('blob not delivered')).length} blobs left for the next run`,
  );
});
