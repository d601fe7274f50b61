// `/subscriptions/content`: entries, time windows, paging through NextPageUri, and the listing faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afCode, afMessage, type Bench, HOUR, NOW, startBench, TENANT_A } from './activity-harness.js';

interface Entry {
  contentType: string;
  contentId: string;
  contentUri: string;
  contentCreated: string;
  contentExpiration: string;
}

const DAY = 24 * HOUR;

/** What an independent client does: follow NextPageUri verbatim until a page has none. */
async function listAll(bench: Bench, first: string): Promise<{ pages: Entry[][]; links: string[] }> {
  const pages: Entry[][] = [];
  const links: string[] = [];
  let target: string | undefined = first;
  while (target !== undefined) {
    const reply = await bench.call('GET', target);
    assert.equal(reply.status, 200, reply.text);
    pages.push(reply.json as Entry[]);
    const next = reply.headers.nextpageuri;
    target = typeof next === 'string' ? next : undefined;
    if (target) links.push(target);
    assert.ok(pages.length < 100, 'paging must end');
  }
  return { pages, links };
}

const ids = (entries: Entry[]) => entries.map((e) => e.contentId);

test('entries describe each visible blob, oldest availability first, with an absolute contentUri', async () => {
  const bench = await startBench();
  try {
    const reply = await bench.call('GET', bench.feed('subscriptions/content?contentType=Audit.Exchange'));
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.nextpageuri, undefined);
    const entries = reply.json as Entry[];
    const expected = bench.catalog.blobs
      .filter((b) => b.tenantId === TENANT_A && b.contentType === 'Audit.Exchange' && b.visibleAt <= NOW)
      .sort((x, y) => x.visibleAt - y.visibleAt);
    assert.equal(entries.length, 10);
    assert.deepEqual(
      entries,
      expected.map((b) => ({
        contentType: 'Audit.Exchange',
        contentId: b.contentId,
        contentUri: `${bench.origin}/api/v1.0/${TENANT_A}/activity/feed/audit/${b.contentId}`,
        contentCreated: new Date(b.contentCreated).toISOString(),
        contentExpiration: new Date(b.contentCreated + 7 * DAY).toISOString(),
      })),
    );
    assert.match(entries[0]?.contentUri ?? '', /\$/);
    assert.match(entries[0]?.contentCreated ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  } finally {
    await bench.close();
  }
});

test('every accepted time format selects the same window, start inclusive and end exclusive', async () => {
  const bench = await startBench();
  try {
    // Blobs were created at 04:01, 02:01 and 00:01 on 2025-01-15 within 00:00–06:00 UTC.
    const windows = [
      ['2025-01-15', '2025-01-15T06:00'],
      ['2025-01-15T00:00', '2025-01-15T06:00:00'],
      ['2025-01-15T00:00:00Z', '2025-01-15T06:00Z'],
      ['2025-01-15T00:00:00.000Z', '2025-01-15T06:00:00.0000000Z'],
      ['2025-01-15T01:00:00+01:00', '2025-01-15T01:00:00-05:00'],
      ['2025-01-14T19:00-05:00', '2025-01-15t06:00:00z'],
    ];
    for (const [start = '', end = ''] of windows) {
      const query = `contentType=Audit.Exchange&startTime=${encodeURIComponent(start)}&endTime=${encodeURIComponent(end)}`;
      const reply = await bench.call('GET', bench.feed(`subscriptions/content?${query}`));
      assert.equal(reply.status, 200, `${start} .. ${end}: ${reply.text}`);
      assert.deepEqual(
        (reply.json as Entry[]).map((e) => e.contentCreated),
        ['2025-01-15T00:01:00.000Z', '2025-01-15T02:01:00.000Z', '2025-01-15T04:01:00.000Z'],
        `${start} .. ${end}`,
      );
    }
    const edges = await bench.call(
      'GET',
      bench.feed('subscriptions/content?contentType=Audit.Exchange&startTime=2025-01-15T02:01&endTime=2025-01-15T04:01'),
    );
    assert.deepEqual((edges.json as Entry[]).map((e) => e.contentCreated), ['2025-01-15T02:01:00.000Z']);
    const future = await bench.call(
      'GET',
      bench.feed('subscriptions/content?contentType=Audit.Exchange&startTime=2025-01-15T11:00&endTime=2025-01-15T20:00'),
    );
    assert.equal(future.status, 200, 'an end in the future is accepted');
  } finally {
    await bench.close();
  }
});

