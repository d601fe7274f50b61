// What the engine benchmark asks of the search engine besides `_bulk`: counting a data stream, reading
// its documents back, giving a fresh data stream the connector's own templates, and removing what the
// benchmark created.
import { request } from 'undici';
import { createEngineConnection } from '../../src/sinks/elasticsearch/connection.js';
import { detectEngine } from '../../src/sinks/elasticsearch/engine.js';
import { parseIndexTarget } from '../../src/sinks/elasticsearch/index-target.js';
import { installTemplates } from '../../src/sinks/elasticsearch/templates.js';
import type { OutputDocument } from '../../src/sinks/types.js';
import { createLogger } from '../../src/util/logger.js';

const SCROLL_KEEP_ALIVE = '2m';

async function call(url: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await request(new URL(path, url), {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.statusCode, body: await response.body.json() };
}

async function expectOk(url: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  const answer = await call(url, method, path, body);
  if (answer.status < 200 || answer.status >= 300) {
    throw new Error(`the engine at ${url} answered ${method} ${path} with ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  return answer.body;
}

/** Documents searchable in `index` after a refresh. */
export async function countDocuments(url: string, index: string): Promise<number> {
  await expectOk(url, 'POST', `/${index}/_refresh`);
  return ((await expectOk(url, 'GET', `/${index}/_count`)) as { count: number }).count;
}

/**
 * Reads every document of `index` back as the connector sent it (`_id` and `_source`), a page at a
 * time, so the caller can serialise each page and keep only the bytes.
 */
export async function scrollDocuments(url: string, index: string, pageSize: number, onPage: (documents: OutputDocument[]) => void): Promise<void> {
  type Page = { _scroll_id: string; hits: { hits: { _id: string; _source: Record<string, unknown> }[] } };
  let page = (await expectOk(url, 'POST', `/${index}/_search?scroll=${SCROLL_KEEP_ALIVE}`, { size: pageSize, sort: ['_doc'] })) as Page;
  try {
    while (page.hits.hits.length > 0) {
      onPage(page.hits.hits.map((hit) => ({ id: hit._id, source: hit._source, timestamp: Date.parse(String(hit._source['@timestamp'])) })));
      page = (await expectOk(url, 'POST', '/_search/scroll', { scroll: SCROLL_KEEP_ALIVE, scroll_id: page._scroll_id })) as Page;
    }
  } finally {
    await call(url, 'DELETE', '/_search/scroll', { scroll_id: page._scroll_id });
  }
}

/**
 * Tasks the engine's `write` thread pool has completed, over all nodes. Each `_bulk` request makes a
 * fixed number of them (one per shard it touches, and on some versions one for the request itself),
 * so the difference over a run, divided by the same figure for a run of known requests, counts the
 * `_bulk` requests the connector sent.
 */
export async function writeTasksCompleted(url: string): Promise<number> {
  const stats = (await expectOk(url, 'GET', '/_nodes/stats/thread_pool')) as { nodes: Record<string, { thread_pool: { write?: { completed: number } } }> };
  return Object.values(stats.nodes).reduce((sum, node) => sum + (node.thread_pool.write?.completed ?? 0), 0);
}

/** Installs the templates the connector would install for `index`, so a benchmark write gets the same mapping. */
export async function installConnectorTemplates(url: string, index: string): Promise<void> {
  const connection = createEngineConnection({ hosts: [url], tls: { rejectUnauthorized: true }, connections: 1, requestTimeoutMs: 60_000, compressionLevel: 0 });
  try {
    const root = await connection.request({ method: 'GET', path: '/' });
    await installTemplates(connection, detectEngine(root.body, root.host), parseIndexTarget(index), createLogger({ level: 'warn', json: true }));
  } finally {
    await connection.close();
  }
}

/** Deletes a data stream and the index template the connector installed for it (on an engine the benchmark did not start). */
export async function removeDataStream(url: string, index: string): Promise<void> {
  await call(url, 'DELETE', `/_data_stream/${index}`);
  await call(url, 'DELETE', `/_index_template/${parseIndexTarget(index).templateName}`);
}
