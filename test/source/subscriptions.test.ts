import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { ForbiddenContentTypeError, ManagementApiError } from '../../src/source/errors.js';
import { ensureSubscriptions } from '../../src/source/subscriptions.js';
import { afError, createTestClient, queryOf, TENANT } from './support/fake-api.js';
import { sendJson, startHttpServer } from './support/servers.js';

/** Subscriptions as the service keeps them; `/start` answers like the real one. */
async function startSubscriptionApi(initial: Record<string, 'enabled' | 'disabled'>, refuse: Record<string, () => [number, unknown]> = {}) {
  const state = new Map(Object.entries(initial));
  const requests: IncomingMessage[] = [];
  const server = await startHttpServer((req, res) => {
    requests.push(req);
    const path = req.url?.split('?')[0] ?? '';
    const contentType = queryOf(req).get('contenttype')?.[0] ?? '';
    if (path.endsWith('/subscriptions/list')) {
      return sendJson(res, 200, [...state].map(([type, status]) => ({ contentType: type, status, webhook: null })));
    }
    const refusal = refuse[contentType];
    if (refusal) {
      const [status, body] = refusal();
      return sendJson(res, status, body);
    }
    if (path.endsWith('/subscriptions/start')) {
      if (state.get(contentType) === 'enabled') return sendJson(res, 400, afError('AF20024', 'The subscription is already enabled. No property change.'));
      state.set(contentType, 'enabled');
      return sendJson(res, 200, { contentType, status: 'enabled', webhook: null });
    }
    if (path.endsWith('/subscriptions/stop')) {
      state.set(contentType, 'disabled');
      res.writeHead(200).end();
      return;
    }
    sendJson(res, 404, {});
  });
  const starts = () => requests.filter((req) => req.url?.includes('/subscriptions/start')).map((req) => queryOf(req).get('contenttype')?.[0]);
  return { server, requests, starts, state };
}

test('ensureSubscriptions lists once and starts only the missing and disabled content types', async () => {
  const api = await startSubscriptionApi({ 'Audit.Exchange': 'enabled', 'Audit.SharePoint': 'disabled' });
  const { client } = createTestClient(api.server.url);
  try {
    const result = await ensureSubscriptions(client, ['Audit.Exchange', 'Audit.SharePoint', 'Audit.General']);
    assert.deepEqual(result, { enabled: ['Audit.Exchange'], started: ['Audit.SharePoint', 'Audit.General'], failed: [] });
    assert.equal(api.requests.filter((req) => req.url?.includes('/subscriptions/list')).length, 1);
    assert.deepEqual(api.starts(), ['Audit.SharePoint', 'Audit.General']);
    assert.ok(api.requests.every((req) => req.method === (req.url?.includes('/list') ? 'GET' : 'POST')));
    assert.ok(api.requests.every((req) => queryOf(req).get('publisheridentifier')?.[0] === TENANT));
  } finally {
    await client.close();
    await api.server.close();
  }
});

test('AF20024 (already enabled) counts as success', async () => {
  const api = await startSubscriptionApi({ 'Audit.Exchange': 'enabled' });
  const { client } = createTestClient(api.server.url);
  try {
    assert.equal(await client.startSubscription('Audit.Exchange'), 'already-enabled');
  } finally {
    await client.close();
    await api.server.close();
  }
});

test('never sends /start for the same content type twice within 15 minutes, even after a failure', async () => {
  const api = await startSubscriptionApi({}, { 'Audit.General': () => [403, afError('AF429', 'Too many requests. Method=StartSubscription')] });
  const { client } = createTestClient(api.server.url);
  try {
    assert.equal(await client.startSubscription('Audit.Exchange'), 'started');
    await client.stopSubscription('Audit.Exchange');
    await assert.rejects(client.startSubscription('Audit.Exchange'), (error: unknown) => {
      assert.ok(error instanceof ManagementApiError);
      assert.equal(error.kind, 'subscription');
      assert.match(error.message, /not starting the Audit\.Exchange subscription .* again before .* every 15 minutes/);
      return true;
    });
    // A throttled start is not retried (each retry would count as another start).
    await assert.rejects(client.startSubscription('Audit.General'), (error: unknown) => error instanceof ManagementApiError && error.kind === 'transient');
    await assert.rejects(client.startSubscription('Audit.General'), (error: unknown) => error instanceof ManagementApiError && error.kind === 'subscription');
    assert.deepEqual(api.starts(), ['Audit.Exchange', 'Audit.General']);
    assert.equal(api.state.get('Audit.Exchange'), 'disabled');
  } finally {
    await client.close();
    await api.server.close();
  }
});

test('a content type the app may not read is reported in failed while the others start', async () => {
  const api = await startSubscriptionApi({}, { 'DLP.All': () => [403, afError('AF10001', 'The permission set () sent in the request does not include the expected permission.')] });
  const { client } = createTestClient(api.server.url);
  try {
    const result = await ensureSubscriptions(client, ['DLP.All', 'Audit.AzureActiveDirectory']);
    assert.deepEqual(result.started, ['Audit.AzureActiveDirectory']);
    assert.equal(result.failed.length, 1);
    assert.equal(result.failed[0]?.contentType, 'DLP.All');
    assert.ok(result.failed[0]?.error instanceof ForbiddenContentTypeError);
  } finally {
    await client.close();
    await api.server.close();
  }
});

test('a tenant-wide refusal while listing subscriptions throws a fatal error', async () => {
  const server = await startHttpServer((_req, res) => sendJson(res, 401, afError('AF20010', 'The tenant ID passed in the URL (x) does not match the tenant ID passed in the access token (y).')));
  const { client } = createTestClient(server.url);
  try {
    await assert.rejects(ensureSubscriptions(client, ['Audit.Exchange']), (error: unknown) => {
      assert.ok(error instanceof ManagementApiError);
      assert.equal(error.kind, 'fatal');
      assert.match(error.message, /does not match tenant .* tenants\[0\]\.tenant_id/);
      return true;
    });
  } finally {
    await client.close();
    await server.close();
  }
});
