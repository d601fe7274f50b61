// Known emulator bug, kept visible: moving the emulator's clock forward stands for time passing for
// everyone, yet its token endpoint judges a certificate tenant's client assertion — stamped with the
// collector's real clock — by the advanced clock, and refuses it (AADSTS700024) once the clock is more
// than a few minutes ahead. Collector tests that move the clock far therefore use secret tenants only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCollector } from './support/processes.mjs';
import { assertOutputEqualsTruth, startScenario } from './support/scenario.js';

test(
  'after the emulator clock moves an hour, the certificate tenant still authenticates',
  { todo: 'src/emulator/identity/client-assertion.ts checks nbf/exp against the advanced virtual clock' },
  async (t) => {
    const { emulator, config, outputDir } = await startScenario(t, ['--events', '200', '--days', '1']);
    await emulator.advanceClock(3600);

    const run = await runCollector({ command: 'once', config });

    assert.equal(run.code, 0, run.stderr);
    assertOutputEqualsTruth(outputDir, await emulator.recordIds());
  },
);
