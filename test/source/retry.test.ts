import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { AuthError } from '../../src/source/auth/auth-error.js';
import { ManagementApiError } from '../../src/source/errors.js';
import { afError, collect, contentId, createTestClient, listingEntry, TOKEN } from './support/fake-api.js';
import { sendJson, startHttpServer, startHttpsServer, type TestServer } from './support/servers.js';

const HOUR_MS = 3600_000;

/** A listing endpoint whose first answers are scripted failures, then one page with a blob. */
async function startFlakyApi(failures: Array<(res: ServerResponse) => void>) {
  let served = 0;
  const holder: { server?: TestServer } = {};
  const server = await startHttpServer((_req, res) => {
    const fail = failures[served++];
    if (fail) {
      fail(res);
      return;
    }
    sendJson(res, 200, [listingEntry(holder.server?.url ?? '', contentId(1))]);
  });
  holder.server = server;
  return { server, requests: () => served };
}

const listOnce = (client: ReturnType<typeof createTestClient>['client']) =>
  collect(client.listContent('Audit.Exchange', Date.now() - HOUR_MS, Date.now()));

describe('retries', () => {
  test('backs off on AF429 answered with 403, then succeeds, logging each refusal without the token', async () => {
    const throttled = (res: ServerResponse) =>
      sendJson(res, 403, afError('AF429', 'Too many requests. Method=ListContent, PublisherId=0b9e1c6a-3f0e-4d4c-9a43-6f7ad3b1c2d4'));
    const { server, requests } = await startFlakyApi([throttled, throttled]);
    const { client, logLines } = createTestClient(server.url);
    try {
      assert.equal((await listOnce(client)).length, 1);
      assert.equal(requests(), 3);
      const refusals = logLines().map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.code === 'AF429');
      assert.equal(refusals.length, 2);
      assert.equal(refusals[0]?.status, 403);
      assert.match(String(refusals[0]?.serverMessage), /Too many requests/);
      assert.ok(logLines().every((line) => !line.includes(TOKEN) && !/bearer/i.test(line)));
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('honours 429 with Retry-After and retries 500 AF50000, 503 and 408', async () => {
    const { server, requests } = await startFlakyApi([
      (res) => sendJson(res, 429, afError('AF429', 'Too many requests.'), { 'retry-after': '0.01' }),
      (res) => sendJson(res, 500, afError('AF50000', 'An internal error occurred. Retry the request.')),
      (res) => sendJson(res, 503, { message: 'Service Unavailable' }),
      (res) => sendJson(res, 408, {}),
    ]);
    const { client } = createTestClient(server.url, { retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 40 } });
    try {
      assert.equal((await listOnce(client)).length, 1);
      assert.equal(requests(), 5);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('retries a connection reset and a cut-off listing body', async () => {
    const { server, requests } = await startFlakyApi([
      (res) => res.socket?.destroy(),
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
        res.write('[{"contentType":"Audit.Exchange","contentId":"x');
        res.socket?.destroy();
      },
    ]);
    const { client } = createTestClient(server.url);
    try {
      assert.equal((await listOnce(client)).length, 1);
      assert.equal(requests(), 3);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('gives up after the configured attempts with a transient error that says it will be retried', async () => {
    const failing = (res: ServerResponse) => sendJson(res, 500, afError('AF50000', 'An internal error occurred. Retry the request.'));
    const { server, requests } = await startFlakyApi(Array.from({ length: 10 }, () => failing));
    const { client } = createTestClient(server.url, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    try {
      await assert.rejects(listOnce(client), (error: unknown) => {
        assert.ok(error instanceof ManagementApiError);
        assert.equal(error.kind, 'transient');
        assert.equal(error.code, 'AF50000');
        assert.match(error.message, /after 3 attempts \(HTTP 500 AF50000\) — .* tried again later$/);
        return true;
      });
      assert.equal(requests(), 3);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('fetches a fresh token once when the API refuses the bearer token with 401', async () => {
    const { server, requests } = await startFlakyApi([(res) => sendJson(res, 401, {}, { 'www-authenticate': 'Bearer' })]);
    const { client, tokens } = createTestClient(server.url);
    try {
      assert.equal((await listOnce(client)).length, 1);
      assert.equal(requests(), 2);
      assert.deepEqual(tokens.calls.map((call) => call.forceRefresh), [false, true]);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('waits out a login outage but stops at once on a wrong credential', async () => {
    const { server, requests } = await startFlakyApi([]);
    const { client, tokens } = createTestClient(server.url);
    const realGetToken = tokens.getToken.bind(tokens);
    let failures = 2;
    tokens.getToken = async (resourceUrl, options) => {
      if (failures-- > 0) throw new AuthError('network', 'authentication failed for tenant x: cannot reach https://login.invalid (ECONNRESET)');
      return realGetToken(resourceUrl, options);
    };
    try {
      assert.equal((await listOnce(client)).length, 1);
      assert.equal(requests(), 1);
      tokens.getToken = async () => {
        throw new AuthError('wrong-secret', 'authentication failed for tenant x: the client secret is wrong (AADSTS7000215)', 7000215);
      };
      await assert.rejects(listOnce(client), (error: unknown) => error instanceof AuthError && error.kind === 'wrong-secret');
      assert.equal(requests(), 1);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('a 401 that persists after a fresh token is a fatal permission error', async () => {
    const unauthorized = (res: ServerResponse) => sendJson(res, 401, {});
    const { server } = await startFlakyApi([unauthorized, unauthorized, unauthorized]);
    const { client } = createTestClient(server.url);
    try {
      await assert.rejects(listOnce(client), (error: unknown) => {
        assert.ok(error instanceof ManagementApiError);
        assert.equal(error.kind, 'fatal');
        assert.match(error.message, /refused the access token .* ActivityFeed\.Read/);
        return true;
      });
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('a request without an answer in time is sent again', async () => {
    const { server, requests } = await startFlakyApi([() => undefined]);
    const { client } = createTestClient(server.url, { requestTimeoutMs: 300 });
    try {
      assert.equal((await listOnce(client)).length, 1);
      assert.equal(requests(), 2);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('aborting stops a request that is waiting to be retried', async () => {
    const controller = new AbortController();
    const { server, requests } = await startFlakyApi([
      (res) => {
        sendJson(res, 500, afError('AF50000', 'An internal error occurred. Retry the request.'));
        controller.abort();
      },
    ]);
    const { client } = createTestClient(server.url, { retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    try {
      await assert.rejects(collect(client.listContent('Audit.Exchange', Date.now() - HOUR_MS, Date.now(), controller.signal)), { name: 'AbortError' });
      assert.equal(requests(), 1);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('an untrusted TLS certificate is reported once, not retried', async () => {
    let served = 0;
    const server = await startHttpsServer((_req, res) => {
      served++;
      sendJson(res, 200, []);
    });
    const { client } = createTestClient(server.url);
    try {
      await assert.rejects(listOnce(client), (error: unknown) => {
        assert.ok(error instanceof ManagementApiError);
        assert.equal(error.kind, 'tls');
        assert.match(error.message, /tenants\[0\]\.ssl\.certificate_authorities/);
        return true;
      });
      assert.equal(served, 0);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('trusts a server signed by the configured CA', async () => {
    const server = await startHttpsServer((_req, res) => sendJson(res, 200, []));
    const { client } = createTestClient(server.url, { ca: [server.ca] });
    try {
      assert.deepEqual(await listOnce(client), []);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
