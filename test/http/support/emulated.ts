// An emulator in this process, for tests that drive the collector directly: its fault knobs stay
// reachable (the services read them on every request), and the connector.yml it wrote loads as a Config.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { loadConfig, type Config } from '../../../src/config/index.js';
import { writeClientFiles } from '../../../src/emulator/command.js';
import { FAULT_PRESETS } from '../../../src/emulator/faults.js';
import { DEFAULT_BEHAVIOUR, type RunningEmulator } from '../../../src/emulator/server.js';
import type { Faults } from '../../../src/emulator/types.js';
import { createLogger, type Logger } from '../../../src/util/logger.js';
import { startLocalEmulator } from '../../support/emulator.js';

export interface Emulated {
  emulator: RunningEmulator;
  /** Mutable: a change applies to the next request. */
  faults: Faults;
  dir: string;
  configFile: string;
  /** connector.yml with `-E` overrides; logs only errors. */
  config(overrides?: string[]): Config;
}

export interface EmulatedOptions {
  events?: number;
  days?: number;
  tenants?: number;
  meanBlobRecords?: number;
  pageSize?: number;
  faults?: Partial<Faults>;
}

export async function startEmulated(t: TestContext, options: EmulatedOptions = {}): Promise<Emulated> {
  const dir = mkdtempSync(join(tmpdir(), 'o365-elk-http-'));
  const faults: Faults = { ...FAULT_PRESETS.none, ...options.faults };
  const emulator = await startLocalEmulator({
    seed: 5,
    events: options.events ?? 200,
    days: options.days ?? 1,
    tenants: options.tenants ?? 2,
    ...(options.meanBlobRecords ? { meanBlobRecords: options.meanBlobRecords } : {}),
    faults,
    behaviour: { ...DEFAULT_BEHAVIOUR, pageSize: options.pageSize ?? 100 },
  });
  writeClientFiles(dir, emulator);
  t.after(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const configFile = join(dir, 'connector.yml');
  return {
    emulator,
    faults,
    dir,
    configFile,
    config: (overrides = []) => loadConfig({ file: configFile, overrides: ['logging.level=error', ...overrides], env: {} }),
  };
}

export function silentLogger(): Logger {
  return createLogger({ level: 'silent', json: true });
}

/** Resolves once `condition` holds, checking every 100 ms; fails after `timeoutMs` (a hang guard, not a speed test). */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition still false after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
