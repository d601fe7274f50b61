// Who the daemon's endpoints answer: only requests whose Host names the endpoint (so a page on another
// site cannot rebind its DNS name to this machine and read the sign-in map), only requests with the bearer
// token when http.auth sets one (/healthz excepted), and a warning at start when the endpoints are
// reachable from other machines without a token.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { serveDaemonEndpoints, startHttpServer, type HttpServer } from '../../src/http/index.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { createLogger } from '../../src/util/logger.js';
import { silentLogger, startEmulated } from './support/emulated.js';

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** GET with exactly these headers, Host included: what a browser sends after a DNS rebinding. */
function get(server: HttpServer, path: string, headers: Record<string, string>): Promise<Answer> {
  const { hostname: address, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: address.replace(/^\[|\]$/g, ''), port, path, headers, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function serve(t: { after(fn: () => Promise<void>): void }, host: string, allowedHosts?: string[]): Promise<HttpServer> {
  const server = await startHttpServer({
    host,
    port: 0,
    metrics: createMetrics(),
    status: () => ({ streams: [] }),
    logger: silentLogger(),
    ...(allowedHosts ? { allowedHosts } : {}),
  });
  t.after(() => server.close());
  return server;
}

function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: () => string[] } {
  const destination = new PassThrough();
  let text = '';
  destination.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const logger = createLogger({ level: 'info', json: true, destination });
  return { logger, lines: () => text.split('\n').filter((line) => line !== '') };
}

test('bound to loopback, the endpoints answer 127.0.0.1, localhost and [::1] with or without port, and 421 to any other Host', async (t) => {
  const server = await serve(t, '127.0.0.1');
  const { port } = new URL(server.url);
  for (const host of ['127.0.0.1', `127.0.0.1:${port}`, 'localhost', `LOCALHOST:${port}`, '[::1]', `[::1]:${port}`, 'localhost:8080']) {
    for (const path of ['/healthz', '/metrics', '/api/status', '/']) {
      assert.notEqual((await get(server, path, { host })).status, 421, `${host} ${path}`);
    }
  }
  for (const host of ['attacker.example', `attacker.example:${port}`, '127.0.0.1.attacker.example', 'localhost.attacker.example:80', '10.0.0.8']) {
    for (const path of ['/healthz', '/metrics', '/api/status', '/api/sign-ins', '/']) {
      const answer = await get(server, path, { host });
      assert.equal(answer.status, 421, `${host} ${path}`);
      assert.deepEqual(JSON.parse(answer.body), {
        error: 'this endpoint does not answer to that Host; use its address, or add the name to http.allowed_hosts',
      });
    }
  }
  const withoutHost = (await get(server, '/healthz', {})).status;
  assert.ok(withoutHost === 400 || withoutHost === 421, `a request without Host is refused too, not ${withoutHost}`);
});

test('bound to all addresses, the endpoints answer this machine\'s name and loopback, plus http.allowed_hosts', async (t) => {
  const server = await serve(t, '0.0.0.0', ['o365-collector.corp.example']);
  const { port } = new URL(server.url);
  for (const host of [hostname(), `${hostname()}:${port}`, '127.0.0.1', 'localhost', 'o365-collector.corp.example', `O365-Collector.corp.example:${port}`]) {
    assert.equal((await get(server, '/healthz', { host })).status, 200, host);
  }
  assert.equal((await get(server, '/healthz', { host: 'attacker.example' })).status, 421);
});

test('with http.auth.bearer_token_file every endpoint but /healthz wants the token, and the token is never logged', async (t) => {
  const emulated = await startEmulated(t);
  const token = 'Sc4pe-Token.For-Tests_0123456789';
  const tokenFile = join(emulated.dir, 'http.token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  const { logger, lines } = capturedLogger();
  const endpoints = await serveDaemonEndpoints(
    emulated.config(['http.enabled=true', 'http.port=0', `http.auth.bearer_token_file=${tokenFile}`]),
    logger,
  );
  assert.ok(endpoints);
  t.after(() => endpoints.server.close());
  const host = new URL(endpoints.server.url).host;

  for (const path of ['/metrics', '/readyz', '/api/status', '/api/sign-ins', '/', '/ui/app.js']) {
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${Buffer.from(`x:${token}`).toString('base64')}`, `Bearer ${token}x`]) {
      const answer = await get(endpoints.server, path, { host, ...(authorization ? { authorization } : {}) });
      assert.equal(answer.status, 401, `${path} with ${authorization ?? 'no Authorization'}`);
      assert.equal(answer.headers['www-authenticate'], 'Bearer realm="o365-elk"');
    }
    const allowed = await get(endpoints.server, path, { host, authorization: `Bearer ${token}` });
    assert.ok(allowed.status !== 401 && allowed.status !== 421, `${path} with the token: ${allowed.status}`);
  }
  assert.equal((await get(endpoints.server, '/healthz', { host })).status, 200, '/healthz needs no token');
  assert.ok(!lines().some((line) => line.includes(token)), 'the token is not in the log');
  assert.ok(!lines().some((line) => /no token/.test(line)), 'no warning on loopback');
});

test('the token can come from O365_ELK_HTTP_AUTH_BEARER_TOKEN, and a missing token file is one line naming the key', async (t) => {
  const emulated = await startEmulated(t);
  const { loadConfig } = await import('../../src/config/index.js');
  const config = loadConfig({
    file: emulated.configFile,
    overrides: ['http.enabled=true', 'http.port=0', 'logging.level=error'],
    env: { O365_ELK_HTTP_AUTH_BEARER_TOKEN: 'from-the-environment' },
  });
  const endpoints = await serveDaemonEndpoints(config, silentLogger());
  assert.ok(endpoints);
  t.after(() => endpoints.server.close());
  const host = new URL(endpoints.server.url).host;
  assert.equal((await get(endpoints.server, '/metrics', { host })).status, 401);
  assert.equal((await get(endpoints.server, '/metrics', { host, authorization: 'Bearer from-the-environment' })).status, 200);

  const missing = join(emulated.dir, 'no-such.token');
  await assert.rejects(serveDaemonEndpoints(emulated.config(['http.enabled=true', 'http.port=0', `http.auth.bearer_token_file=${missing}`]), silentLogger()), {
    message: `config: http.auth.bearer_token_file: ${missing} does not exist — create it with the bearer token, or correct the path`,
  });
});

test('bound beyond loopback without a token, the start logs one warning; with a token, none', async (t) => {
  const emulated = await startEmulated(t);
  const open = capturedLogger();
  const exposed = await serveDaemonEndpoints(emulated.config(['http.enabled=true', 'http.port=0', 'http.host=0.0.0.0']), open.logger);
  assert.ok(exposed);
  t.after(() => exposed.server.close());
  const warnings = open.lines().filter((line) => (JSON.parse(line) as { level: number }).level === 40);
  assert.equal(warnings.length, 1, open.lines().join('\n'));
  assert.match(warnings[0] ?? '', /http: 0\.0\.0\.0 is reachable from other machines and the endpoints have no token.*set http\.auth\.bearer_token_file, or http\.host: 127\.0\.0\.1/);

  const guarded = capturedLogger();
  const withToken = await serveDaemonEndpoints(
    emulated.config(['http.enabled=true', 'http.port=0', 'http.host=0.0.0.0', 'http.auth.bearer_token=a-long-random-token']),
    guarded.logger,
  );
  assert.ok(withToken);
  t.after(() => withToken.server.close());
  assert.deepEqual(guarded.lines().filter((line) => (JSON.parse(line) as { level: number }).level === 40), []);
});
