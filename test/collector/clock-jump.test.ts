// The host's clock jumps far ahead — here 8 days, past the contentExpiration of every blob the ledger
// holds — while Microsoft's stays right. The collector goes by the API's times, so the ledger keeps
// its blobs, nothing is delivered twice, and new content is not given up as expired.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { readLedgerBlobs, runCollector } from './support/processes.mjs';
import { assertOutputEqualsTruth, startScenario } from './support/scenario.js';

const JUMP_MS = 8 * 86_400_000;
const jumpedClock = {
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(new URL('./support/shifted-clock.mjs', import.meta.url).pathname).href}`,
  CLOCK_OFFSET_MS: String(JUMP_MS),
};

test('after the host clock jumps 8 days ahead, the ledger keeps its blobs and nothing is delivered twice or given up', async (t) => {
  // One tenant: the other authenticates with a certificate, whose assertion would carry the jumped time.
  const { emulator, config, outputDir, ledger } = await startScenario(t, ['--tenants', '1', '--days', '2', '--events', '1000', '--live-rate', '20']);
  const before = await runCollector({ command: 'once', config });
  assert.equal(before.code, 0, before.stderr);
  const settledBefore = readLedgerBlobs(ledger).length;
  await emulator.advanceClock(600);

  const jumped = await runCollector({ command: 'once', config, env: jumpedClock });

  assert.equal(jumped.code, 0, jumped.stderr);
  const settled = readLedgerBlobs(ledger);
  assert.ok(settled.length > settledBefore, `the ledger holds ${settled.length} blobs, ${settledBefore} before the jump and new content since`);
  assert.deepEqual(settled.filter((blob) => blob.outcome !== 'delivered'), [], 'no content is given up as expired');
  // Eight days less the ten minutes the emulator's clock moved.
  assert.match(jumped.stderr, /this host's clock is 7 d 23 h 5\d min ahead of the Management Activity API's/);

  const again = await runCollector({ command: 'once', config, env: jumpedClock });

  assert.equal(again.code, 0, again.stderr);
  const { lines, duplicateLines } = assertOutputEqualsTruth(outputDir, await emulator.recordIds());
  assert.equal(duplicateLines, 0, 'nothing is delivered twice');
  t.diagnostic(`${settled.length} blobs kept across the jump (${settledBefore} before it), ${lines} lines, no duplicate`);
});