test('bad windows answer AF20055 (or AF20030 when configured), unparsable times AF20002', async () => {
  for (const code of ['AF20055', 'AF20030'] as const) {
    const bench = await startBench({ behaviour: { windowErrorCode: code } });
    try {
      const at = (ms: number) => new Date(ms).toISOString();
      const bad = [
        `startTime=${at(NOW - HOUR)}`,
        `endTime=${at(NOW)}`,
        `startTime=${at(NOW - 25 * HOUR)}&endTime=${at(NOW)}`,
        `startTime=${at(NOW)}&endTime=${at(NOW)}`,
        `startTime=${at(NOW)}&endTime=${at(NOW - HOUR)}`,
        `startTime=${at(NOW - 7 * DAY - 2 * HOUR)}&endTime=${at(NOW - 7 * DAY + 2 * HOUR)}`,
      ];
      for (const query of bad) {
        const reply = await bench.call('GET', bench.feed(`subscriptions/content?contentType=Audit.Exchange&${query}`));
        assert.equal(reply.status, 400, query);
        assert.equal(afCode(reply), code, query);
        assert.match(afMessage(reply) ?? '', /24 hours apart/);
      }
      const slack = `startTime=${at(NOW - 7 * DAY - 30 * 60_000)}&endTime=${at(NOW - 7 * DAY + 20 * HOUR)}`;
      const withinSlack = await bench.call('GET', bench.feed(`subscriptions/content?contentType=Audit.Exchange&${slack}`));
      assert.equal(withinSlack.status, 200, 'up to an hour beyond 7 days is tolerated');
      for (const value of ['yesterday', '2025-02-30', '2025-01-15T25:00', '1736899200']) {
        const reply = await bench.call(
          'GET',
          bench.feed(`subscriptions/content?contentType=Audit.Exchange&startTime=${value}&endTime=2025-01-15T12:00`),
        );
        assert.equal(afCode(reply), 'AF20002', value);
        assert.match(afMessage(reply) ?? '', /startTime.*datetime/);
      }
    } finally {
      await bench.close();
    }
  }
});

test('following NextPageUri verbatim with page size 2 rebuilds exactly the full listing, in both casings', async () => {
  const full = await startBench();
  // The two benches listen on different ports; the listings must agree on everything else.
  const withoutOrigin = (entries: Entry[]) => entries.map((e) => ({ ...e, contentUri: new URL(e.contentUri).pathname }));
  let expected: Entry[];
  try {
    expected = withoutOrigin((await full.call('GET', full.feed('subscriptions/content?contentType=Audit.Exchange'))).json as Entry[]);
  } finally {
    await full.close();
  }
  for (const lowercaseNextPage of [false, true]) {
    const bench = await startBench({ behaviour: { pageSize: 2, lowercaseNextPage } });
    try {
      const { pages, links } = await listAll(bench, bench.feed('subscriptions/content?contentType=Audit.Exchange'));
      assert.equal(pages.length, 5);
      assert.ok(pages.every((page) => page.length === 2));
      assert.deepEqual(withoutOrigin(pages.flat()), expected);
      for (const link of links) {
        const url = new URL(link);
        assert.equal(url.origin, bench.origin);
        assert.equal(url.pathname, `/api/v1.0/${TENANT_A}/activity/feed/subscriptions/content`);
        const names = [...url.searchParams.keys()];
        const wanted = ['contentType', 'startTime', 'endTime', 'nextPage'];
        assert.deepEqual(names, lowercaseNextPage ? wanted.map((n) => n.toLowerCase()) : wanted);
        // Omitted times come back filled in with the 24 hours before the first request.
        assert.equal(url.searchParams.get(names[1] ?? ''), new Date(NOW - DAY).toISOString());
        assert.equal(url.searchParams.get(names[2] ?? ''), new Date(NOW).toISOString());
      }
    } finally {
      await bench.close();
    }
  }
});

test('a next-page link repeats the window the client sent', async () => {
  const bench = await startBench({ behaviour: { pageSize: 1 } });
  try {
    const reply = await bench.call(
      'GET',
      bench.feed('subscriptions/content?contentType=Audit.Exchange&startTime=2025-01-15T00:00&endTime=2025-01-15T06:00'),
    );
    const link = new URL(String(reply.headers.nextpageuri));
    assert.equal(link.searchParams.get('startTime'), '2025-01-15T00:00');
    assert.equal(link.searchParams.get('endTime'), '2025-01-15T06:00');
    const { pages } = await listAll(bench, link.href);
    assert.equal(pages.flat().length, 2);
  } finally {
    await bench.close();
  }
});

