// One collector per ledger: a second `once`, `run` or `backfill` on a ledger that a running collector
// holds exits 2 with one line naming the ledger and the holder, and changes nothing (`status` still
// reads it); the lock dies with its process, so after a SIGKILL the next collector starts at once.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli } from '../http/support/cli.js';
import { readOutput, runCollector } from './support/processes.mjs';
import { assertOutputEqualsTruth, startScenario } from './support/scenario.js';

const POLL = ['-E', 'poll.interval=2s'];

async function waitForOutput(outputDir: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (readOutput(outputDir).ids.length === 0) {
    if (Date.now() > deadline) assert.fail('the first collector delivered nothing');
    await sleep(100);
  }
}

test('a second collector on a ledger in use exits 2 with one line naming the holder; the first carries on unaffected', async (t) => {
  const scenario = await startScenario(t, ['--events', '2000', '--days', '1']);
  const { emulator, config, outputDir, ledger } = scenario;
  const daemon = scenario.startCollector('run', POLL);
  await waitForOutput(outputDir);

  for (const command of ['once', 'run', 'backfill'] as const) {
    const second = await runCollector({ command, config });
    assert.equal(second.code, 2, second.stderr);
    assert.equal(
      second.stderr,
      `o365-elk: the ledger ${ledger} is in use by another o365-elk process (pid ${daemon.pid}); stop it or set state.path to another file\n`,
    );
  }
  assert.equal(statSync(`${ledger}.lock`).mode & 0o777, 0o600);
  // Reading the ledger needs no lock: status works beside the daemon.
  const status = await runCli(['status', '-c', config]);
  assert.equal(status.code, 0, status.stderr);

  // Unaffected: the daemon still delivers everything, each record once, and stops cleanly.
  const truth = await emulator.recordIds();
  const deadline = Date.now() + 90_000;
  while (new Set(readOutput(outputDir).ids).size < truth.size && Date.now() < deadline) await sleep(200);
  daemon.kill('SIGTERM');
  const stopped = await daemon.exited;
  assert.equal(stopped.code, 0, stopped.stderr);
  const { duplicateLines } = assertOutputEqualsTruth(outputDir, truth);
  assert.equal(duplicateLines, 0);
});

test('after a SIGKILL of the collector holding the ledger, the next one starts at once and completes', async (t) => {
  const scenario = await startScenario(t, ['--events', '2000', '--days', '1']);
  const { emulator, config, outputDir } = scenario;
  const daemon = scenario.startCollector('run', POLL);
  await waitForOutput(outputDir);
  daemon.kill('SIGKILL');
  assert.equal((await daemon.exited).signal, 'SIGKILL');

  const next = await runCollector({ command: 'once', config });
  assert.equal(next.code, 0, next.stderr);
  assert.doesNotMatch(next.stderr, /in use/);
  assertOutputEqualsTruth(outputDir, await emulator.recordIds());
});
