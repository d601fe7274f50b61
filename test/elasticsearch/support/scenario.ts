// A fresh directory with an emulator serving it and a data stream of the engine to collect into, both
// removed when the test ends; and the CLI's other commands, run as a user runs them.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { Agent, request } from 'undici';
import { REPOSITORY, startEmulator, type RunningEmulator } from '../../collector/support/processes.mjs';
import { elasticsearchOutputArgs, removeDataStream, uniqueDataStream } from './index-contents.mjs';

export interface EngineScenario {
  emulator: RunningEmulator;
  dir: string;
  /** The connector.yml the emulator wrote; its ledger is DIR/state.db. */
  config: string;
  /** `DIR/dead-letter.ndjson`: beside the ledger, where the output puts documents the engine refuses. */
  deadLetterFile: string;
  /** The data stream this test writes into. */
  index: string;
  /** `-E` settings that send the collector's output to `index`. */
  outputArgs: string[];
}

export interface EngineScenarioOptions {
  /** Starts the data stream's name. */
  prefix: string;
  emulatorArgs: string[];
  /** False when the engine itself is thrown away after the test, and may be down when it ends. */
  removeDataStream?: boolean;
}

export async function startEngineScenario(t: TestContext, engineUrl: string, options: EngineScenarioOptions): Promise<EngineScenario> {
  const dir = mkdtempSync(join(tmpdir(), 'o365-elk-es-'));
  const index = uniqueDataStream(options.prefix);
  if (options.removeDataStream !== false) t.after(() => removeDataStream(engineUrl, index));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const emulator = await startEmulator({ dir, args: options.emulatorArgs });
  t.after(() => emulator.stop());
  return {
    emulator,
    dir,
    config: join(dir, 'connector.yml'),
    deadLetterFile: join(dir, 'dead-letter.ndjson'),
    index,
    outputArgs: elasticsearchOutputArgs(engineUrl, index),
  };
}

/** The CreationTime of every record the emulator published (`GET /_emulator/records`), by record Id. */
export async function creationTimesById(scenario: EngineScenario): Promise<Map<string, string>> {
  const dispatcher = new Agent({ connect: { ca: readFileSync(join(scenario.dir, 'ca.pem'), 'utf8') } });
  try {
    const response = await request(new URL('/_emulator/records', scenario.emulator.url), { dispatcher });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`/_emulator/records answered ${response.statusCode}: ${text}`);
    const records = text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { Id: string; CreationTime: string });
    return new Map(records.map((record) => [record.Id, record.CreationTime]));
  } finally {
    await dispatcher.close();
  }
}

export interface CommandExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `o365-elk ARGS` run to its end. */
export function runCommand(args: string[]): Promise<CommandExit> {
  return runNode(['--import', 'tsx', 'src/cli/main.ts', ...args]);
}

/** `node ARGS` in the repository, run to its end, with none of this process's O365_ELK_* variables (settings) passed on. */
export async function runNode(args: string[]): Promise<CommandExit> {
  const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('O365_ELK_')));
  const child = spawn(process.execPath, args, { cwd: REPOSITORY, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  // 'close' rather than 'exit': the output is complete only once the pipes have closed.
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}