test('pages of one listing stay consistent while the clock moves and new blobs appear', async () => {
  const bench = await startBench({ behaviour: { pageSize: 3 } });
  try {
    const window = `startTime=${new Date(NOW - 23 * HOUR).toISOString()}&endTime=${new Date(NOW + HOUR).toISOString()}`;
    const first = await bench.call('GET', bench.feed(`subscriptions/content?contentType=Audit.Exchange&${window}`));
    const firstPage = first.json as Entry[];
    bench.clock.advance(2 * HOUR); // blob 10 becomes visible
    const rest = await listAll(bench, String(first.headers.nextpageuri));
    const listed = [...firstPage, ...rest.pages.flat()];
    assert.equal(listed.length, 10);
    assert.ok(!ids(listed).includes(bench.catalog.blobs[10]?.contentId ?? ''));

    const fresh = await listAll(bench, bench.feed(`subscriptions/content?contentType=Audit.Exchange&${window}`));
    assert.ok(ids(fresh.pages.flat()).includes(bench.catalog.blobs[10]?.contentId ?? ''));
  } finally {
    await bench.close();
  }
});

test('a tampered, foreign or garbage nextPage answers AF20031', async () => {
  const bench = await startBench({ behaviour: { pageSize: 2 } });
  try {
    const first = await bench.call('GET', bench.feed('subscriptions/content?contentType=Audit.Exchange'));
    const link = new URL(String(first.headers.nextpageuri));
    const token = link.searchParams.get('nextPage') ?? '';

    const tampered = new URL(link);
    tampered.searchParams.set('nextPage', token.replace(/^./, (c) => (c === '1' ? '2' : '1')));
    const otherWindow = new URL(link);
    otherWindow.searchParams.set('startTime', new Date(NOW - 20 * HOUR).toISOString());
    const otherType = new URL(link);
    otherType.searchParams.set('contentType', 'DLP.All');
    const garbage = new URL(link);
    garbage.searchParams.set('nextPage', '2015101900R022885001761');

    for (const target of [tampered, otherWindow, otherType, garbage]) {
      const reply = await bench.call('GET', target.href);
      assert.equal(reply.status, 400, target.href);
      assert.equal(afCode(reply), 'AF20031', target.href);
      assert.match(afMessage(reply) ?? '', /^Invalid nextPage Input: /);
    }
    const genuine = await bench.call('GET', link.href);
    assert.equal(genuine.status, 200);
  } finally {
    await bench.close();
  }
});

test('with stale next-page links, following one answers AF20031 and listing again starts over', async () => {
  const bench = await startBench({ behaviour: { pageSize: 4 }, faults: { staleNextPageRate: 1 } });
  try {
    const first = await bench.call('GET', bench.feed('subscriptions/content?contentType=Audit.Exchange'));
    assert.equal(first.status, 200);
    const stale = await bench.call('GET', String(first.headers.nextpageuri));
    assert.equal(stale.status, 400);
    assert.equal(afCode(stale), 'AF20031');
    const again = await bench.call('GET', bench.feed('subscriptions/content?contentType=Audit.Exchange'));
    assert.deepEqual(again.json, first.json);
  } finally {
    await bench.close();
  }
});

test('shuffled and repeated entries: all blobs listed, each repeat on a later page, pages replayable', async () => {
  const bench = await startBench({ behaviour: { pageSize: 2 }, faults: { listingShuffle: true, listingDuplicateRate: 0.5 } });
  try {
    const base = bench.feed('subscriptions/content?contentType=Audit.Exchange');
    const { pages, links } = await listAll(bench, base);
    const listed = pages.flat();
    const expected = bench.catalog.blobs.filter((b) => b.contentType === 'Audit.Exchange' && b.visibleAt <= NOW);
    assert.deepEqual(new Set(ids(listed)), new Set(expected.map((b) => b.contentId)));
    assert.ok(listed.length > expected.length, 'some entries are repeated');
    const firstPageOf = new Map<string, number>();
    pages.forEach((page, number) => {
      for (const entry of page) {
        const seen = firstPageOf.get(entry.contentId);
        if (seen === undefined) firstPageOf.set(entry.contentId, number);
        else assert.ok(number > seen, `${entry.contentId} repeated on page ${number}, first seen on ${seen}`);
      }
    });
    const replay = await bench.call('GET', links[1] ?? '');
    assert.deepEqual(replay.json, pages[2]);
    const unshuffled = await startBench();
    try {
      const plain = (await unshuffled.call('GET', unshuffled.feed('subscriptions/content?contentType=Audit.Exchange'))).json as Entry[];
      assert.notDeepEqual(ids(listed).slice(0, plain.length), ids(plain), 'the order is shuffled');
    } finally {
      await unshuffled.close();
    }
  } finally {
    await bench.close();
  }
});

test('notifications list is empty when no webhook was configured', async () => {
  const bench = await startBench();
  try {
    const reply = await bench.call('GET', bench.feed('subscriptions/notifications?contentType=Audit.Exchange'));
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json, []);
  } finally {
    await bench.close();
  }
});
