// `o365-elk run` against the emulator: the daemon keeps up with new content as the emulator's clock moves,
// and SIGTERM stops it cleanly — also in the middle of its first backfill, which the next run completes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { compareIds, readOutput, runCollector, type CollectorProcess, type RunningEmulator } from './support/processes.mjs';
import { assertOutputEqualsTruth, logMessages, startScenario } from './support/scenario.js';

const POLL = ['-E', 'poll.interval=2s'];
/** Generous: the machine running the tests may be busy. Reaching it fails the test with the difference. */
const CATCH_UP_DEADLINE_MS = 90_000;

async function waitForOutputToEqualTruth(emulator: RunningEmulator, outputDir: string, daemon: CollectorProcess): Promise<number> {
  const deadline = Date.now() + CATCH_UP_DEADLINE_MS;
  for (;;) {
    const truth = await emulator.recordIds();
    const { missing, extra } = compareIds(readOutput(outputDir).ids, truth);
    if (missing.length === 0 && extra.length === 0) return truth.size;
    if (Date.now() > deadline) {
      assert.fail(`the daemon did not catch up: ${missing.length} records missing, ${extra.length} extra\n${daemon.stderr()}`);
    }
    await sleep(500);
  }
}

async function stopDaemon(daemon: CollectorProcess): Promise<{ code: number | null; stopMs: number; stderr: string }> {
  const stopping = Date.now();
  daemon.kill('SIGTERM');
  const exit = await daemon.exited;
  return { code: exit.code, stopMs: Date.now() - stopping, stderr: exit.stderr };
}

test('the daemon keeps up while new content appears, and SIGTERM stops it with exit 0', async (t) => {
  const scenario = await startScenario(t, ['--events', '2000', '--days', '1', '--live-rate', '60']);
  const { emulator, outputDir } = scenario;
  const daemon = scenario.startCollector('run', POLL);

  const sizes = [await waitForOutputToEqualTruth(emulator, outputDir, daemon)];
  // Each step publishes two minutes of live content at once. Three steps keep the emulator's clock within
  // the tolerance of the certificate tenant's client assertion.
  for (let step = 0; step < 3; step++) {
    await emulator.advanceClock(120);
    sizes.push(await waitForOutputToEqualTruth(emulator, outputDir, daemon));
  }
  assert.ok(sizes[3]! > sizes[0]!, 'live content appeared (otherwise this test proves nothing)');

  const stopped = await stopDaemon(daemon);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.ok(stopped.stopMs < 10_000, `stopping took ${stopped.stopMs} ms`);
  t.diagnostic(`records after each step: ${sizes.join(', ')}; stopped in ${stopped.stopMs} ms`);
});

test('SIGTERM during the first backfill exits 0, and the next pass completes it without reporting a gap', async (t) => {
  // One listing entry per page and slow answers: the stop lands while listing requests are in flight.
  const scenario = await startScenario(t, ['--events', '6000', '--page-size', '1', '--faults', 'latency_ms=30']);
  const { emulator, config, outputDir } = scenario;
  const daemon = scenario.startCollector('run', POLL);
  while (readOutput(outputDir).ids.length === 0) await sleep(100);

  const stopped = await stopDaemon(daemon);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.ok(stopped.stopMs < 10_000, `stopping took ${stopped.stopMs} ms`);
  const truth = await emulator.recordIds();
  const partial = new Set(readOutput(outputDir).ids).size;
  assert.ok(partial < truth.size, 'the daemon was stopped before it had everything (otherwise this test proves nothing)');

  const next = await runCollector({ command: 'once', config });
  assert.equal(next.code, 0, next.stderr);
  assert.ok(!logMessages(next.stderr).some((message) => message.startsWith('retention gap')), next.stderr);
  assertOutputEqualsTruth(outputDir, truth);
  t.diagnostic(`stopped after ${partial} of ${truth.size} records, in ${stopped.stopMs} ms`);
});
