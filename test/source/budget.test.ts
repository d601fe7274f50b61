import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { createRequestBudget } from '../../src/source/budget.js';
import { auditRecords, blobFor, collect, contentId, createTestClient, listingEntry, queryOf, TENANT } from './support/fake-api.js';
import { sendJson, startHttpServer } from './support/servers.js';

// The per-minute budget scaled down to two seconds, so a few seconds show several windows. Requests
// are then about 220 ms apart, far more than the scheduling jitter between client and server.
const LIMIT = 10;
const WINDOW_MS = 2000;
const PAGES = 16;
const BLOBS = 10;
const SUBSCRIPTION_LISTS = 4;

test('listing, blob and subscription calls of a tenant share one budget that no window exceeds', { timeout: 60_000 }, async () => {
  const arrivals: number[] = [];
  const server = await startHttpServer((req, res) => {
    arrivals.push(performance.now());
    if (req.url?.includes('/subscriptions/list')) return sendJson(res, 200, []);
    if (req.url?.includes('/activity/feed/audit/')) return sendJson(res, 200, auditRecords(3));
    const page = Number(queryOf(req).get('nextpage')?.[0] ?? 0);
    const headers: Record<string, string> = {};
    if (page + 1 < PAGES) {
      headers.NextPageUri = `${server.url}/api/v1.0/${TENANT}/activity/feed/subscriptions/content?contentType=Audit.Exchange&nextPage=${page + 1}`;
    }
    sendJson(res, 200, [listingEntry(server.url, contentId(page))], headers);
  });
  const budget = createRequestBudget({ limit: LIMIT, windowMs: WINDOW_MS });
  const { client } = createTestClient(server.url, {}, { budget });
  try {
    const [blobs] = await Promise.all([
      collect(client.listContent('Audit.Exchange', Date.now() - 3600_000, Date.now())),
      ...Array.from({ length: BLOBS }, (_, i) => collect(client.fetchBlob(blobFor(server.url, contentId(100 + i))))),
      ...Array.from({ length: SUBSCRIPTION_LISTS }, () => client.listSubscriptions()),
    ]);
    assert.equal(blobs.length, PAGES);
    assert.equal(arrivals.length, PAGES + BLOBS + SUBSCRIPTION_LISTS);
    const busiest = Math.max(...arrivals.map((start) => arrivals.filter((t) => t >= start && t < start + WINDOW_MS).length));
    assert.ok(busiest <= LIMIT, `${busiest} requests arrived within one window; the budget is ${LIMIT}`);
    // Not a trickle either: the budget is used.
    assert.ok(busiest >= LIMIT - 1, `only ${busiest} requests in the busiest window`);
  } finally {
    await client.close();
    await server.close();
  }
});
