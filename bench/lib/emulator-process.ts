// The emulator as a child process, started the way a user starts it (`o365-elk emulator`), so that its
// CPU is not charged to the benchmark and its event loop does not compete with the benchmark's own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processCpuSeconds } from './proc.js';
import { spawnCli } from './child-process.js';

export interface EmulatorProcess {
  url: string;
  /** Directory holding connector.yml, ca.pem and the tenants' credentials. */
  dir: string;
  caPem: string;
  /** CPU the emulator has used so far, seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export interface EmulatorSettings {
  /** The compiled CLI entry point. */
  cli: string;
  dir: string;
  events: number;
  tenants: number;
  days: number;
  faults: string;
  /** Stops the emulator when aborted. */
  signal: AbortSignal;
}

export async function startEmulatorProcess(settings: EmulatorSettings): Promise<EmulatorProcess> {
  const cli = spawnCli(settings.cli, [
    'emulator',
    '--dir', settings.dir,
    '--events', String(settings.events),
    '--tenants', String(settings.tenants),
    '--days', String(settings.days),
    '--faults', settings.faults,
  ], { signal: settings.signal });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    cli.child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      const ready = /^ready (\S+)$/m.exec(output);
      if (ready?.[1]) resolve(ready[1]);
    });
    void cli.exited.then(({ code, signal }) =>
      reject(new Error(`the emulator exited before it was ready (${signal ?? `exit code ${code}`}): ${cli.stderrTail() || 'no message'}`)),
    );
  });
  const pid = cli.child.pid!;
  return {
    url,
    dir: settings.dir,
    caPem: readFileSync(join(settings.dir, 'ca.pem'), 'utf8'),
    cpuSeconds: () => processCpuSeconds(pid),
    stop: async () => {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGTERM');
      await cli.exited;
    },
  };
}
