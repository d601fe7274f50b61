// One blob from Microsoft to the sink: fetch it as a stream, transform each chunk and hand it to the
// sink as soon as the document queue has room, give the fetch slot back once the blob is read, and
// commit the blob to the ledger only after the sink has settled every one of its records.
import type { Logger } from '../util/logger.js';
import type { Ledger, Stream } from '../state/index.js';
import type { OutputDocument, Sink, WriteResult } from '../sinks/types.js';
import { ExpiredContentError, MissingContentError } from '../source/index.js';
import type { ContentBlob, ContentType, ManagementClient } from '../source/types.js';
import type { Transformer } from '../transform/index.js';
import type { Alerter } from './alerts.js';
import { pickSignIns, type RecentSignIns } from './recent-sign-ins.js';
import type { CommitQueue } from './commit-queue.js';
import type { DocumentQueue } from './document-queue.js';
import { countBlob, countWrite, type Metrics } from './metrics.js';
import type { RunStats } from './stats.js';

export interface BlobDeliveryContext {
  stream: Stream & { contentType: ContentType };
  tenantName: string | undefined;
  client: ManagementClient;
  transformer: Transformer;
  sink: Sink;
  /** Documents handed to the sink and not yet settled, shared by every stream that writes to it. */
  queue: DocumentQueue;
  ledger: Ledger;
  commits: CommitQueue;
  stats: RunStats;
  logger: Logger;
  alerts: Alerter;
  metrics: Metrics;
  now: () => number;
  /** The sign-in map's feed, when the daemon serves its page. */
  signIns?: RecentSignIns;
}

export type BlobOutcome = 'delivered' | 'expired';

/** `onFetched` is called once the blob has been read whole: its fetch slot can serve the next blob. */
export async function deliverBlob(ctx: BlobDeliveryContext, blob: ContentBlob, signal: AbortSignal, onFetched: () => void = () => {}): Promise<BlobOutcome> {
  // Judged by the API's clock (the Date header of the listing just read): a host clock that jumped ahead
  // would otherwise give up on content the API still serves.
  if (blob.contentExpiration <= ctx.now() + ctx.client.clockSkewMs()) return commitExpired(ctx, blob, 'listed after its contentExpiration');
  const writes: Promise<WriteResult>[] = [];
  let records = 0;
  try {
    for await (const chunk of ctx.client.fetchBlob(blob, signal)) {
      // Room first, documents second: what waits for room is the records, not their documents too.
      await ctx.queue.reserve(chunk.length);
      const documents = chunk.map((record) =>
        ctx.transformer.transform(record, {
          tenantId: ctx.stream.tenantId,
          tenantName: ctx.tenantName,
          contentType: blob.contentType,
          fallbackTimestamp: blob.contentCreated,
        }),
      );
      writes.push(write(ctx, documents));
      records += documents.length;
    }
  } catch (error) {
    if (error instanceof ExpiredContentError) return commitExpired(ctx, blob, 'the API answered that it has expired');
    if (error instanceof MissingContentError) return commitExpired(ctx, blob, 'the API answered that it does not exist');
    // Cut off by shutdown is no failure: the blob is simply fetched next time.
    if (!signal.aborted) countBlob(ctx.metrics, ctx.stream, 'failed');
    throw error;
  }
  onFetched();
  let rejected = 0;
  for (const result of await Promise.all(writes)) rejected += result.rejected.length;
  await ctx.commits.commit({
    stream: ctx.stream,
    contentId: blob.contentId,
    contentCreated: blob.contentCreated,
    contentExpiration: blob.contentExpiration,
    records,
    outcome: rejected > 0 ? 'rejected' : 'delivered',
  });
  countBlob(ctx.metrics, ctx.stream, rejected > 0 ? 'rejected' : 'delivered');
  ctx.stats.blobsDelivered += 1;
  return 'delivered';
}

/**
 * Hands documents to the sink and counts what became of them; their room in the queue is given back
 * once they settle. Nothing here keeps the documents themselves until then: the sink holds them in
 * the form it sends, and their object trees can die young.
 */
function write(ctx: BlobDeliveryContext, documents: OutputDocument[]): Promise<WriteResult> {
  const count = documents.length;
  const signIns = ctx.signIns === undefined ? [] : pickSignIns(documents);
  const settled = ctx.sink
    .write(documents)
    .then((result) => {
      ctx.signIns?.observeDelivered(signIns, result.rejected);
      ctx.stats.recordsDelivered += result.acknowledged;
      ctx.stats.recordsDuplicate += result.duplicates;
      ctx.stats.recordsRejected += result.rejected.length;
      countWrite(ctx.metrics, ctx.stream, result);
      ctx.alerts.noteDeadLetters(ctx.stream, result.rejected.length);
      return result;
    })
    .finally(() => ctx.queue.release(count));
  // The failure is seen where the blob awaits its writes; this only keeps a write that fails while the
  // blob is still being read from counting as an unhandled rejection.
  settled.catch(() => {});
  return settled;
}

async function commitExpired(ctx: BlobDeliveryContext, blob: ContentBlob, why: string): Promise<BlobOutcome> {
  ctx.logger.error(
    { tenant: ctx.stream.tenantId, contentType: blob.contentType, contentId: blob.contentId, contentExpiration: new Date(blob.contentExpiration).toISOString() },
    `content blob lost: ${why}; its records can no longer be retrieved (poll more often or shorten downtime)`,
  );
  await ctx.commits.commit({
    stream: ctx.stream,
    contentId: blob.contentId,
    contentCreated: blob.contentCreated,
    contentExpiration: blob.contentExpiration,
    records: 0,
    outcome: 'expired',
  });
  countBlob(ctx.metrics, ctx.stream, 'expired');
  ctx.alerts.noteExpired(ctx.stream, blob.contentExpiration);
  ctx.stats.blobsExpired += 1;
  return 'expired';
}
