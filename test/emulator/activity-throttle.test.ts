// Throttling per (tenant, PublisherIdentifier), its AF429 answers, and the random error faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createThrottle } from '../../src/emulator/activity/throttle.js';
import { afCode, afMessage, PUBLISHER, startBench, TENANT_B, TOKEN_B } from './activity-harness.js';

const SHARED = '00000000-0000-0000-0000-000000000000';

test('past the per-minute budget the API answers 403 AF429 naming the operation and the shared publisher', async () => {
  const bench = await startBench({ faults: { rateLimitPerMinute: 3 } });
  try {
    for (let i = 0; i < 3; i++) assert.equal((await bench.call('GET', bench.feed('subscriptions/list'))).status, 200);
    const throttled = await bench.call('GET', bench.feed('subscriptions/list'));
    assert.equal(throttled.status, 403);
    assert.deepEqual(throttled.json, {
      error: { code: 'AF429', message: `Too many requests. Method=ListSubscriptions, PublisherId=${SHARED}` },
    });
    assert.equal(throttled.headers['retry-after'], undefined, 'the documented answer has no Retry-After');

    const content = await bench.call('GET', bench.feed('subscriptions/content?contentType=Audit.Exchange'));
    assert.equal(afMessage(content), `Too many requests. Method=ListContent, PublisherId=${SHARED}`);
    const blob = await bench.call('GET', bench.feed(`audit/${bench.catalog.blobs[0]?.contentId}`));
    assert.equal(afMessage(blob), `Too many requests. Method=GetBlob, PublisherId=${SHARED}`);
  } finally {
    await bench.close();
  }
});

test('each PublisherIdentifier and each tenant has its own budget, blob requests included', async () => {
  const bench = await startBench({ faults: { rateLimitPerMinute: 2 } });
  try {
    for (let i = 0; i < 2; i++) await bench.call('GET', bench.feed('subscriptions/list'));
    assert.equal(afCode(await bench.call('GET', bench.feed('subscriptions/list'))), 'AF429');

    const blobPath = bench.feed(`audit/${bench.catalog.blobs[0]?.contentId}?publisherIdentifier=${PUBLISHER}`);
    assert.equal((await bench.call('GET', blobPath)).status, 200);
    assert.equal((await bench.call('GET', blobPath)).status, 200);
    const third = await bench.call('GET', blobPath);
    assert.equal(afMessage(third), `Too many requests. Method=GetBlob, PublisherId=${PUBLISHER}`);

    const otherTenant = await bench.call('GET', bench.feed('subscriptions/list', TENANT_B), { token: TOKEN_B });
    assert.equal(otherTenant.status, 200);
  } finally {
    await bench.close();
  }
});

test('the throttle status can be 429 with a Retry-After header', async () => {
  const bench = await startBench({ faults: { rateLimitPerMinute: 1, throttleStatus: 429, retryAfterSeconds: 30 } });
  try {
    await bench.call('GET', bench.feed('subscriptions/list'));
    const throttled = await bench.call('GET', bench.feed('subscriptions/list'));
    assert.equal(throttled.status, 429);
    assert.equal(afCode(throttled), 'AF429');
    assert.equal(throttled.headers['retry-after'], '30');
  } finally {
    await bench.close();
  }
});

test('a budget refills over (real) time at the per-minute rate', () => {
  let now = 0;
  const throttle = createThrottle(3, () => now);
  assert.deepEqual([1, 2, 3, 4].map(() => throttle.take('t|p')), [true, true, true, false]);
  now += 20_000; // a third of a minute: one request's worth
  assert.deepEqual([throttle.take('t|p'), throttle.take('t|p')], [true, false]);
  assert.equal(throttle.take('t|other'), true);
  const unlimited = createThrottle(0, () => now);
  assert.ok(Array.from({ length: 1000 }, () => unlimited.take('k')).every(Boolean));
});

test('random throttles and internal errors answer AF429 and 500 AF50000', async () => {
  const throttling = await startBench({ faults: { throttleRate: 1 } });
  try {
    const reply = await throttling.call('GET', throttling.feed('subscriptions/list'));
    assert.equal(reply.status, 403);
    assert.equal(afCode(reply), 'AF429');
  } finally {
    await throttling.close();
  }
  const failing = await startBench({ faults: { errorRate: 1 } });
  try {
    const reply = await failing.call('GET', failing.feed(`audit/${failing.catalog.blobs[0]?.contentId}`));
    assert.equal(reply.status, 500);
    assert.deepEqual(reply.json, { error: { code: 'AF50000', message: 'An internal error occurred. Retry the request.' } });
  } finally {
    await failing.close();
  }
  const sometimes = await startBench({ faults: { errorRate: 0.5 } });
  try {
    const statuses = new Set<number>();
    for (let i = 0; i < 40; i++) statuses.add((await sometimes.call('GET', sometimes.feed('subscriptions/list'))).status);
    assert.deepEqual([...statuses].sort(), [200, 500]);
  } finally {
    await sometimes.close();
  }
});
