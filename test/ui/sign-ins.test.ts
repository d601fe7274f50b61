// The recent sign-ins feed (what the map draws) and the UI routes over real HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRecentSignIns, pickSignIns, type RecentSignIns } from '../../src/runtime/recent-sign-ins.js';
import type { OutputDocument } from '../../src/sinks/types.js';
import { startUiServer, type UiServer } from './support.js';

let sequence = 0;

/** A delivered sign-in document as the transform and the GeoIP enricher shape it. */
function signInDocument(overrides: { outcome?: string; category?: string[]; location?: unknown; timestamp?: number; id?: string } = {}): OutputDocument {
  sequence += 1;
  const timestamp = overrides.timestamp ?? Date.UTC(2025, 0, 31, 12, 0, sequence);
  return {
    id: overrides.id ?? `record-${sequence}`,
    timestamp,
    source: {
      '@timestamp': new Date(timestamp).toISOString(),
      event: { category: overrides.category ?? ['authentication'], outcome: overrides.outcome ?? 'success' },
      user: { name: 'megan', email: 'megan@contoso.com' },
      source: {
        ip: '193.0.6.139',
        geo: { city_name: 'Amsterdam', country_iso_code: 'NL', location: 'location' in overrides ? overrides.location : { lat: 52.3717, lon: 4.8852 } },
      },
    },
  };
}

describe('recent sign-ins', () => {
  test('keeps located authentication events with who, where and the outcome', () => {
    const signIns = createRecentSignIns(10);
    const document = signInDocument({ outcome: 'failure' });
    assert.equal(signIns.observe(document), true);
    assert.deepEqual(signIns.snapshot(), [
      { timestamp: document.timestamp, lat: 52.3717, lon: 4.8852, outcome: 'failure', user: 'megan@contoso.com', city: 'Amsterdam', country: 'NL', ip: '193.0.6.139' },
    ]);
  });

  test('ignores other events, sign-ins GeoIP could not place, and impossible coordinates', () => {
    const signIns = createRecentSignIns(10);
    assert.equal(signIns.observe(signInDocument({ category: ['file'] })), false);
    assert.equal(signIns.observe(signInDocument({ location: undefined })), false);
    assert.equal(signIns.observe(signInDocument({ location: { lat: 95, lon: 10 } })), false);
    assert.equal(signIns.observe(signInDocument({ location: { lat: '52', lon: '4' } })), false);
    assert.deepEqual(signIns.snapshot(), []);
    assert.equal(signIns.version, 0);
  });

  test('holds only the most recent ones, oldest first, once each', () => {
    const signIns = createRecentSignIns(3);
    const documents = [1, 2, 3, 4, 5].map((n) => signInDocument({ timestamp: n * 1000 }));
    for (const document of documents) signIns.observe(document);
    assert.equal(signIns.observe(documents[4]!), false, 'a record delivered twice is one sign-in');
    assert.deepEqual(
      signIns.snapshot().map((s) => s.timestamp),
      [3000, 4000, 5000],
    );
    // An evicted record is no longer known, so it may come back.
    assert.equal(signIns.observe(documents[0]!), true);
    assert.deepEqual(
      signIns.snapshot().map((s) => s.timestamp),
      [4000, 5000, 1000],
    );
  });

  test('keeps what the sink acknowledged and leaves out what it refused', () => {
    const signIns = createRecentSignIns(10);
    const [kept, refused] = [signInDocument(), signInDocument()];
    signIns.observeDelivered(pickSignIns([kept!, refused!]), [{ document: { ...refused! }, reason: 'mapper_parsing_exception' }]);
    assert.deepEqual(
      signIns.snapshot().map((s) => s.timestamp),
      [kept!.timestamp],
    );
  });

  test('a snapshot since a time holds the sign-ins from that time on', () => {
    const signIns = createRecentSignIns(10);
    for (const n of [1, 2, 3]) signIns.observe(signInDocument({ timestamp: n * 1000 }));
    assert.deepEqual(
      signIns.snapshot({ sinceMs: 2000 }).map((s) => s.timestamp),
      [2000, 3000],
    );
  });

  test('refuses a capacity that is not a positive whole number', () => {
    assert.throws(() => createRecentSignIns(0), /capacity must be a whole number of at least 1, not 0/);
  });
});

