// `o365-elk ARGS` as a child process, as a user runs it, with its output captured.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { REPOSITORY } from '../../collector/support/processes.mjs';

export interface CliExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runCli(args: readonly string[]): Promise<CliExit> {
  // O365_ELK_* variables of the test's own environment would override the configuration under test.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('O365_ELK_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: REPOSITORY, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}
