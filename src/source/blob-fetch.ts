// Streams one content blob's records. Blob content never changes, so when a transfer breaks off the
// blob is fetched again and the records already handed on are skipped: the consumer sees each once.
import { UnexpectedBodyError, type ApiCall } from './api-transport.js';
import type { ClientContext } from './client-context.js';
import { canonicalContentUri, resolveContentUri, withPublisherIdentifier } from './content-uri.js';
import { ExpiredContentError, ManagementApiError, MissingContentError } from './errors.js';
import { DEFAULT_CHUNK_LIMITS, parseJsonArray, TruncatedBodyError, type ChunkLimits } from './json-array-stream.js';
import type { ClientObserver } from './observer.js';
import { classifyTransportError } from './transport-errors.js';
import type { ContentBlob, ManagementClient } from './types.js';

export function createBlobFetch(ctx: ClientContext, limits: ChunkLimits = DEFAULT_CHUNK_LIMITS, observer: ClientObserver = {}): ManagementClient['fetchBlob'] {
  return async function* fetchBlob(blob, signal) {
    const where = { tenantId: ctx.tenantId, operation: 'get-blob', contentType: blob.contentType };
    if (blob.contentExpiration <= ctx.clock.now()) {
      throw new ExpiredContentError(blob.contentId, blob.contentExpiration, where);
    }
    const call: ApiCall = { operation: 'get-blob', method: 'GET', url: blobUrl(blob, ctx), contentType: blob.contentType, ...(signal ? { signal } : {}) };
    let delivered = 0;
    for (let attempt = 1; ; attempt++) {
      const outcome = await ctx.transport.send(call, async (response) => response.body);
      if (!outcome.ok) {
        const { failure } = outcome;
        const context = { ...where, status: failure.status, ...(failure.code ? { code: failure.code } : {}) };
        if (failure.class === 'expired') throw new ExpiredContentError(blob.contentId, blob.contentExpiration, context);
        if (failure.class === 'missing') throw new MissingContentError(blob.contentId, context);
        throw ctx.errorFor(failure, call);
      }
      const body = outcome.value;
      try {
        let position = 0;
        const counted = observer.onBlobBytes ? countBytes(body, (bytes) => observer.onBlobBytes?.(bytes, blob.contentType)) : body;
        for await (const records of parseJsonArray(counted, limits)) {
          const unseen = records.slice(Math.max(0, delivered - position));
          position += records.length;
          if (unseen.length === 0) continue;
          delivered += unseen.length;
          yield unseen;
        }
        return;
      } catch (error) {
        const reason = brokenTransferReason(error);
        if (reason === undefined) throw error;
        ctx.logger.warn({ ...where, contentId: blob.contentId, attempt, delivered, reason }, 'blob transfer broke off; fetching it again');
        if (attempt >= ctx.retry.maxAttempts) {
          throw new ManagementApiError(
            'transient',
            `blob ${blob.contentId} of ${blob.contentType} for tenant ${ctx.tenantId} broke off ${attempt} times (${reason}) — it will be tried again later`,
            where,
          );
        }
        observer.onRetry?.({ operation: 'get-blob', reason: 'broken-body' });
        await ctx.transport.pause(attempt, signal);
      } finally {
        body.destroy();
      }
    }
  };
}

/** The blob's URI, repaired when the listing mangled it, with PublisherIdentifier (it selects the quota). */
function blobUrl(blob: ContentBlob, ctx: ClientContext): string {
  const canonical = canonicalContentUri(ctx.apiUrl, ctx.tenantId, blob.contentId);
  const { uri, repaired } = resolveContentUri(blob.contentUri, canonical);
  if (repaired) {
    ctx.warnOnce('content-uri-repaired', { contentId: blob.contentId, listed: blob.contentUri.slice(0, 300) }, 'contentUri does not have the documented shape; rebuilding it from api_url, tenant and contentId (logged once)');
  }
  return withPublisherIdentifier(uri, ctx.publisherIdentifier);
}

async function* countBytes(body: AsyncIterable<Uint8Array>, count: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    count(chunk.byteLength);
    yield chunk;
  }
}

/** Why a transfer can be tried again, or undefined when the error is not a broken transfer. */
function brokenTransferReason(error: unknown): string | undefined {
  if (error instanceof TruncatedBodyError || error instanceof UnexpectedBodyError) return error.message;
  const failure = classifyTransportError(error);
  if (failure === undefined || failure.kind === 'aborted' || failure.kind === 'tls') return undefined;
  return failure.reason;
}
