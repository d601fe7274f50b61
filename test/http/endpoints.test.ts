// The probes and the status JSON over real HTTP, while a collector runs against the emulator: /healthz
// answers as long as the process serves, /readyz only once the output is open and every tenant has signed
// in and subscribed, and says why not otherwise.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { request } from 'undici';
import { readStatusReport, serveDaemonEndpoints, startHttpServer, type HttpServer } from '../../src/http/index.js';
import { runCollector } from '../../src/runtime/collector.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { silentLogger, startEmulated, waitFor } from './support/emulated.js';

async function get(server: HttpServer, path: string, method: 'GET' | 'POST' = 'GET'): Promise<{ status: number; type: string; body: string }> {
  const response = await request(`${server.url}${path}`, { method });
  return { status: response.statusCode, type: String(response.headers['content-type']), body: await response.body.text() };
}

const json = async (server: HttpServer, path: string) => {
  const { status, body } = await get(server, path);
  return { status, body: JSON.parse(body) as { status?: string; reasons?: string[] } & Record<string, unknown> };
};

test('/readyz turns 200 once the output is open and both tenants are subscribed; /healthz is 200 throughout', async (t) => {
  const emulated = await startEmulated(t);
  const config = emulated.config(['poll.interval=1h']);
  const metrics = createMetrics();
  const server = await startHttpServer({ host: '127.0.0.1', port: 0, metrics, status: () => readStatusReport(config), logger: silentLogger() });
  t.after(() => server.close());

  assert.deepEqual(await json(server, '/healthz'), { status: 200, body: { status: 'ok' } });
  const before = await json(server, '/readyz');
  assert.equal(before.status, 503);
  assert.deepEqual(before.body.reasons, ['the output is not open yet', 'the collector has not started yet']);

  const stop = new AbortController();
  const daemon = runCollector(config, silentLogger(), { mode: 'run', signal: stop.signal, metrics });
  await waitFor(async () => (await get(server, '/readyz')).status === 200);
  assert.deepEqual((await json(server, '/readyz')).body, { status: 'ready' });
  assert.equal((await get(server, '/healthz')).status, 200);

  stop.abort();
  await daemon;
});

test('/readyz stays 503 naming the tenant whose secret is wrong, while the other tenant is collected', async (t) => {
  const emulated = await startEmulated(t);
  writeFileSync(join(emulated.dir, 'wrong.secret'), 'Wr0ng~Secret.Value-0123456789abcdefghijkl\n', { mode: 0o600 });
  const config = emulated.config(['poll.interval=1h', `tenants.0.auth.client_secret_file=${join(emulated.dir, 'wrong.secret')}`]);
  const [broken, healthy] = config.tenants.map((tenant) => tenant.tenant_id);
  const metrics = createMetrics();
  const server = await startHttpServer({ host: '127.0.0.1', port: 0, metrics, status: () => readStatusReport(config), logger: silentLogger() });
  t.after(() => server.close());

  const stop = new AbortController();
  const daemon = runCollector(config, silentLogger(), { mode: 'run', signal: stop.signal, metrics });
  await waitFor(() => readStatusReport(config).streams.some((s) => s.tenantId === healthy && s.nextPollAt !== null));
  const ready = await json(server, '/readyz');

  assert.equal(ready.status, 503);
  assert.equal(ready.body.reasons?.length, 1);
  assert.match(ready.body.reasons?.[0] ?? '', new RegExp(`tenant ${broken}: the client secret is wrong \\(AADSTS7000215\\) — create a new secret`));
  assert.doesNotMatch(JSON.stringify(ready.body), /Wr0ng~Secret/);
  stop.abort();
  await daemon;
});

test('/api/status serves what `status` reads from the ledger; unknown paths are 404, other methods 405', async (t) => {
  const emulated = await startEmulated(t);
  const config = emulated.config();
  const server = await startHttpServer({ host: '127.0.0.1', port: 0, metrics: createMetrics(), status: () => readStatusReport(config), logger: silentLogger() });
  t.after(() => server.close());

  const missing = await json(server, '/api/status');
  assert.equal(missing.status, 503);
  assert.match(String(missing.body.error), /^no ledger at .*state\.db — run `o365-elk once` first$/);

  const summary = await runCollector(config, silentLogger(), { mode: 'once', signal: new AbortController().signal });
  const { status, body } = await json(server, '/api/status');
  assert.equal(status, 200);
  const streams = body.streams as { tenant: string; contentType: string; cursor: string | null; total: { events: number }; lastHour: { events: number } }[];
  assert.equal(streams.length, 10);
  assert.deepEqual(new Set(streams.map((s) => s.tenant)), new Set(['Contoso', 'Fabrikam']));
  assert.ok(streams.every((s) => s.cursor !== null));
  assert.equal(streams.reduce((n, s) => n + s.total.events, 0), summary.recordsDelivered);
  assert.equal(streams.reduce((n, s) => n + s.lastHour.events, 0), summary.recordsDelivered, 'all of it delivered within the hour');
  assert.deepEqual(body.retentionGaps, []);

  assert.equal((await get(server, '/nothing-here')).status, 404);
  assert.equal((await get(server, '/metrics', 'POST')).status, 405);
});

test('run and demo serve the status page too, and fall back to a free port only when asked', async (t) => {
  const emulated = await startEmulated(t);
  const first = await serveDaemonEndpoints(emulated.config(['http.enabled=true', 'http.port=0']), silentLogger());
  assert.ok(first);
  t.after(() => first.server.close());
  const page = await get(first.server, '/');
  assert.equal(page.status, 200);
  assert.match(page.type, /^text\/html/);

  const port = new URL(first.server.url).port;
  const taken = emulated.config(['http.enabled=true', `http.port=${port}`]);
  await assert.rejects(serveDaemonEndpoints(taken, silentLogger()), { message: `http: 127.0.0.1:${port} is already in use — set http.port to a free port, or stop the process listening there` });
  const fallback = await serveDaemonEndpoints(taken, silentLogger(), { anyPortIfTaken: true });
  assert.ok(fallback);
  t.after(() => fallback.server.close());
  assert.notEqual(new URL(fallback.server.url).port, port);
  assert.equal(await serveDaemonEndpoints(emulated.config(), silentLogger()), undefined, 'http.enabled defaults to false');
});
