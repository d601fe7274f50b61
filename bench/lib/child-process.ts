// What the benchmark needs from its child processes: the compiled CLI started with node, the exit
// awaited, and the tail of stderr kept for error messages.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STDERR_TAIL_LINES = 20;

export interface CliProcess {
  child: ChildProcess;
  /** Settles when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines the process wrote to stderr. */
  stderrTail(): string;
}

/** Starts `node [--import preload] CLI ...args`. `onStderrLine` sees every line of stderr (the collector logs there). */
export function spawnCli(
  cli: string,
  args: string[],
  options: { preload?: string; env?: NodeJS.ProcessEnv; onStderrLine?: (line: string) => void; signal?: AbortSignal } = {},
): CliProcess {
  const nodeArgs = [...(options.preload ? ['--import', options.preload] : []), cli, ...args];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Aborting sends SIGTERM, which both the collector and the emulator take as "stop cleanly".
    ...(options.signal ? { signal: options.signal, killSignal: 'SIGTERM' as const } : {}),
  });
  const tail: string[] = [];
  let partial = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      options.onStderrLine?.(line);
      tail.push(line);
      if (tail.length > STDERR_TAIL_LINES) tail.shift();
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // An abort is reported as an error, but the process still exits (above) once it has stopped.
    child.once('error', (error) => {
      if (error.name !== 'AbortError') reject(error);
    });
  });
  return { child, exited, stderrTail: () => [...tail, partial].filter((l) => l.trim() !== '').join('\n') };
}
