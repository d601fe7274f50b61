// The search engine stops for a minute in the middle of a backfill and comes back on the same data: the
// collector neither crashes nor gives up — it warns and retries while the engine is away — then resumes
// the backlog, and the data stream ends up holding exactly the records the emulator published.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestEngine } from '../../scripts/test-engine-lib.mjs';
import { startCollector, type CollectorExit } from '../collector/support/processes.mjs';
import { engineFlavour, testEngineUrl } from '../support/engine.js';
import { compareWithTruth, countDocuments, describeDifference, equalsTruth, readDocuments } from './support/index-contents.mjs';
import { startEngineScenario } from './support/scenario.js';

/** Required by the issue. */
const OUTAGE_MS = 60_000;
const EVENTS = 6000;
const RETRY_WARNING = 'bulk request failed; it will be sent again';
/** Generous, for a busy machine; reaching one fails the test with what the collector logged. */
const DEADLINE_MS = 5 * 60_000;

/**
 * A free port below the ephemeral range (32768 and up on Linux). While the engine is down, the
 * collector's connection attempts take ephemeral ports; with the engine's port among them, one could
 * take it (or connect to itself through it) and the restarted engine could not bind it again.
 */
async function portBelowEphemeralRange(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** Polls `check` until it returns a value; fails with `what` and the collector's log at the deadline. */
async function waitFor<T>(what: string, stderr: () => string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${DEADLINE_MS} ms:\n${stderr()}`);
    await sleep(250);
  }
}

function warnings(stderr: string, message: string): number {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .filter((line) => (JSON.parse(line) as { msg?: string }).msg === message).length;
}

test('the engine stopped for 60 s in the middle of a backfill: the collector retries, resumes, and the index equals the truth', async (t) => {
  // An engine of this test's own, of the same flavour as the suite's, which must not go down.
  const flavour = await engineFlavour(testEngineUrl());
  const engineDir = mkdtempSync(join(tmpdir(), 'o365-elk-outage-engine-'));
  const port = await portBelowEphemeralRange();
  let engine = await startTestEngine({ engine: flavour, dir: engineDir, port, keepData: true });
  // The engine and its data are thrown away at the end, so the data stream needs no removal.
  const scenario = await startEngineScenario(t, engine.url, { prefix: 'outage', emulatorArgs: ['--events', String(EVENTS)], removeDataStream: false });
  t.after(async () => {
    await engine.stop();
    rmSync(engineDir, { recursive: true, force: true });
  });
  const truth = await scenario.emulator.recordIds();
  const started = Date.now();

  const collector = startCollector({ command: 'once', config: scenario.config, args: scenario.outputArgs });
  t.after(() => collector.kill('SIGKILL'));
  let exit: CollectorExit | undefined;
  void collector.exited.then((value) => (exit = value));
  const indexedBeforeStop = await waitFor('the first documents', collector.stderr, async () => {
    const indexed = await countDocuments(engine.url, scenario.index);
    return indexed > 0 ? indexed : undefined;
  });

  await engine.stop();
  const stopped = Date.now();
  while (Date.now() - stopped < OUTAGE_MS) {
    assert.equal(exit, undefined, `the collector exited while the engine was down:\n${exit?.stderr}`);
    await sleep(1000);
  }
  const retryWarnings = warnings(collector.stderr(), RETRY_WARNING);
  assert.ok(retryWarnings > 0, `no "${RETRY_WARNING}" warning while the engine was down:\n${collector.stderr()}`);

  engine = await startTestEngine({ engine: flavour, dir: engineDir, port, keepData: true });
  const restarted = Date.now();
  const indexedAtRestart = await countDocuments(engine.url, scenario.index);
  assert.ok(indexedAtRestart >= indexedBeforeStop, `the restarted engine lost documents: ${indexedAtRestart} after, ${indexedBeforeStop} before`);
  assert.ok(indexedAtRestart < truth.size, 'the backfill was complete before the engine stopped (otherwise this test proves nothing)');
  const resumedAfterMs = await waitFor('a document indexed after the restart', collector.stderr, async () =>
    (await countDocuments(engine.url, scenario.index)) > indexedAtRestart ? Date.now() - restarted : undefined,
  );
  const finished = await waitFor('the end of the pass', collector.stderr, async () => exit);

  assert.equal(finished.code, 0, finished.stderr);
  const comparison = compareWithTruth(await readDocuments(engine.url, scenario.index), truth);
  assert.ok(equalsTruth(comparison, truth.size), describeDifference(comparison, truth.size));
  t.diagnostic(
    `engine down ${restarted - stopped} ms (stopped ${OUTAGE_MS} ms, then restarted in ${restarted - stopped - OUTAGE_MS} ms); ` +
      `${indexedBeforeStop} documents before the stop, ${indexedAtRestart} at the restart, ${truth.size} at the end; ` +
      `${retryWarnings} retry warnings; first new document ${resumedAfterMs} ms after the restart; pass ${finished.ms} ms, test ${Date.now() - started} ms`,
  );
});
