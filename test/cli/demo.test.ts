// `o365-elk demo` run twice on one folder: the restarted demo serves the same emulated history, so the
// ledger recognises what was delivered and the output gains no duplicate; and a second demo on a folder
// in use is refused with one line and exit 2, leaving the first one and its files alone.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openLedger } from '../../src/state/index.js';
import { readOutput, REPOSITORY } from '../collector/support/processes.mjs';

const STREAMS = 10; // 2 emulated tenants × 5 content types
/** Hang guard only: a busy machine may be slow, but a demo never needs this long. */
const DEADLINE_MS = 120_000;

interface Demo {
  pid: number | undefined;
  exited: Promise<{ code: number | null; stderr: string }>;
  stop(): Promise<{ code: number | null; stderr: string }>;
}

function startDemo(t: TestContext, dir: string): Demo {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('O365_ELK_')));
  const args = ['demo', '--dir', dir, '--events', '2000', '--live-rate', '60', '-E', 'poll.interval=1s', '-E', 'http.enabled=false', '-E', 'logging.json=true'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: REPOSITORY, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stderr }));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    pid: child.pid,
    exited,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Resolves once every stream has finished a pass that began at or after `since` (epoch ms). */
async function waitForPass(dir: string, since: number, demo: Demo): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  let exited = false;
  void demo.exited.then(() => (exited = true));
  for (;;) {
    if (exited) assert.fail(`the demo exited early: ${(await demo.exited).stderr}`);
    if (Date.now() > deadline) assert.fail('the demo did not complete a pass over every stream');
    if (passedSince(join(dir, 'state.db'), since)) return;
    await sleep(200);
  }
}

function passedSince(ledgerPath: string, since: number): boolean {
  if (!existsSync(ledgerPath)) return false;
  let streams;
  try {
    const ledger = openLedger(ledgerPath, { readonly: true });
    streams = ledger.listStreams();
    ledger.close();
  } catch {
    return false; // not created or migrated yet
  }
  return streams.filter((stream) => stream.lastPollAt !== null && stream.lastPollAt >= since).length === STREAMS;
}

function temporaryDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'o365-elk-demo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a stopped and restarted demo adds no duplicate records to its output', async (t) => {
  const dir = temporaryDir(t);
  const first = startDemo(t, dir);
  await waitForPass(dir, 0, first);
  const firstExit = await first.stop();
  assert.equal(firstExit.code, 0, firstExit.stderr);
  const afterFirst = readOutput(join(dir, 'output')).ids;
  assert.ok(afterFirst.length >= 2000, `the first demo delivered the backlog (${afterFirst.length} records)`);

  const restartedAt = Date.now();
  const second = startDemo(t, dir);
  await waitForPass(dir, restartedAt, second);
  const secondExit = await second.stop();
  assert.equal(secondExit.code, 0, secondExit.stderr);

  const ids = readOutput(join(dir, 'output')).ids;
  const duplicates = ids.length - new Set(ids).size;
  assert.equal(duplicates, 0, `${duplicates} of ${ids.length} output lines repeat a record already delivered`);
  t.diagnostic(`${afterFirst.length} records after the first run, ${ids.length} after the restart`);
});

test('a second demo on a folder in use exits 2 with one line, and the first demo and its files are untouched', async (t) => {
  const dir = temporaryDir(t);
  const first = startDemo(t, dir);
  await waitForPass(dir, 0, first);
  const connector = readFileSync(join(dir, 'connector.yml'), 'utf8');

  const second = startDemo(t, dir);
  const refused = await Promise.race([second.exited, sleep(DEADLINE_MS, undefined, { ref: false }).then(() => ({ code: null, stderr: 'still running' }))]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.equal(refused.stderr, `o365-elk: the demo folder ${dir} is in use by another o365-elk demo (pid ${first.pid}); stop it or pass --dir with another folder\n`);
  assert.equal(readFileSync(join(dir, 'connector.yml'), 'utf8'), connector, 'connector.yml is the first demo\'s');

  const stillCollecting = Date.now();
  await waitForPass(dir, stillCollecting, first);
  const firstExit = await first.stop();
  assert.equal(firstExit.code, 0, firstExit.stderr);
  const ids = readOutput(join(dir, 'output')).ids;
  assert.equal(ids.length, new Set(ids).size, 'no record was delivered twice');
});
