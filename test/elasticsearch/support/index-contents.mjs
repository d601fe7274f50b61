// What the collector left in the search engine, read back over plain HTTP and compared with the
// emulator's ground truth, plus the settings that point a collector at one data stream of that engine.
// Plain JavaScript so that scripts/crash-test-es.mjs can use it without a TypeScript loader.
import { randomBytes } from 'node:crypto';
import { request } from 'undici';

const PAGE_SIZE = 5000;
const SCROLL_KEEP_ALIVE = '2m';

/** A data stream name no other test run uses: `logs-o365.audit-PREFIXhex`. */
export function uniqueDataStream(prefix) {
  return `logs-o365.audit-${prefix}${randomBytes(4).toString('hex')}`;
}

/** `-E` settings that replace the emulator's file output by the engine, writing to `index`. */
export function elasticsearchOutputArgs(engineUrl, index) {
  return [
    '-E', 'output.file.enabled=false',
    '-E', `output.elasticsearch.hosts=${JSON.stringify([engineUrl])}`,
    '-E', `output.elasticsearch.index=${index}`,
  ];
}

/** One JSON request; the parsed answer whatever its status. */
export async function engineRequest(engineUrl, method, path, body) {
  const response = await request(`${engineUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: text === '' ? undefined : JSON.parse(text) };
}

async function expectOk(engineUrl, method, path, body) {
  const answer = await engineRequest(engineUrl, method, path, body);
  if (answer.status < 200 || answer.status >= 300) {
    throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

/** `_count` after a `_refresh`: what a search sees now; 0 when the data stream does not exist yet. */
export async function countDocuments(engineUrl, index) {
  const refreshed = await engineRequest(engineUrl, 'POST', `/${index}/_refresh`);
  if (refreshed.status === 404) return 0;
  return (await expectOk(engineUrl, 'GET', `/${index}/_count`)).count;
}

/**
 * Every document of `index` (all backing indices of a data stream), after a `_refresh`, read with a
 * scroll: its `_id`, the backing index holding it, and its `@timestamp`. A document stored twice
 * appears twice.
 */
export async function readDocuments(engineUrl, index) {
  await expectOk(engineUrl, 'POST', `/${index}/_refresh`);
  const documents = [];
  let page = await expectOk(engineUrl, 'POST', `/${index}/_search?scroll=${SCROLL_KEEP_ALIVE}`, {
    size: PAGE_SIZE,
    sort: ['_doc'],
    _source: ['@timestamp'],
  });
  try {
    while (page.hits.hits.length > 0) {
      for (const hit of page.hits.hits) documents.push({ id: hit._id, index: hit._index, timestamp: hit._source['@timestamp'] });
      page = await expectOk(engineUrl, 'POST', '/_search/scroll', { scroll: SCROLL_KEEP_ALIVE, scroll_id: page._scroll_id });
    }
  } finally {
    await engineRequest(engineUrl, 'DELETE', '/_search/scroll', { scroll_id: page._scroll_id });
  }
  return documents;
}

/** The stored `_id`s against the truth: none missing, none extra, none stored twice is the goal. */
export function compareWithTruth(documents, truthIds) {
  const seen = new Set();
  const storedTwice = new Set();
  for (const { id } of documents) {
    if (seen.has(id)) storedTwice.add(id);
    seen.add(id);
  }
  const truth = new Set(truthIds);
  return {
    documents: documents.length,
    distinct: seen.size,
    missing: [...truth].filter((id) => !seen.has(id)),
    extra: [...seen].filter((id) => !truth.has(id)),
    storedTwice: [...storedTwice],
  };
}

/** One line saying how the index differs from the truth, with a few examples of each difference. */
export function describeDifference(comparison, truthSize) {
  const examples = (ids) => (ids.length === 0 ? '' : ` (e.g. ${ids.slice(0, 3).join(', ')})`);
  return (
    `${comparison.documents} documents, ${comparison.distinct} distinct ids, ${truthSize} expected: ` +
    `${comparison.missing.length} missing${examples(comparison.missing)}, ${comparison.extra.length} extra${examples(comparison.extra)}, ` +
    `${comparison.storedTwice.length} stored twice${examples(comparison.storedTwice)}`
  );
}

export function equalsTruth(comparison, truthSize) {
  return (
    comparison.missing.length === 0 &&
    comparison.extra.length === 0 &&
    comparison.storedTwice.length === 0 &&
    comparison.documents === truthSize
  );
}

/** Deletes the data stream and every index template that targets exactly it (o365-elk's and a test's own). */
export async function removeDataStream(engineUrl, index) {
  await engineRequest(engineUrl, 'DELETE', `/_data_stream/${index}`);
  const templates = await engineRequest(engineUrl, 'GET', '/_index_template');
  for (const { name, index_template: template } of templates.body?.index_templates ?? []) {
    const patterns = template.index_patterns;
    if (patterns.length === 1 && patterns[0] === index) await engineRequest(engineUrl, 'DELETE', `/_index_template/${name}`);
  }
}

/** The counters of the collector's last `pass complete` log line, or undefined when it wrote none. */
export function passSummary(stderr) {
  const lines = stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
  return lines.filter((line) => line.msg === 'pass complete').at(-1);
}
