// The first steps of every benchmark part: compile the connector into the part's scratch directory, as
// users run it, and start the emulator there as a child process with a backlog over 7 days.
import { join } from 'node:path';
import { buildConnector } from './build.js';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process.js';

export const BACKLOG_DAYS = 7;

export interface Backlog {
  events: number;
  tenants: number;
  /** The emulator's --faults. */
  faults: string;
}

/** The compiled CLI and the running emulator; the caller stops the emulator. */
export async function compileAndStartEmulator(
  workDir: string,
  backlog: Backlog,
  signal: AbortSignal,
  say: (line: string) => void,
): Promise<{ cli: string; emulator: EmulatorProcess }> {
  say('compiling the connector (tsc, tsconfig.build.json) into a scratch directory');
  const cli = await buildConnector(workDir);
  signal.throwIfAborted();
  say(`starting the emulator: ${backlog.events.toLocaleString('en-US')} events over ${BACKLOG_DAYS} days, ${backlog.tenants} tenant(s), faults=${backlog.faults}`);
  const emulator = await startEmulatorProcess({ cli, dir: join(workDir, 'emulator'), ...backlog, days: BACKLOG_DAYS, signal });
  return { cli, emulator };
}
