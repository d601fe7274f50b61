// Settings given outside connector.yml reach the collector: O365_ELK_* environment variables, and -E
// overrides, which win over the environment.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readLedgerBlobs, runCollector } from './support/processes.mjs';
import { assertOutputEqualsTruth, startScenario } from './support/scenario.js';

test('O365_ELK_* variables and -E overrides reach the collector, -E winning', async (t) => {
  const { emulator, dir, config, outputDir, ledger } = await startScenario(t, ['--events', '500', '--tenants', '1']);
  const paths = {
    outputFromEnvironment: join(dir, 'output-from-environment'),
    outputFromCommandLine: join(dir, 'output-from-command-line'),
    ledgerFromEnvironment: join(dir, 'ledger-from-environment', 'state.db'),
  };

  const run = await runCollector({
    command: 'once',
    config,
    args: ['-E', `output.file.path=${paths.outputFromCommandLine}`],
    env: { O365_ELK_OUTPUT_FILE_PATH: paths.outputFromEnvironment, O365_ELK_STATE_PATH: paths.ledgerFromEnvironment },
  });

  assert.equal(run.code, 0, run.stderr);
  assertOutputEqualsTruth(paths.outputFromCommandLine, await emulator.recordIds());
  assert.ok(readLedgerBlobs(paths.ledgerFromEnvironment).length > 0, 'the ledger is where the environment put it');
  for (const unused of [paths.outputFromEnvironment, outputDir, ledger]) assert.equal(existsSync(unused), false, `${unused} was written`);
});
