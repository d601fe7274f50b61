// A fresh directory with an emulator serving it, torn down when the test ends, and the one assertion
// every collector test makes: the output holds exactly the records the emulator says it published.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { compareIds, readOutput, startCollector, startEmulator, type CollectorOptions, type CollectorProcess, type RunningEmulator } from './processes.mjs';

export interface Scenario {
  emulator: RunningEmulator;
  dir: string;
  /** The connector.yml the emulator wrote: output in DIR/output, ledger in DIR/state.db. */
  config: string;
  outputDir: string;
  ledger: string;
  /** A collector on this scenario's config that is killed, should the test end with it still running, before the emulator stops. */
  startCollector(command: CollectorOptions['command'], args?: string[]): CollectorProcess;
}

export async function startScenario(t: TestContext, emulatorArgs: string[]): Promise<Scenario> {
  const dir = mkdtempSync(join(tmpdir(), 'o365-elk-collector-'));
  const emulator = await startEmulator({ dir, args: emulatorArgs });
  const config = join(dir, 'connector.yml');
  const collectors: CollectorProcess[] = [];
  t.after(async () => {
    for (const collector of collectors) {
      collector.kill('SIGKILL');
      await collector.exited;
    }
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    emulator,
    dir,
    config,
    outputDir: join(dir, 'output'),
    ledger: join(dir, 'state.db'),
    startCollector(command, args = []) {
      const collector = startCollector({ command, config, args });
      collectors.push(collector);
      return collector;
    },
  };
}

/** The output's ids against the truth; returns the number of duplicate lines, which some tests allow. */
export function assertOutputEqualsTruth(outputDir: string, truth: Set<string>): { lines: number; duplicateLines: number } {
  const output = readOutput(outputDir);
  assert.deepEqual(output.broken, [], 'every output line is a whole JSON document');
  const { missing, extra, duplicateLines } = compareIds(output.ids, truth);
  assert.ok(
    missing.length === 0 && extra.length === 0,
    `output differs from the emulator's records: ${missing.length} missing (e.g. ${missing.slice(0, 3).join(', ')}), ` +
      `${extra.length} extra (e.g. ${extra.slice(0, 3).join(', ')}); ${truth.size} expected`,
  );
  return { lines: output.ids.length, duplicateLines };
}

/** The `msg` of each JSON log line the collector wrote. */
export function logMessages(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { msg?: string }).msg ?? '');
}
