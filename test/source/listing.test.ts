import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { ForbiddenContentTypeError, ManagementApiError } from '../../src/source/errors.js';
import type { ContentBlob } from '../../src/source/types.js';
import { afError, collect, contentId, createTestClient, listingEntry, queryOf, TENANT } from './support/fake-api.js';
import { sendJson, startHttpServer, type TestServer } from './support/servers.js';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
const API_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

interface PagingScript {
  /** Entries served in order, two per page. */
  entries: unknown[];
  /** Name of the next-page header as sent. */
  headerName?: string;
  /** Lower-case the parameter names in next-page links, as the service does since 2025. */
  lowercase?: boolean;
  /** Answer AF20031 the first time this page (1-based) is requested through a next-page link. */
  stalePage?: number;
  /** Server clock offset from ours, ms. */
  skewMs?: number;
  /** Extra handling before paging (e.g. errors); return true when answered. */
  before?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** A `/subscriptions/content` endpoint that pages a fixed listing by an offset token. */
async function startListingServer(script: PagingScript) {
  const requests: IncomingMessage[] = [];
  let staled = false;
  const server: TestServer = await startHttpServer((req, res) => {
    requests.push(req);
    const date = new Date(Date.now() + (script.skewMs ?? 0)).toUTCString();
    res.setHeader('date', date);
    if (script.before?.(req, res)) return;
    const query = queryOf(req);
    const offset = Number(query.get('nextpage')?.[0] ?? 0);
    const page = offset / 2 + 1;
    if (script.stalePage === page && !staled) {
      staled = true;
      sendJson(res, 400, afError('AF20031', `Invalid nextPage Input: ${offset}.`));
      return;
    }
    const headers: Record<string, string> = {};
    if (offset + 2 < script.entries.length) {
      const names = script.lowercase ? ['contenttype', 'starttime', 'endtime', 'nextpage'] : ['contentType', 'startTime', 'endTime', 'nextPage'];
      const link = `${server.url}/api/v1.0/${TENANT}/activity/feed/subscriptions/content?${names[0]}=${query.get('contenttype')?.[0]}&${names[1]}=${query.get('starttime')?.[0]}&${names[2]}=${query.get('endtime')?.[0]}&${names[3]}=${offset + 2}`;
      headers[script.headerName ?? 'NextPageUri'] = link;
    }
    sendJson(res, 200, script.entries.slice(offset, offset + 2), headers);
  });
  return { server, requests };
}

function ids(blobs: ContentBlob[]): string[] {
  return blobs.map((blob) => blob.contentId);
}

describe('listContent', () => {
  for (const variant of [
    { name: 'NextPageUri header, documented parameter names', headerName: 'NextPageUri', lowercase: false },
    { name: 'lower-case header and lower-case parameter names', headerName: 'nextpageuri', lowercase: true },
  ]) {
    test(`follows every page (${variant.name}) and sends PublisherIdentifier on each request`, async () => {
      const script: PagingScript = { entries: [], ...variant };
      const { server: paged, requests: pagedRequests } = await startListingServer(script);
      const entries = Array.from({ length: 9 }, (_, i) => listingEntry(paged.url, contentId(i)));
      script.entries = entries;
      const { client } = createTestClient(paged.url, { publisherIdentifier: 'f0000000-0000-4000-8000-00000000000f' });
      try {
        const end = Math.floor(Date.now() / 1000) * 1000;
        const blobs = await collect(client.listContent('Audit.Exchange', end - DAY_MS, end));
        assert.deepEqual(ids(blobs), entries.map((entry) => entry.contentId));
        assert.equal(pagedRequests.length, 5);
        for (const req of pagedRequests) {
          assert.deepEqual(queryOf(req).get('publisheridentifier'), ['f0000000-0000-4000-8000-00000000000f']);
          assert.equal(req.headers.authorization?.startsWith('Bearer '), true);
        }
        const first = queryOf(pagedRequests[0] as IncomingMessage);
        assert.match(first.get('starttime')?.[0] ?? '', API_TIME);
        assert.equal(first.get('endtime')?.[0], new Date(end).toISOString().slice(0, 19));
        assert.equal(blobs[0]?.contentCreated, Date.parse(entries[0]?.contentCreated ?? ''));
      } finally {
        await client.close();
        await paged.close();
      }
    });
  }

  test('restarts the window from its first page when a next page has gone stale, yielding each blob once', async () => {
    const script: PagingScript = { entries: [], stalePage: 3 };
    const { server, requests } = await startListingServer(script);
    script.entries = Array.from({ length: 7 }, (_, i) => listingEntry(server.url, contentId(i)));
    const { client } = createTestClient(server.url);
    try {
      const blobs = await collect(client.listContent('Audit.Exchange', Date.now() - HOUR_MS, Date.now()));
      assert.deepEqual(ids(blobs), script.entries.map((entry) => (entry as { contentId: string }).contentId));
      const firstPages = requests.filter((req) => !queryOf(req).has('nextpage'));
      assert.equal(firstPages.length, 2);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('gives up until later when next pages keep going stale without bringing new blobs', async () => {
    const script: PagingScript = {
      entries: [],
      before(req, res) {
        if (!queryOf(req).has('nextpage')) return false;
        sendJson(res, 400, afError('AF20031', 'Invalid nextPage Input: 2.'));
        return true;
      },
    };
    const { server, requests } = await startListingServer(script);
    script.entries = Array.from({ length: 4 }, (_, i) => listingEntry(server.url, contentId(i)));
    const { client } = createTestClient(server.url);
    const yielded: string[] = [];
    try {
      await assert.rejects(
        (async () => {
          for await (const blobs of client.listContent('Audit.Exchange', Date.now() - HOUR_MS, Date.now())) yielded.push(...ids(blobs));
        })(),
        (error: unknown) => error instanceof ManagementApiError && error.kind === 'transient' && /after 5 restarts — it will be tried again later$/.test(error.message),
      );
      assert.deepEqual(yielded, [contentId(0), contentId(1)]);
      assert.equal(requests.length, 12);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('yields a blob once when the listing repeats and shuffles entries across pages', async () => {
    const script: PagingScript = { entries: [] };
    const { server } = await startListingServer(script);
    const unique = Array.from({ length: 6 }, (_, i) => listingEntry(server.url, contentId(i)));
    // Pages: [3,0] [1,3] [5,2] [0,4] — repeats of 3 and 0 across pages, out of order.
    script.entries = [3, 0, 1, 3, 5, 2, 0, 4].map((i) => unique[i]);
    const { client } = createTestClient(server.url);
    try {
      const blobs = await collect(client.listContent('Audit.Exchange', Date.now() - HOUR_MS, Date.now()));
      assert.deepEqual(ids(blobs).sort(), unique.map((entry) => entry.contentId).sort());
      assert.equal(new Set(ids(blobs)).size, blobs.length);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test("clamps a window older than 7 days to the server's clock, not ours", async () => {
    const skewMs = 2 * HOUR_MS;
    const { server, requests } = await startListingServer({ entries: [], skewMs });
    const { client } = createTestClient(server.url);
    try {
      // Learn the server's clock first, as the runtime's earlier calls would have.
      await collect(client.listContent('Audit.Exchange', Date.now() - HOUR_MS, Date.now()));
      const start = Date.now() - 7.5 * DAY_MS;
      await collect(client.listContent('Audit.Exchange', start, start + DAY_MS));
      assert.equal(requests.length, 2);
      const sent = Date.parse(`${queryOf(requests[1] as IncomingMessage).get('starttime')?.[0]}Z`);
      assert.ok(sent >= Date.now() + skewMs - 7 * DAY_MS, 'start is within the server-side 7 days');
      assert.ok(Math.abs(client.clockSkewMs() - skewMs) < 5000);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('does not follow a next page whose startTime has aged past the 7-day limit; restarts the window instead', async () => {
    // The server's clock runs 10 minutes ahead; the first answer tells, and the link it carries repeats a
    // startTime that is now too old — as after hours of paging.
    const jumpMs = 10 * 60_000;
    const script: PagingScript = { entries: [], skewMs: jumpMs };
    const { server, requests } = await startListingServer(script);
    script.entries = Array.from({ length: 4 }, (_, i) => listingEntry(server.url, contentId(i), 'Audit.Exchange', Date.now() - 6.5 * DAY_MS));
    const { client } = createTestClient(server.url);
    try {
      const start = Date.now() - 7 * DAY_MS;
      const blobs = await collect(client.listContent('Audit.Exchange', start, start + DAY_MS));
      assert.deepEqual(ids(blobs), script.entries.map((entry) => (entry as { contentId: string }).contentId));
      const followed = requests.filter((req) => queryOf(req).has('nextpage'));
      assert.ok(followed.length > 0);
      for (const req of followed) {
        const linkStart = Date.parse(`${queryOf(req).get('starttime')?.[0]}Z`);
        assert.ok(linkStart >= Date.now() + jumpMs - 7 * DAY_MS, 'every followed link is still within the server-side 7 days');
      }
      assert.equal(requests.filter((req) => !queryOf(req).has('nextpage')).length, 2);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('lists nothing for a window entirely past the 7-day limit', async () => {
    const { server, requests } = await startListingServer({ entries: [] });
    const { client } = createTestClient(server.url);
    try {
      const start = Date.now() - 9 * DAY_MS;
      assert.deepEqual(await collect(client.listContent('Audit.Exchange', start, start + DAY_MS)), []);
      assert.equal(requests.length, 0);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('retries a refused window (AF20055) after learning the server clock from the refusal', async () => {
    const skewMs = 3 * HOUR_MS;
    const script: PagingScript = {
      entries: [],
      skewMs,
      before(req, res) {
        const start = Date.parse(`${queryOf(req).get('starttime')?.[0]}Z`);
        if (start >= Date.now() + skewMs - 7 * DAY_MS) return false;
        sendJson(res, 400, afError('AF20055', 'Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time prior to end time and start time no more than 7 days in the past.'));
        return true;
      },
    };
    const { server, requests } = await startListingServer(script);
    script.entries = [listingEntry(server.url, contentId(1))];
    const { client } = createTestClient(server.url);
    try {
      const start = Date.now() - 7 * DAY_MS + HOUR_MS;
      const blobs = await collect(client.listContent('Audit.Exchange', start, start + DAY_MS));
      assert.equal(blobs.length, 1);
      assert.equal(requests.length, 2);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('starts a missing subscription (AF20022) and then lists', async () => {
    let subscribed = false;
    const starts: string[] = [];
    const script: PagingScript = {
      entries: [],
      before(req, res) {
        if (req.method === 'POST' && req.url?.includes('/subscriptions/start')) {
          starts.push(queryOf(req).get('contenttype')?.[0] ?? '');
          subscribed = true;
          sendJson(res, 200, { contentType: 'Audit.General', status: 'enabled', webhook: null });
          return true;
        }
        if (subscribed) return false;
        sendJson(res, 400, afError('AF20022', 'No subscription found for the specified content type.'));
        return true;
      },
    };
    const { server } = await startListingServer(script);
    script.entries = [listingEntry(server.url, contentId(1, 'Audit.General'), 'Audit.General')];
    const { client } = createTestClient(server.url);
    try {
      const blobs = await collect(client.listContent('Audit.General', Date.now() - HOUR_MS, Date.now()));
      assert.equal(blobs.length, 1);
      assert.deepEqual(starts, ['Audit.General']);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('a content type the app may not read fails alone with ForbiddenContentTypeError', async () => {
    const script: PagingScript = {
      entries: [],
      before(req, res) {
        if (queryOf(req).get('contenttype')?.[0] !== 'DLP.All') return false;
        sendJson(res, 403, afError('AF10001', 'The permission set (ActivityFeed.Read) sent in the request did not include the expected permission ActivityFeed.ReadDlp.'));
        return true;
      },
    };
    const { server } = await startListingServer(script);
    script.entries = [listingEntry(server.url, contentId(1))];
    const { client } = createTestClient(server.url);
    try {
      await assert.rejects(collect(client.listContent('DLP.All', Date.now() - HOUR_MS, Date.now())), (error: unknown) => {
        assert.ok(error instanceof ForbiddenContentTypeError);
        assert.ok(error instanceof ManagementApiError);
        assert.equal(error.kind, 'forbidden');
        assert.equal(error.contentType, 'DLP.All');
        assert.match(error.message, /ActivityFeed\.ReadDlp .* the other content types continue$/);
        return true;
      });
      assert.equal((await collect(client.listContent('Audit.Exchange', Date.now() - HOUR_MS, Date.now()))).length, 1);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('an unknown tenant stops with a fatal error naming the fix', async () => {
    const script: PagingScript = {
      entries: [],
      before(_req, res) {
        sendJson(res, 400, afError('AF20011', `Specified tenant ID (${TENANT}) does not exist in the system or has been deleted.`));
        return true;
      },
    };
    const { server, requests } = await startListingServer(script);
    const { client } = createTestClient(server.url);
    try {
      await assert.rejects(collect(client.listContent('Audit.Exchange', Date.now() - HOUR_MS, Date.now())), (error: unknown) => {
        assert.ok(error instanceof ManagementApiError);
        assert.equal(error.kind, 'fatal');
        assert.equal(error.code, 'AF20011');
        assert.match(error.message, /turn on auditing/);
        return true;
      });
      assert.equal(requests.length, 1);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('rejects windows longer than 24 hours before sending anything', async () => {
    const { server, requests } = await startListingServer({ entries: [] });
    const { client } = createTestClient(server.url);
    try {
      await assert.rejects(collect(client.listContent('Audit.Exchange', Date.now() - 2 * DAY_MS, Date.now())), RangeError);
      assert.equal(requests.length, 0);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
