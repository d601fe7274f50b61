// Moving the emulator's clock forward moves its content timeline only: credentials stay in real time,
// because clients stamp client assertions and cache tokens by their own clocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCollector } from './support/processes.mjs';
import { assertOutputEqualsTruth, startScenario } from './support/scenario.js';

test(
  'after the emulator clock moves an hour, the certificate tenant still authenticates',
  async (t) => {
    const { emulator, config, outputDir } = await startScenario(t, ['--events', '200', '--days', '1']);
    await emulator.advanceClock(3600);

    const run = await runCollector({ command: 'once', config });

    assert.equal(run.code, 0, run.stderr);
    assertOutputEqualsTruth(outputDir, await emulator.recordIds());
  },
);
