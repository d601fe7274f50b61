// The emulator and the collector as child processes, started through the CLI exactly as a user starts
// them, and readers for what they leave behind: the emulator's ground truth, the file output, the ledger.
// Plain JavaScript so that scripts/crash-test.mjs can use it without a TypeScript loader.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Agent, request } from 'undici';

export const REPOSITORY = fileURLToPath(new URL('../../..', import.meta.url));
const ENVIRONMENT_PREFIX = 'O365_ELK_';

const running = new Set();
// A test or script that dies must not leave emulators or collectors running behind it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * `node --import tsx src/cli/main.ts ARGS` in the repository, its output captured. With `fileSizeLimit`
 * (bytes, a multiple of 512) it runs under that RLIMIT_FSIZE, SIGXFSZ ignored: a write past the limit is
 * cut short, the next one fails with EFBIG — a full disk that needs no privileges.
 */
function spawnCli(args, env, { fileSizeLimit } = {}) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith(ENVIRONMENT_PREFIX)));
  const node = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', ...args];
  const [command, ...commandArgs] =
    fileSizeLimit === undefined ? node : ['sh', '-c', 'trap "" XFSZ; ulimit -f "$0"; exec "$@"', String(fileSizeLimit / 512), ...node];
  const child = spawn(command, commandArgs, {
    cwd: REPOSITORY,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
  const started = performance.now();
  const exited = once(child, 'exit').then(([code, signal]) => {
    running.delete(child);
    return { code, signal, stdout, stderr, ms: Math.round(performance.now() - started) };
  });
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

export async function startEmulator({ dir, args = [] }) {
  const cli = spawnCli(['emulator', '--dir', dir, ...args], {});
  const lines = createInterface({ input: cli.child.stdout });
  const ready = new Promise((resolve) => {
    lines.on('line', (line) => {
      const match = /^ready (\S+)$/.exec(line);
      if (match) resolve(match[1]);
    });
  });
  const url = await Promise.race([
    ready,
    cli.exited.then((exit) => {
      throw new Error(`the emulator exited (${exit.code ?? exit.signal}) before it was ready: ${exit.stderr.trim()}`);
    }),
  ]);
  const ca = url.startsWith('https:') ? readFileSync(join(dir, 'ca.pem'), 'utf8') : undefined;
  const dispatcher = new Agent({ connect: ca ? { ca } : {} });

  const call = async (method, path) => {
    const response = await request(new URL(path, url), { method, dispatcher });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`${method} ${path} answered ${response.statusCode}: ${text}`);
    return text;
  };
  const records = async (lost) =>
    (await call('GET', `/_emulator/records${lost ? '?lost=1' : ''}`))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const record = JSON.parse(line);
        return { id: record.Id, tenantId: record.OrganizationId };
      });

  return {
    url,
    dir,
    records: ({ lost = false } = {}) => records(lost),
    recordIds: async ({ lost = false } = {}) => new Set((await records(lost)).map((record) => record.id)),
    stats: async () => JSON.parse(await call('GET', '/_emulator/stats')),
    advanceClock: async (seconds) => {
      await call('POST', `/_emulator/clock?advance=${seconds}`);
    },
    stop: async () => {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGTERM');
      await cli.exited;
      await dispatcher.close();
    },
  };
}

export function startCollector({ command, config, args = [], env = {}, fileSizeLimit }) {
  const cli = spawnCli([command, '-c', config, ...args], env, { fileSizeLimit });
  return {
    pid: cli.child.pid,
    exited: cli.exited,
    stderr: cli.stderr,
    kill: (signal) => cli.child.kill(signal),
  };
}

export function runCollector(options) {
  return startCollector(options).exited;
}

/** Every line of the NDJSON files in `dir`, oldest file first: the `event.id` of each, and the lines that do not parse. */
export function readOutput(dir) {
  const ids = [];
  const broken = [];
  if (!existsSync(dir)) return { ids, broken, files: 0 };
  const files = readdirSync(dir).filter((name) => name.endsWith('.ndjson')).sort();
  for (const file of files) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (line === '') return;
      try {
        ids.push(JSON.parse(line).event.id);
      } catch {
        // A line with no newline after it is the tail of a write that a crash cut short.
        broken.push({ file, line: index + 1, unterminated: index === lines.length - 1 });
      }
    });
  }
  return { ids, broken, files: files.length };
}

/** How the ids found in an output compare with the truth: none missing, none extra is the goal. */
export function compareIds(outputIds, truthIds) {
  const lines = [...outputIds];
  const output = new Set(lines);
  const truth = new Set(truthIds);
  return {
    missing: [...truth].filter((id) => !output.has(id)),
    extra: [...output].filter((id) => !truth.has(id)),
    duplicateLines: lines.length - output.size,
  };
}

/** The blobs the ledger has settled, read straight from its table. */
export function readLedgerBlobs(path) {
  if (!existsSync(path)) return [];
  const db = new Database(path, { fileMustExist: true });
  try {
    return db
      .prepare('SELECT content_id AS contentId, record_count AS records, outcome FROM blobs')
      .all();
  } finally {
    db.close();
  }
}
