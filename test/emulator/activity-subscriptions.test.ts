// Subscriptions: list, start, stop, and what listing and retrieval do in each state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afCode, afMessage, PUBLISHER, startBench, TENANT_B, TOKEN_B } from './activity-harness.js';

test('list shows the presubscribed content types, enabled and without webhook', async () => {
  const bench = await startBench();
  try {
    const reply = await bench.call('GET', bench.feed(`subscriptions/list?PublisherIdentifier=${PUBLISHER}`));
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json, [
      { contentType: 'Audit.AzureActiveDirectory', status: 'enabled', webhook: null },
      { contentType: 'Audit.Exchange', status: 'enabled', webhook: null },
      { contentType: 'Audit.SharePoint', status: 'enabled', webhook: null },
      { contentType: 'DLP.All', status: 'enabled', webhook: null },
    ]);
  } finally {
    await bench.close();
  }
});

test('start on a new content type enables it; starting it again unchanged answers 400 AF20024', async () => {
  const bench = await startBench();
  try {
    const before = await bench.call('GET', bench.feed('subscriptions/content?contentType=Audit.General'));
    assert.equal(before.status, 400);
    assert.equal(afCode(before), 'AF20022');

    // Without a body, as CEL sends it.
    const first = await bench.call('POST', bench.feed('subscriptions/start?contentType=Audit.General'));
    assert.equal(first.status, 200);
    assert.equal(first.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(first.json, { contentType: 'Audit.General', status: 'enabled', webhook: null });

    // With `{}`, as wazuh sends it.
    const again = await bench.call('POST', bench.feed('subscriptions/start?contentType=Audit.General'), {
      body: '{}',
      headers: { 'content-type': 'application/json; utf-8' },
    });
    assert.equal(again.status, 400);
    assert.deepEqual(again.json, {
      error: { code: 'AF20024', message: 'The subscription is already enabled. No property change.' },
    });

    const after = await bench.call('GET', bench.feed('subscriptions/content?contentType=Audit.General'));
    assert.equal(after.status, 200);
    assert.deepEqual(after.json, []);
  } finally {
    await bench.close();
  }
});

test('stop disables a subscription: listing and retrieval answer AF20023 until start re-enables it', async () => {
  const bench = await startBench();
  try {
    const blob = bench.catalog.blobs.find((b) => b.contentType === 'Audit.Exchange' && b.index === 0);
    const stop = await bench.call('POST', bench.feed('subscriptions/stop?contentType=Audit.Exchange'));
    assert.equal(stop.status, 200);
    assert.equal(stop.text, '');

    const list = await bench.call('GET', bench.feed('subscriptions/list'));
    const exchange = (list.json as { contentType: string; status: string }[]).find((s) => s.contentType === 'Audit.Exchange');
    assert.equal(exchange?.status, 'disabled');

    const content = await bench.call('GET', bench.feed('subscriptions/content?contentType=Audit.Exchange'));
    assert.equal(content.status, 400);
    assert.equal(afCode(content), 'AF20023');
    assert.equal(afMessage(content), 'The subscription was disabled.');
    const retrieval = await bench.call('GET', bench.feed(`audit/${blob?.contentId}`));
    assert.equal(afCode(retrieval), 'AF20023');
    const notifications = await bench.call('GET', bench.feed('subscriptions/notifications?contentType=Audit.Exchange'));
    assert.equal(afCode(notifications), 'AF20023');

    const restart = await bench.call('POST', bench.feed('subscriptions/start?contentType=Audit.Exchange'));
    assert.equal(restart.status, 200);
    assert.equal((restart.json as { status: string }).status, 'enabled');
    const retrievalAgain = await bench.call('GET', bench.feed(`audit/${blob?.contentId}`));
    assert.equal(retrievalAgain.status, 200);
  } finally {
    await bench.close();
  }
});

test('stop of a content type never started answers AF20022; subscriptions are per tenant', async () => {
  const bench = await startBench();
  try {
    const stop = await bench.call('POST', bench.feed('subscriptions/stop?contentType=Audit.General'));
    assert.equal(stop.status, 400);
    assert.equal(afCode(stop), 'AF20022');
    const otherTenant = await bench.call('GET', bench.feed('subscriptions/content?contentType=Audit.General', TENANT_B), {
      token: TOKEN_B,
    });
    assert.equal(otherTenant.status, 200);
  } finally {
    await bench.close();
  }
});

test('start validates its content type parameter', async () => {
  const bench = await startBench();
  try {
    const missing = await bench.call('POST', bench.feed('subscriptions/start'));
    assert.equal(missing.status, 400);
    assert.equal(afCode(missing), 'AF20001');
    for (const bad of ['Audit.Teams', 'dlp.all', 'Audit.Exchange ']) {
      const reply = await bench.call('POST', bench.feed(`subscriptions/start?contentType=${encodeURIComponent(bad)}`));
      assert.equal(afCode(reply), 'AF20020', bad);
    }
  } finally {
    await bench.close();
  }
});

test('with the start throttle on, a second start of a content type within 15 minutes answers AF429', async () => {
  const bench = await startBench({ behaviour: { startThrottle: true } });
  try {
    const first = await bench.call('POST', bench.feed('subscriptions/start?contentType=Audit.General'));
    assert.equal(first.status, 200);
    const other = await bench.call('POST', bench.feed('subscriptions/start?contentType=Audit.Exchange'));
    assert.equal(afCode(other), 'AF20024', 'other content types are not held back');

    const soon = await bench.call('POST', bench.feed(`subscriptions/start?contentType=Audit.General&PublisherIdentifier=${PUBLISHER}`));
    assert.equal(soon.status, 403);
    assert.equal(afCode(soon), 'AF429');
    assert.equal(afMessage(soon), `Too many requests. Method=StartSubscription, PublisherId=${PUBLISHER}`);

    bench.clock.advance(15 * 60_000);
    const later = await bench.call('POST', bench.feed('subscriptions/start?contentType=Audit.General'));
    assert.equal(afCode(later), 'AF20024');

    const stop = await bench.call('POST', bench.feed('subscriptions/stop?contentType=Audit.General'));
    assert.equal(stop.status, 200, 'stop is not subject to the rule');
  } finally {
    await bench.close();
  }
});
