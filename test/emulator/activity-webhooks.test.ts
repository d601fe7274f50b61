// Webhooks: validation during /start, notification pushes, retries, disabling, expiry, and the
// notification history — against a real listener on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afCode, afMessage, type Bench, CLIENT_A, HOUR, NOW, startBench, TENANT_A } from './activity-harness.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A webhook listener that records every POST and answers with `status` (validation: `validationStatus`). */
async function startListener() {
  const state = { status: 200, validationStatus: 200 };
  const validations: Received[] = [];
  const notifications: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      const received = { headers: req.headers, body: JSON.parse(text) as unknown };
      const isValidation = req.headers['webhook-validationcode'] !== undefined;
      (isValidation ? validations : notifications).push(received);
      res.writeHead(isValidation ? state.validationStatus : state.status).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    address: `http://127.0.0.1:${(server.address() as AddressInfo).port}/o365/`,
    state,
    validations,
    notifications,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Waits (bounded, generously: CI machines are loaded) for a condition the webhook pusher's timer brings about. */
async function eventually(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (await condition()) return;
    await sleep(20);
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function failedAttempts(bench: Bench): Promise<number> {
  const at = (ms: number) => new Date(ms).toISOString().slice(0, 19);
  const window = `startTime=${at(bench.clock.now() - 12 * HOUR)}&endTime=${at(bench.clock.now() + 12 * HOUR)}`;
  const history = await bench.call('GET', bench.feed(`subscriptions/notifications?contentType=Audit.Exchange&${window}`));
  return (history.json as { notificationStatus: string }[]).filter((a) => a.notificationStatus === 'failed').length;
}

function startWithWebhook(bench: Bench, contentType: string, webhook: Record<string, unknown>) {
  return bench.call('POST', bench.feed(`subscriptions/start?contentType=${contentType}`), {
    body: JSON.stringify({ webhook }),
    headers: { 'content-type': 'application/json; utf-8' },
  });
}

async function webhookOf(bench: Bench, contentType: string) {
  const list = await bench.call('GET', bench.feed('subscriptions/list'));
  return (list.json as { contentType: string; webhook: { status: string } | null }[]).find((s) => s.contentType === contentType)
    ?.webhook;
}

test('webhook addresses must be HTTPS unless insecure webhooks are allowed', async () => {
  const listener = await startListener();
  const bench = await startBench();
  try {
    const reply = await startWithWebhook(bench, 'Audit.General', { address: listener.address });
    assert.equal(reply.status, 400);
    assert.equal(afCode(reply), 'AF20021');
    assert.equal(afMessage(reply), `The webhook endpoint ${listener.address} could not be validated. The address must begin with HTTPS.`);
    assert.equal(listener.validations.length, 0);
    const missing = await startWithWebhook(bench, 'Audit.General', { authId: 'x' });
    assert.equal(afCode(missing), 'AF20001');
  } finally {
    await bench.close();
    await listener.close();
  }
});

test('a listener that does not answer 200 to validation fails /start with AF20021 and changes nothing', async () => {
  const listener = await startListener();
  const bench = await startBench({ allowInsecureWebhooks: true });
  try {
    listener.state.validationStatus = 500;
    const reply = await startWithWebhook(bench, 'Audit.Exchange', { address: listener.address, authId: 'secret-id' });
    assert.equal(reply.status, 400);
    assert.equal(afCode(reply), 'AF20021');
    assert.match(afMessage(reply) ?? '', /did not return HTTP 200/);
    assert.equal(await webhookOf(bench, 'Audit.Exchange'), null);

    const [validation] = listener.validations;
    assert.ok(validation);
    const code = validation.headers['webhook-validationcode'];
    assert.ok(typeof code === 'string' && code.length >= 16);
    assert.deepEqual(validation.body, { validationCode: code });
    assert.equal(validation.headers['webhook-authid'], 'secret-id');
    assert.equal(validation.headers['content-type'], 'application/json; charset=utf-8');

    const unreachable = await startWithWebhook(bench, 'Audit.Exchange', { address: 'http://127.0.0.1:1/closed' });
    assert.equal(afCode(unreachable), 'AF20021');
  } finally {
    await bench.close();
    await listener.close();
  }
});

test('a validated webhook is registered, then receives notifications for blobs that become visible', async () => {
  const listener = await startListener();
  const bench = await startBench({ allowInsecureWebhooks: true });
  try {
    const reply = await startWithWebhook(bench, 'Audit.Exchange', { address: listener.address, authId: 'o365activityapinotification' });
    assert.equal(reply.status, 200);
    const webhook = { status: 'enabled', address: listener.address, authId: 'o365activityapinotification', expiration: null };
    assert.deepEqual(reply.json, { contentType: 'Audit.Exchange', status: 'enabled', webhook });
    assert.equal(listener.validations.length, 1);
    assert.deepEqual(await webhookOf(bench, 'Audit.Exchange'), webhook);
    const again = await startWithWebhook(bench, 'Audit.Exchange', { address: listener.address, authId: 'o365activityapinotification' });
    assert.equal(afCode(again), 'AF20024');

    // Only content that becomes available after registration is announced: blob 10, at NOW + 1 h.
    await sleep(300);
    assert.equal(listener.notifications.length, 0);
    bench.clock.advance(HOUR);
    await eventually(() => listener.notifications.length > 0, 'a notification');
    const [notification] = listener.notifications;
    const blob = bench.catalog.blobs.find((b) => b.contentType === 'Audit.Exchange' && b.index === 10);
    assert.ok(blob && notification);
    assert.equal(notification.headers['webhook-authid'], 'o365activityapinotification');
    assert.equal(notification.headers['webhook-validationcode'], undefined);
    assert.deepEqual(notification.body, [
      {
        tenantId: TENANT_A,
        clientId: CLIENT_A,
        contentType: 'Audit.Exchange',
        contentId: blob.contentId,
        contentUri: `${bench.origin}/api/v1.0/${TENANT_A}/activity/feed/audit/${blob.contentId}`,
        contentCreated: new Date(blob.contentCreated).toISOString(),
        contentExpiration: new Date(blob.contentExpiration).toISOString(),
      },
    ]);

    bench.clock.advance(60_000);
    const history = await bench.call('GET', bench.feed('subscriptions/notifications?contentType=Audit.Exchange'));
    assert.equal(history.status, 200);
    assert.deepEqual(history.json, [
      {
        contentType: 'Audit.Exchange',
        contentId: blob.contentId,
        contentUri: `${bench.origin}/api/v1.0/${TENANT_A}/activity/feed/audit/${blob.contentId}`,
        contentCreated: new Date(blob.contentCreated).toISOString(),
        contentExpiration: new Date(blob.contentExpiration).toISOString(),
        notificationSent: new Date(NOW + HOUR).toISOString(),
        notificationStatus: 'success',
      },
    ]);
  } finally {
    await bench.close();
    await listener.close();
  }
});

test('failed notifications are retried with growing intervals, then the webhook is disabled', async () => {
  const listener = await startListener();
  const bench = await startBench({ allowInsecureWebhooks: true });
  try {
    assert.equal((await startWithWebhook(bench, 'Audit.Exchange', { address: listener.address })).status, 200);
    listener.state.status = 503;
    bench.clock.advance(HOUR);
    for (let attempt = 1; attempt <= 5; attempt++) {
      await eventually(() => listener.notifications.length === attempt, `attempt ${attempt}`);
      // The retry is scheduled from when the failure is recorded; move the clock only after that.
      await eventually(async () => (await failedAttempts(bench)) === attempt, `attempt ${attempt} recorded as failed`);
      if (attempt < 5) {
        // Not retried before its interval (1, 2, 4, 8 minutes) has passed.
        bench.clock.advance(2 ** (attempt - 1) * 60_000 - 1000);
        await sleep(300);
        assert.equal(listener.notifications.length, attempt);
        bench.clock.advance(1000);
      }
    }
    await eventually(async () => (await webhookOf(bench, 'Audit.Exchange'))?.status === 'disabled', 'the webhook disabled');
    bench.clock.advance(HOUR);
    await sleep(300);
    assert.equal(listener.notifications.length, 5, 'a disabled webhook gets nothing');

    const history = await bench.call('GET', bench.feed('subscriptions/notifications?contentType=Audit.Exchange'));
    const attempts = history.json as { notificationStatus: string; contentId: string }[];
    assert.equal(attempts.length, 5);
    assert.ok(attempts.every((a) => a.notificationStatus === 'failed'));
    assert.equal(new Set(attempts.map((a) => a.contentId)).size, 1, 'retries repeat the same content');

    const content = await bench.call('GET', bench.feed('subscriptions/content?contentType=Audit.Exchange'));
    assert.equal(content.status, 200, 'polling keeps working while the webhook is disabled');

    listener.state.status = 200;
    const reenabled = await startWithWebhook(bench, 'Audit.Exchange', { address: listener.address });
    assert.equal(reenabled.status, 200, '/start re-enables a disabled webhook');
    assert.equal((await webhookOf(bench, 'Audit.Exchange'))?.status, 'enabled');
  } finally {
    await bench.close();
    await listener.close();
  }
});

test('webhook expiration: a past one answers AF20003, a passed one marks the webhook expired', async () => {
  const listener = await startListener();
  const bench = await startBench({ allowInsecureWebhooks: true });
  try {
    const past = await startWithWebhook(bench, 'Audit.Exchange', { address: listener.address, expiration: '2025-01-15T11:00:00Z' });
    assert.equal(past.status, 400);
    assert.equal(afCode(past), 'AF20003');
    const garbage = await startWithWebhook(bench, 'Audit.Exchange', { address: listener.address, expiration: 'soon' });
    assert.equal(afCode(garbage), 'AF20002');

    const reply = await startWithWebhook(bench, 'Audit.Exchange', { address: listener.address, expiration: '2025-01-15T12:30:00Z' });
    assert.equal(reply.status, 200);
    assert.equal((reply.json as { webhook: { expiration: string } }).webhook.expiration, '2025-01-15T12:30:00.000Z');
    bench.clock.advance(HOUR);
    await eventually(async () => (await webhookOf(bench, 'Audit.Exchange'))?.status === 'expired', 'the webhook expired');
    assert.equal(listener.notifications.length, 0, 'blob 10 became visible after the expiration');
  } finally {
    await bench.close();
    await listener.close();
  }
});

test('a stopped subscription sends no notifications; starting it without a webhook removes the webhook', async () => {
  const listener = await startListener();
  const bench = await startBench({ allowInsecureWebhooks: true });
  try {
    assert.equal((await startWithWebhook(bench, 'Audit.Exchange', { address: listener.address })).status, 200);
    assert.equal((await bench.call('POST', bench.feed('subscriptions/stop?contentType=Audit.Exchange'))).status, 200);
    bench.clock.advance(HOUR);
    await sleep(300);
    assert.equal(listener.notifications.length, 0);
    const restart = await bench.call('POST', bench.feed('subscriptions/start?contentType=Audit.Exchange'));
    assert.deepEqual(restart.json, { contentType: 'Audit.Exchange', status: 'enabled', webhook: null });
  } finally {
    await bench.close();
    await listener.close();
  }
});
