// The Activity API's front door: tokens, tenants, permissions, headers, routing, and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  afCode,
  afMessage,
  HOUR,
  manualClock,
  NOW,
  PUBLISHER,
  startBench,
  TENANT_A,
  TENANT_B,
  token,
  TOKEN_B,
  UNKNOWN_TENANT,
} from './activity-harness.js';

test('a request without a bearer token gets a 401 challenge, and a rejected token says why', async () => {
  const bench = await startBench();
  try {
    const missing = await bench.call('GET', bench.feed('subscriptions/list'), { token: null });
    assert.equal(missing.status, 401);
    assert.equal(missing.headers['www-authenticate'], 'Bearer');
    for (const reason of ['expired', 'signature', 'audience'] as const) {
      const rejected = await bench.call('GET', bench.feed('subscriptions/list'), { token: token({ tid: TENANT_A, reject: reason }) });
      assert.equal(rejected.status, 401);
      assert.match(String(rejected.headers['www-authenticate']), /^Bearer error="invalid_token"/);
    }
    const garbage = await bench.call('GET', bench.feed('subscriptions/list'), { token: 'Basic dXNlcjpwYXNz' });
    assert.equal(garbage.status, 401);
  } finally {
    await bench.close();
  }
});

test('tenant checks: not a GUID, unknown, and a token from another tenant', async () => {
  const bench = await startBench();
  try {
    const notGuid = await bench.call('GET', bench.feed('subscriptions/list', 'contoso.onmicrosoft.com'));
    assert.equal(notGuid.status, 400);
    assert.equal(afCode(notGuid), 'AF20013');

    const unknown = await bench.call('GET', bench.feed('subscriptions/list', UNKNOWN_TENANT), {
      token: token({ tid: UNKNOWN_TENANT, roles: ['ActivityFeed.Read'] }),
    });
    assert.equal(unknown.status, 400);
    assert.equal(afCode(unknown), 'AF20011');

    const mismatch = await bench.call('GET', bench.feed('subscriptions/list', TENANT_A), { token: TOKEN_B });
    assert.equal(mismatch.status, 401);
    assert.equal(afCode(mismatch), 'AF20010');
    assert.match(afMessage(mismatch) ?? '', new RegExp(`\\(${TENANT_A}\\).*\\(${TENANT_B}\\)`));

    const upperCase = await bench.call('GET', bench.feed('subscriptions/list', TENANT_A.toUpperCase()));
    assert.equal(upperCase.status, 200);
  } finally {
    await bench.close();
  }
});

test('a token without ActivityFeed.Read gets AF10001 with status 401', async () => {
  const bench = await startBench();
  try {
    const reply = await bench.call('GET', bench.feed('subscriptions/list'), {
      token: token({ tid: TENANT_A, roles: ['ServiceHealth.Read'] }),
    });
    assert.equal(reply.status, 401);
    assert.equal(afCode(reply), 'AF10001');
    assert.match(afMessage(reply) ?? '', /\(ServiceHealth\.Read\).*ActivityFeed\.Read/);
  } finally {
    await bench.close();
  }
});

test('an unauthorized content type answers 403 while the other content types keep working', async () => {
  const bench = await startBench({ faults: { unauthorizedContentTypes: ['DLP.All'] } });
  try {
    const denied = await bench.call('GET', bench.feed('subscriptions/content?contentType=DLP.All'));
    assert.equal(denied.status, 403);
    assert.equal(afCode(denied), 'AF10001');
    assert.match(afMessage(denied) ?? '', /DLP\.All/);
    const dlpBlob = bench.catalog.blobs.find((b) => b.contentType === 'DLP.All');
    const blob = await bench.call('GET', bench.feed(`audit/${dlpBlob?.contentId}`));
    assert.equal(blob.status, 403);
    const allowed = await bench.call('GET', bench.feed('subscriptions/content?contentType=Audit.Exchange'));
    assert.equal(allowed.status, 200);
  } finally {
    await bench.close();
  }
});

test('answers carry the service headers, and Date shows the emulator clock, skew included', async () => {
  const skewed = manualClock(NOW + 2 * HOUR);
  const bench = await startBench({ clock: skewed });
  try {
    const ok = await bench.call('GET', bench.feed('subscriptions/list'));
    const error = await bench.call('GET', bench.feed('subscriptions/content'));
    for (const reply of [ok, error]) {
      assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(reply.headers['cache-control'], 'no-cache');
      assert.equal(reply.headers.pragma, 'no-cache');
      assert.equal(reply.headers.expires, '-1');
      assert.equal(reply.headers.date, new Date(NOW + 2 * HOUR).toUTCString());
    }
    assert.deepEqual(JSON.parse(error.text), {
      error: { code: 'AF20001', message: 'Missing parameter: contentType.' },
    });
  } finally {
    await bench.close();
  }
});

