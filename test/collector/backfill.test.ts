// `o365-elk once` against the emulator: a first pass backfills the 7-day backlog, and the output must
// hold exactly the records the emulator published — none missing, none extra — however the API
// misbehaves. The emulator and the collector run as child processes, as a user runs them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readLedgerBlobs, readOutput, runCollector } from './support/processes.mjs';
import { assertOutputEqualsTruth, logMessages, startScenario } from './support/scenario.js';

const BLOB_LOST = 'content blob lost';

test('a clean 7-day backfill delivers every record once and exits 0', async (t) => {
  const { emulator, config, outputDir } = await startScenario(t, ['--events', '5000']);

  const run = await runCollector({ command: 'once', config });

  assert.equal(run.code, 0, run.stderr);
  const truth = await emulator.recordIds();
  assert.equal(truth.size, 5000);
  const { duplicateLines } = assertOutputEqualsTruth(outputDir, truth);
  assert.equal(duplicateLines, 0);
  t.diagnostic(`5000 records in ${run.ms} ms`);
});

// Seed 6 makes the emulator lose a blob early (AF20051) and seed 3 does not, so both exit codes are
// exercised; each assertion still holds whichever way a seed turns out.
for (const seed of ['6', '3']) {
  test(`under hostile faults (seed ${seed}) the output still equals the truth, and the exit code says whether content was lost`, async (t) => {
    const { emulator, config, outputDir } = await startScenario(t, ['--events', '4000', '--seed', seed, '--faults', 'hostile', '--page-size', '5']);

    const run = await runCollector({ command: 'once', config });

    const truth = await emulator.recordIds();
    const lost = await emulator.recordIds({ lost: true });
    const { lines, duplicateLines } = assertOutputEqualsTruth(outputDir, truth);
    const lostReports = logMessages(run.stderr).filter((message) => message.startsWith(BLOB_LOST)).length;
    if (lost.size > 0) assert.ok(lostReports > 0, 'records the emulator lost are reported as a lost blob');
    assert.equal(run.code, lostReports > 0 ? 1 : 0, run.stderr);
    t.diagnostic(
      `seed ${seed}: ${truth.size} records obtainable, ${lost.size} lost by the emulator, ${lostReports} blobs reported lost, ` +
        `${lines} lines (${duplicateLines} duplicates from repeated records), exit ${run.code}, ${run.ms} ms`,
    );
  });
}

test('blobs listed up to two hours late are caught by the next pass', async (t) => {
  // One tenant: the other authenticates with a certificate, whose assertion the emulator would judge by
  // its advanced clock and refuse (AADSTS700024).
  const { emulator, config, outputDir } = await startScenario(t, [
    '--tenants', '1', '--days', '1', '--events', '3000', '--faults', 'late_rate=0.3,late_max_ms=7200000',
  ]);

  const first = await runCollector({ command: 'once', config });
  assert.equal(first.code, 0, first.stderr);
  const before = await emulator.recordIds();
  assertOutputEqualsTruth(outputDir, before);

  await emulator.advanceClock(7200 + 60);
  const after = await emulator.recordIds();
  assert.ok(after.size > before.size, 'the emulator listed blobs late (otherwise this test proves nothing)');

  const second = await runCollector({ command: 'once', config });
  assert.equal(second.code, 0, second.stderr);
  assertOutputEqualsTruth(outputDir, after);
  t.diagnostic(`${after.size - before.size} records in late blobs caught on the second pass`);
});

test('duplicated and shuffled listings fetch each blob once; duplicate lines come only from repeated records', async (t) => {
  const repeatedRecords = 'duplicate_rate=0.05,cross_duplicate_rate=0.05';
  const common = ['--events', '3000', '--seed', '11', '--page-size', '5'];
  const control = await startScenario(t, [...common, '--faults', repeatedRecords]);
  const shuffled = await startScenario(t, [...common, '--faults', `${repeatedRecords},listing_duplicate_rate=0.3,listing_shuffle=true`]);
  const truth = await shuffled.emulator.recordIds();
  assert.deepEqual(await control.emulator.recordIds(), truth, 'both emulators publish the same records');

  const outcomes = [];
  for (const scenario of [control, shuffled]) {
    const run = await runCollector({ command: 'once', config: scenario.config });
    assert.equal(run.code, 0, run.stderr);
    const { lines, duplicateLines } = assertOutputEqualsTruth(scenario.outputDir, truth);
    // The ledger counts every record of every blob it settled: more lines would mean a blob written twice.
    const settled = readLedgerBlobs(scenario.ledger).reduce((sum, blob) => sum + blob.records, 0);
    assert.equal(lines, settled);
    outcomes.push({ lines, duplicateLines });
  }
  const [withoutListingFaults, withListingFaults] = outcomes;
  assert.deepEqual(withListingFaults, withoutListingFaults, 'listing duplicates and shuffling add no line');
  assert.ok(withListingFaults!.duplicateLines > 0, 'the repeated records reach the file output (the file sink does not deduplicate)');
  const perId = new Map<string, number>();
  for (const id of readOutput(shuffled.outputDir).ids) perId.set(id, (perId.get(id) ?? 0) + 1);
  // A record is repeated at most once in its own blob and once in the next one.
  assert.ok(Math.max(...perId.values()) <= 3);
  t.diagnostic(`${truth.size} records, ${withListingFaults!.lines} lines, ${withListingFaults!.duplicateLines} duplicate lines`);
});