describe('UI routes', () => {
  let signIns: RecentSignIns;
  let server: UiServer;
  const status = { streams: [{ tenant: 'Contoso </script><script>alert(1)</script>', contentType: 'Audit.AzureActiveDirectory' }] };

  before(async () => {
    signIns = createRecentSignIns(100);
    server = await startUiServer(signIns, () => status);
  });
  after(() => server.close());

  test('GET / is the page: the world map, its scripts and the status, under a policy that allows only its own files', async () => {
    const response = await fetch(`${server.url}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await response.text();
    assert.match(html, /<svg id="map" viewBox="0 0 1000 400"/);
    assert.match(html, /<path class="land" d="M/);
    assert.match(html, /<script type="module" src="\/ui\/app.js"><\/script>/);
    // Text from the status cannot close the script element it is embedded in.
    assert.equal(html.match(/<\/script>/g)?.length, 2);
    assert.match(html, /Contoso \\u003c\/script>\\u003cscript>alert\(1\)\\u003c\/script>/);
  });

  test("the page's own files are served with their types; other paths are left to the server", async () => {
    for (const [path, type] of [
      ['/ui/app.js', 'text/javascript'],
      ['/ui/map.js', 'text/javascript'],
      ['/ui/status.js', 'text/javascript'],
      ['/ui/time.js', 'text/javascript'],
      ['/ui/style.css', 'text/css'],
    ] as const) {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', new RegExp(`^${type}`), path);
      assert.ok((await response.text()).length > 100, path);
    }
    assert.equal((await fetch(`${server.url}/ui/missing.js`)).status, 404);
    assert.deepEqual(await (await fetch(`${server.url}/api/status`)).json(), status);
  });

  test('GET /api/sign-ins gives the sign-ins as JSON, and 304 while nothing new arrived', async () => {
    const document = signInDocument({ outcome: 'failure', timestamp: Date.UTC(2025, 0, 31) });
    signIns.observe(document);
    const response = await fetch(`${server.url}/api/sign-ins`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { capacity: number; signIns: Array<{ outcome: string; timestamp: number }> };
    assert.equal(body.capacity, 100);
    assert.deepEqual(
      body.signIns.map((s) => [s.outcome, s.timestamp]),
      [['failure', document.timestamp]],
    );
    const etag = response.headers.get('etag');
    assert.ok(etag);
    assert.equal((await fetch(`${server.url}/api/sign-ins`, { headers: { 'if-none-match': etag } })).status, 304);
    signIns.observe(signInDocument({ timestamp: Date.UTC(2025, 0, 31, 1) }));
    const changed = await fetch(`${server.url}/api/sign-ins`, { headers: { 'if-none-match': etag } });
    assert.equal(changed.status, 200);
    assert.equal(((await changed.json()) as { signIns: unknown[] }).signIns.length, 2);
  });

  test('GET /api/sign-ins?since= takes epoch milliseconds or an ISO time, and says what it expects otherwise', async () => {
    const since = Date.UTC(2025, 0, 31, 0, 30);
    for (const value of [String(since), new Date(since).toISOString()]) {
      const body = (await (await fetch(`${server.url}/api/sign-ins?since=${encodeURIComponent(value)}`)).json()) as { signIns: Array<{ timestamp: number }> };
      assert.deepEqual(
        body.signIns.map((s) => s.timestamp),
        [Date.UTC(2025, 0, 31, 1)],
        value,
      );
    }
    const refused = await fetch(`${server.url}/api/sign-ins?since=yesterday`);
    assert.equal(refused.status, 400);
    assert.match(((await refused.json()) as { error: string }).error, /^since must be epoch milliseconds or an ISO 8601 time/);
  });

  test('answers GET and HEAD only', async () => {
    const response = await fetch(`${server.url}/api/sign-ins`, { method: 'POST', body: '{}' });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET, HEAD');
    const head = await fetch(`${server.url}/`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });
});
