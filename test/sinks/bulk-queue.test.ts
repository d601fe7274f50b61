// The Elasticsearch output's request scheduling: `worker` `_bulk` requests stay in flight while
// documents wait, each request that ends is replaced at once, and every write learns what became of
// its own documents. The engine's answers are played by hand here so that their order can be chosen;
// the output against a real engine is tested in elasticsearch.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeItem, type BulkItem } from '../../src/sinks/elasticsearch/bulk.js';
import type { SettledItems } from '../../src/sinks/elasticsearch/bulk-sender.js';
import { createBulkQueue } from '../../src/sinks/elasticsearch/bulk-queue.js';
import { auditDocument } from './support/documents.js';

interface Request {
  ids: string[];
  answer(settled?: Partial<SettledItems>): void;
  fail(error: Error): void;
}

function engineByHand() {
  const requests: Request[] = [];
  const send = (items: BulkItem[]) =>
    new Promise<SettledItems>((resolve, reject) => {
      requests.push({
        ids: items.map((item) => item.id),
        answer: (settled = {}) => resolve({ duplicates: settled.duplicates ?? [], refused: settled.refused ?? [] }),
        fail: reject,
      });
    });
  return { requests, send };
}

const items = (...ids: string[]) => ids.map((id) => encodeItem(auditDocument(id, '2026-11-20T10:00:00'), 'logs-o365.audit-default'));
const settledSoon = () => new Promise((resolve) => setImmediate(resolve));

test('a request that ends is replaced at once, without waiting for the other one in flight', async () => {
  const engine = engineByHand();
  const queue = createBulkQueue(engine.send, { concurrency: 2, maxDocuments: 1000, maxBytes: 10_000_000 });

  const first = queue.submit(items('a'));
  const second = queue.submit(items('b'));
  const third = queue.submit(items('c', 'd'));
  await settledSoon();
  assert.deepEqual(engine.requests.map((request) => request.ids), [['a'], ['b']], 'two requests in flight, the third write waits');

  engine.requests[1]!.answer();
  await second;
  await settledSoon();
  assert.deepEqual(engine.requests[2]?.ids, ['c', 'd'], 'the waiting write went out while the first request was still at the engine');

  engine.requests[0]!.answer();
  engine.requests[2]!.answer();
  await Promise.all([first, third]);
  await queue.drain();
});

test('requests respect the document and byte limits; a larger document travels alone', async () => {
  const engine = engineByHand();
  const small = items('s1', 's2', 's3', 's4', 's5');
  const limit = (small[0]!.lines.length * 2) + 1;
  const large = encodeItem(auditDocument('large', '2026-11-20T10:00:00', { message: 'x'.repeat(limit) }), 'logs-o365.audit-default');
  const tiny = ['t1', 't2', 't3', 't4'].map((id) => encodeItem({ id, timestamp: 0, source: {} }, 'i'));
  const queue = createBulkQueue(engine.send, { concurrency: 1, maxDocuments: 3, maxBytes: limit });

  const written = queue.submit([...small, large, ...tiny]);
  for (let answered = 0; answered < 6; answered++) {
    await settledSoon();
    engine.requests[answered]!.answer();
  }
  await written;
  const requests = engine.requests.map((request) => request.ids);
  assert.deepEqual(requests, [['s1', 's2'], ['s3', 's4'], ['s5'], ['large'], ['t1', 't2', 't3'], ['t4']], 'two audit documents per request by bytes, three tiny ones by count');
});

test('each write gets the duplicates and refusals of its own documents, once all of them have settled', async () => {
  const engine = engineByHand();
  const queue = createBulkQueue(engine.send, { concurrency: 1, maxDocuments: 2, maxBytes: 10_000_000 });
  const mine = items('m1', 'm2', 'm3');
  const theirs = items('t1');

  let done = false;
  const written = queue.submit(mine).finally(() => (done = true));
  const other = queue.submit(theirs);
  await settledSoon();
  engine.requests[0]!.answer({ duplicates: [mine[1]!] });
  await settledSoon();
  assert.equal(done, false, 'm3 has not been answered yet');
  engine.requests[1]!.answer({ refused: [{ item: mine[2]!, status: 400, reason: 'mapper_parsing_exception' }, { item: theirs[0]!, status: 400, reason: 'other' }] });
  const settled = await written;

  assert.deepEqual(settled.duplicates, [mine[1]]);
  assert.deepEqual(settled.refused.map((entry) => entry.item), [mine[2]]);
  assert.deepEqual((await other).refused.map((entry) => entry.item), [theirs[0]]);
});

test('a request that fails rejects the writes it carried, and the queue goes on with the next', async () => {
  const engine = engineByHand();
  const queue = createBulkQueue(engine.send, { concurrency: 1, maxDocuments: 1, maxBytes: 10_000_000 });

  const failed = queue.submit(items('a'));
  const next = queue.submit(items('b'));
  await settledSoon();
  engine.requests[0]!.fail(new Error('the elasticsearch output closed'));
  await assert.rejects(failed, /closed/);
  await settledSoon();
  engine.requests[1]!.answer();
  assert.deepEqual(await next, { duplicates: [], refused: [] });
});
