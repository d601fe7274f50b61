// SIGTERM stops the daemon within 10 s whatever it is waiting for: a token that never comes, the pause
// between token retries, subscriptions, the back-off after API errors, listing and blob fetches, or an
// output engine that has gone away.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { countDocuments, elasticsearchOutputArgs, removeDataStream, uniqueDataStream } from '../elasticsearch/support/index-contents.mjs';
import { testEngineUrl } from '../sinks/support/engine.js';
import { startTcpProxy } from '../sinks/support/proxies.js';
import type { CollectorExit, CollectorProcess, EmulatorStats } from './support/processes.mjs';
import { startScenario } from './support/scenario.js';

/** The product's promise to systemd, docker and terminals. */
const STOP_LIMIT_MS = 10_000;
/** A hang guard for reaching the state, for a busy machine; not a speed requirement. */
const REACH_DEADLINE_MS = 60_000;

async function waitUntil(what: string, collector: CollectorProcess, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + REACH_DEADLINE_MS;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`${what} did not happen:\n${collector.stderr()}`);
    await sleep(100);
  }
}

async function stopWithin10s(t: TestContext, collector: CollectorProcess): Promise<CollectorExit> {
  const stopping = Date.now();
  collector.kill('SIGTERM');
  // A collector that would never stop is killed after a while, so that the test fails instead of hanging.
  const guard = setTimeout(() => collector.kill('SIGKILL'), 3 * STOP_LIMIT_MS);
  const exit = await collector.exited.finally(() => clearTimeout(guard));
  const stopMs = Date.now() - stopping;
  assert.ok(stopMs < STOP_LIMIT_MS, `stopping took ${stopMs} ms:\n${exit.stderr}`);
  assert.equal(exit.signal, null, 'it exits by itself, not by the signal');
  t.diagnostic(`stopped in ${stopMs} ms, exit ${exit.code}`);
  return exit;
}

const waiting = (stats: EmulatorStats, operation: string): boolean => stats.inFlight.some((entry) => entry.operation === operation && entry.count > 0);
const answered = (stats: EmulatorStats, operation: string, status: number): number =>
  stats.requests.filter((entry) => entry.operation === operation && entry.status === status).reduce((sum, entry) => sum + entry.count, 0);

test('SIGTERM while the token request gets no answer', async (t) => {
  const scenario = await startScenario(t, ['--events', '200', '--faults', 'token_hang=true']);
  const daemon = scenario.startCollector('run');
  await waitUntil('a token request held by the emulator', daemon, async () => waiting(await scenario.emulator.stats(), 'token'));
  await stopWithin10s(t, daemon);
});

test('SIGTERM between retries of a token endpoint that answers 500', async (t) => {
  const scenario = await startScenario(t, ['--events', '200', '--faults', 'token_error_rate=1']);
  const daemon = scenario.startCollector('run');
  await waitUntil('a retried token request', daemon, async () => answered(await scenario.emulator.stats(), 'token', 500) >= 2);
  await stopWithin10s(t, daemon);
});

test('SIGTERM while the subscriptions are being checked', async (t) => {
  const scenario = await startScenario(t, ['--events', '200', '--faults', 'latency_ms=120000']);
  const daemon = scenario.startCollector('run');
  await waitUntil('a subscription request held by the emulator', daemon, async () => waiting(await scenario.emulator.stats(), 'subscriptions/list'));
  await stopWithin10s(t, daemon);
});

test('SIGTERM in the back-off after API server errors', async (t) => {
  const scenario = await startScenario(t, ['--events', '200', '--faults', 'error_rate=1']);
  const daemon = scenario.startCollector('run');
  await waitUntil('a retried API request', daemon, async () => answered(await scenario.emulator.stats(), 'subscriptions/list', 500) >= 2);
  await stopWithin10s(t, daemon);
});

test('SIGTERM while listing pages and blobs are in flight', async (t) => {
  const scenario = await startScenario(t, ['--events', '3000', '--page-size', '1', '--faults', 'latency_ms=2000']);
  const daemon = scenario.startCollector('run');
  await waitUntil('listing and blob requests held by the emulator', daemon, async () => {
    const stats = await scenario.emulator.stats();
    return waiting(stats, 'subscriptions/content') && waiting(stats, 'audit/{contentId}');
  });
  await stopWithin10s(t, daemon);
});

test('SIGTERM while the output retries an engine that has become unreachable', async (t) => {
  const engine = testEngineUrl();
  const index = uniqueDataStream('o365-elk-stop');
  t.after(() => removeDataStream(engine, index));
  const proxy = await startTcpProxy(engine);
  t.after(() => proxy.close());
  const scenario = await startScenario(t, ['--events', '6000']);
  const daemon = scenario.startCollector('run', elasticsearchOutputArgs(proxy.url, index));
  // The output is open (templates installed): from the next answer on, the engine is gone for good.
  await waitUntil('the output opened', daemon, () => daemon.stderr().includes('elasticsearch output:'));
  await proxy.cutOnNextAnswer();
  await waitUntil('a bulk request retried', daemon, () => daemon.stderr().includes('bulk request failed; it will be sent again'));
  assert.ok((await countDocuments(engine, index)) < (await scenario.emulator.recordIds()).size, 'the backlog was not complete when the engine went away');
  await stopWithin10s(t, daemon);
});

test('SIGTERM while an alert command is still running: the process exits on time anyway', async (t) => {
  const scenario = await startScenario(t, ['--events', '200']);
  const pidFile = join(scenario.dir, 'alert-command.pid');
  writeFileSync(join(scenario.dir, 'wrong.secret'), 'Wr0ng~Secret.Value-0123456789abcdefghijkl\n', { mode: 0o600 });
  const daemon = scenario.startCollector('run', [
    '-E',
    `tenants.0.auth.client_secret_file=${join(scenario.dir, 'wrong.secret')}`,
    '-E',
    `alerts.command=sleep 600 & echo $! > ${pidFile}; wait`,
    '-E',
    'alerts.command_timeout=10m',
  ]);
  await waitUntil('the alert command started', daemon, () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
  const sleeper = Number(readFileSync(pidFile, 'utf8'));
  t.after(() => {
    // The command outlives the connector by design (it may still be notifying someone): end it here.
    try {
      process.kill(sleeper, 'SIGKILL');
    } catch {
      // Already gone.
    }
  });
  const exit = await stopWithin10s(t, daemon);
  assert.equal(exit.code, 1, 'cut short, so not a clean exit');
  assert.match(exit.stderr, /stopping took longer than 8\.5 s; exiting now/);
});
