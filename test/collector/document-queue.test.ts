// Fetching overlaps the output without running ahead of it: a blob gives its fetch slot back once it
// has been read, so the next blob is fetched while the output still works on the first; the document
// queue (queue.mem.events) is what stops fetching when that many documents wait for the output; and
// the ledger still records a blob only after the output has settled every one of its documents.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import pino from 'pino';
import { createCommitQueue } from '../../src/runtime/commit-queue.js';
import type { BlobDeliveryContext } from '../../src/runtime/deliver-blob.js';
import { createDocumentQueue } from '../../src/runtime/document-queue.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { createSlots } from '../../src/runtime/slots.js';
import { createRunStats } from '../../src/runtime/stats.js';
import { runStreamPass } from '../../src/runtime/stream-pass.js';
import type { OutputDocument, Sink, WriteResult } from '../../src/sinks/types.js';
import type { ContentBlob } from '../../src/source/types.js';
import { createTransformer } from '../../src/transform/index.js';
import { openTemporaryLedger } from './support/temporary-ledger.js';

const HOUR_MS = 3_600_000;
const STREAM = { tenantId: '7c1f3a52-9e0b-4d6c-8a21-5b4e9f0d3c18', contentType: 'Audit.General' as const };
const RECORDS_PER_BLOB = 3;

/** A sink that holds every write until the test lets it go. */
function sinkByHand() {
  const held: { documents: OutputDocument[]; settle: () => void }[] = [];
  const sink: Sink = {
    name: 'by-hand',
    open: async () => {},
    close: async () => {},
    write: (documents) =>
      new Promise<WriteResult>((resolve) => {
        held.push({ documents, settle: () => resolve({ acknowledged: documents.length, duplicates: 0, rejected: [] }) });
      }),
  };
  return { sink, held };
}

function passOverThreeBlobs(t: TestContext, queueCapacity: number) {
  const ledger = openTemporaryLedger(t, 'o365-elk-document-queue-');
  const now = Date.now();
  const blobs: ContentBlob[] = ['b1', 'b2', 'b3'].map((contentId, i) => ({
    contentType: STREAM.contentType,
    contentId,
    contentUri: `https://manage.office.test/api/v1.0/${STREAM.tenantId}/activity/feed/audit/${contentId}`,
    contentCreated: now - HOUR_MS + i,
    contentExpiration: now + 6 * 24 * HOUR_MS,
  }));
  const fetched: string[] = [];
  const client = {
    tenantId: STREAM.tenantId,
    clockSkewMs: () => 0,
    async *listContent() {
      yield blobs;
    },
    async *fetchBlob(blob: ContentBlob) {
      fetched.push(blob.contentId);
      yield Array.from({ length: RECORDS_PER_BLOB }, (_, i) => ({
        Id: `${blob.contentId}-${i}`,
        CreationTime: new Date(blob.contentCreated).toISOString().slice(0, 19),
        RecordType: 1,
        Operation: 'Set-Mailbox',
      }));
    },
  };
  const { sink, held } = sinkByHand();
  const ctx: BlobDeliveryContext = {
    stream: STREAM,
    tenantName: undefined,
    client: client as unknown as BlobDeliveryContext['client'],
    transformer: createTransformer(),
    sink,
    queue: createDocumentQueue(queueCapacity),
    ledger,
    commits: createCommitQueue(ledger),
    stats: createRunStats(),
    logger: pino({ level: 'silent' }),
    alerts: { raise: () => {}, noteDeadLetters: () => {} } as unknown as BlobDeliveryContext['alerts'],
    metrics: createMetrics(),
    now: Date.now,
  };
  const pass = runStreamPass(ctx, {
    mode: 'backfill',
    sinceMs: 2 * HOUR_MS,
    lookbackMs: HOUR_MS,
    // One fetch at a time, as api.max_concurrency=1.
    slots: createSlots(1),
    listSignal: new AbortController().signal,
    fetchSignal: new AbortController().signal,
  });
  const delivered = () => blobs.filter((blob) => ledger.isDelivered(STREAM, blob.contentId)).map((blob) => blob.contentId);
  return { pass, fetched, held, delivered };
}

// Longer than the commit queue's 5 ms of grouping.
const settledSoon = () => new Promise((resolve) => setTimeout(resolve, 50));

test('with one fetch slot, every blob is read while the output still holds the first', async (t) => {
  const run = passOverThreeBlobs(t, 100);
  await settledSoon();

  assert.deepEqual(run.fetched, ['b1', 'b2', 'b3']);
  assert.equal(run.held.length, 3, 'all three blobs wait at the output');
  assert.deepEqual(run.delivered(), [], 'nothing is in the ledger before the output settles it');

  run.held[1]!.settle();
  await settledSoon();
  assert.deepEqual(run.delivered(), ['b2'], 'a blob is recorded once its own documents are settled');
  for (const write of run.held) write.settle();
  await run.pass;
  assert.deepEqual(run.delivered(), ['b1', 'b2', 'b3']);
});

test('fetching stops while queue.mem.events documents wait for the output', async (t) => {
  const run = passOverThreeBlobs(t, RECORDS_PER_BLOB);
  await settledSoon();

  assert.equal(run.held.length, 1, 'the queue holds one blob of documents');
  assert.ok(run.fetched.length <= 2, `read ${run.fetched.length} blobs: at most the one queued and the one waiting for room`);

  run.held[0]!.settle();
  await settledSoon();
  assert.equal(run.held.length, 2, 'room for the next blob once the first settled');
  run.held[1]!.settle();
  await settledSoon();
  run.held[2]!.settle();
  await run.pass;
  assert.deepEqual(run.fetched, ['b1', 'b2', 'b3']);
  assert.deepEqual(run.delivered(), ['b1', 'b2', 'b3']);
});