test('query parameter names match whatever their case; content type values do not', async () => {
  const bench = await startBench();
  try {
    const lower = await bench.call(
      'GET',
      bench.feed(`subscriptions/content?CONTENTTYPE=Audit.Exchange&publisheridentifier=${PUBLISHER}`),
    );
    assert.equal(lower.status, 200);
    assert.ok(Array.isArray(lower.json) && lower.json.length > 0);
    const wrongCase = await bench.call('GET', bench.feed('subscriptions/content?contentType=audit.exchange'));
    assert.equal(wrongCase.status, 400);
    assert.equal(afCode(wrongCase), 'AF20020');
    const badPublisher = await bench.call('GET', bench.feed('subscriptions/list?PublisherIdentifier=acme'));
    assert.equal(badPublisher.status, 400);
    assert.equal(afCode(badPublisher), 'AF20002');
  } finally {
    await bench.close();
  }
});

test('unknown operations answer 404 and wrong methods 405, both with an AF body', async () => {
  const bench = await startBench();
  try {
    const unknown = await bench.call('GET', bench.feed('subscriptions/everything'));
    assert.equal(unknown.status, 404);
    assert.ok(afCode(unknown));
    const oldRoot = await bench.call('GET', `/api/v1/${TENANT_A}/activity/feed/subscriptions/list`);
    assert.equal(oldRoot.status, 404);
    const wrongMethod = await bench.call('GET', bench.feed('subscriptions/start?contentType=Audit.Exchange'));
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.allow, 'POST');
    assert.ok(afCode(wrongMethod));
    const notOurs = await bench.call('GET', '/v1.0/servicePrincipals');
    assert.equal(notOurs.status, 404);
    assert.equal(notOurs.text, '', 'paths outside /api/ are left to the other services');
  } finally {
    await bench.close();
  }
});

test('dlpSensitiveTypes lists id and name, and enforces the Accept-Language rules', async () => {
  const bench = await startBench();
  try {
    const path = bench.feed(`resources/dlpSensitiveTypes?PublisherIdentifier=${PUBLISHER}`);
    const plain = await bench.call('GET', path);
    assert.equal(plain.status, 200);
    const types = plain.json as { id: string; name: string }[];
    assert.ok(types.length > 0);
    for (const type of types) {
      assert.deepEqual(Object.keys(type).sort(), ['id', 'name']);
      assert.match(type.id, /^[0-9a-f-]{36}$/);
    }
    for (const language of ['en-US', 'es', 'fr-FR;q=0.8', '*']) {
      const reply = await bench.call('GET', path, { headers: { 'accept-language': language } });
      assert.equal(reply.status, 200, language);
    }
    const several = await bench.call('GET', path, { headers: { 'accept-language': 'en-US, fr;q=0.5' } });
    assert.equal(several.status, 400);
    assert.equal(afCode(several), 'AF20053');
    for (const broken of ['en_US!', 'en-US;q=2', '']) {
      const reply = await bench.call('GET', path, { headers: { 'accept-language': broken } });
      assert.equal(afCode(reply), 'AF20054', JSON.stringify(broken));
    }
  } finally {
    await bench.close();
  }
});

test('hostile input never crashes the API: every answer is an AF error or a success', async () => {
  const bench = await startBench();
  try {
    const targets = [
      bench.feed('audit/%E0%A4%A'),
      bench.feed('audit/' + 'x'.repeat(5000)),
      bench.feed('subscriptions/content?contentType=Audit.Exchange&startTime=%00&endTime=2025-13-45'),
      bench.feed('subscriptions/content?contentType=Audit.Exchange&nextPage=' + encodeURIComponent('../../etc/passwd')),
      bench.feed('subscriptions/content?contentType=Audit.Exchange&startTime=2025-01-15T00:00&endTime=2025-01-15T01:00&nextPage=-'),
      bench.feed('subscriptions/content?contentType=Audit.Exchange&contentType=DLP.All&contentType'),
      bench.feed('subscriptions/notifications?contentType=%F0%9F%92%A9'),
      '/api/',
      '/api/v1.0/',
      bench.feed('constructor'),
      bench.feed('__proto__'),
      '/api/v1.0//activity/feed/subscriptions/list',
    ];
    for (const target of targets) {
      const reply = await bench.call('GET', target);
      assert.ok(reply.status === 200 || afCode(reply), `${target} → ${reply.status} ${reply.text.slice(0, 100)}`);
    }
    const bodies = ['{', '[]', '"webhook"', 'null', '{"webhook":"https://x"}', '{"webhook":{"address":42}}', '\u0000'.repeat(10)];
    for (const body of bodies) {
      const reply = await bench.call('POST', bench.feed('subscriptions/start?contentType=Audit.General'), {
        body,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(reply.status, 400, body);
      assert.ok(afCode(reply), body);
    }
    const huge = await bench.call('POST', bench.feed('subscriptions/start?contentType=Audit.General'), {
      body: `{"pad":"${'x'.repeat(200_000)}"}`,
    });
    assert.equal(huge.status, 400);
    const stillUp = await bench.call('GET', bench.feed('subscriptions/list'));
    assert.equal(stillUp.status, 200);
  } finally {
    await bench.close();
  }
});
