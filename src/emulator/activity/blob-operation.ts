// `GET {contentUri}` (contract §2.6): the blob's records as a JSON array, streamed in chunks. The
// `truncate_rate` share of answers is cut off mid-body, as a dropped connection would leave it.
import type { ServerResponse } from 'node:http';
import { ROLE_ACTIVITY_FEED_READ_DLP, type ApiBehaviour, type AuditRecord, type Catalog, type Clock, type Faults } from '../types.js';
import type { Chance } from './chance.js';
import { afErrors } from './errors.js';
import { assertMayRead, enabledSubscription } from './guards.js';
import type { Operation } from './operation.js';
import { JSON_CONTENT_TYPE, type Responder } from './responses.js';
import type { SubscriptionStore } from './subscriptions.js';

const CHUNK_CHARS = 64 * 1024;
/** Content ids are made of letters, digits, `_`, `-`, `.` and the `$` separators. */
const CONTENT_ID = /^[A-Za-z0-9_.$-]{1,512}$/;

export function createBlobOperation(options: {
  store: SubscriptionStore;
  catalog: Catalog;
  clock: Clock;
  faults: Faults;
  behaviour: ApiBehaviour;
  chance: Chance;
  responder: Responder;
}): Operation {
  const { store, catalog, clock, faults, behaviour, chance, responder } = options;

  return async ({ res, caller, resourceId }) => {
    const contentId = decodedContentId(resourceId);
    const now = clock.now();
    const blob = catalog.findBlob(caller.tenant.tenantId, contentId);
    if (!blob || blob.visibleAt > now) throw afErrors.contentNotFound(contentId, behaviour.missingBlobStatus);
    assertMayRead(caller, blob.contentType, faults);
    enabledSubscription(store, caller.tenant.tenantId, blob.contentType);
    if (now > blob.contentExpiration || catalog.isLostByFault(blob)) {
      throw afErrors.contentExpired(contentId, behaviour.missingBlobStatus);
    }
    // Without ActivityFeed.ReadDlp the service withholds the sensitive values DLP rules matched.
    const withholdDetections = blob.contentType === 'DLP.All' && !caller.roles.includes(ROLE_ACTIVITY_FEED_READ_DLP);
    const cutAt = chance.hit(faults.truncateRate) ? chance.fraction() : undefined;
    await streamRecords(res, catalog.records(blob), {
      headers: { ...responder.standardHeaders(), 'Content-Type': JSON_CONTENT_TYPE },
      replacer: withholdDetections ? withoutDetections : undefined,
      cutAt,
      bodyLatency: responder.bodyLatency,
    });
    return 'streamed';
  };
}

/** The contentId as sent: `$` literal or percent-encoded as `%24`. */
function decodedContentId(raw: string): string {
  let contentId: string;
  try {
    contentId = decodeURIComponent(raw);
  } catch {
    throw afErrors.invalidContentId(raw);
  }
  if (!CONTENT_ID.test(contentId)) throw afErrors.invalidContentId(contentId);
  return contentId;
}

function withoutDetections(key: string, value: unknown): unknown {
  if (key === 'SensitiveInformationDetections') return undefined;
  if (key === 'SensitiveInfoDetectionIsIncluded') return false;
  return value;
}

/**
 * Writes `[record,record,…]` in chunks, honouring backpressure. With `cutAt` (a fraction) the body stops
 * in the middle of the record at that position and the connection is destroyed.
 */
async function streamRecords(
  res: ServerResponse,
  records: readonly AuditRecord[],
  options: {
    headers: Record<string, string>;
    replacer: ((key: string, value: unknown) => unknown) | undefined;
    cutAt: number | undefined;
    bodyLatency: (bytes: number) => Promise<void>;
  },
): Promise<void> {
  const cutIndex = options.cutAt === undefined ? -1 : Math.floor(options.cutAt * records.length);
  res.writeHead(200, options.headers);
  let chunk = '[';
  for (const [index, record] of records.entries()) {
    const text = (index > 0 ? ',' : '') + JSON.stringify(record, options.replacer);
    if (index === cutIndex) {
      await write(res, chunk + text.slice(0, Math.ceil(text.length / 2)), options.bodyLatency);
      res.destroy();
      return;
    }
    chunk += text;
    if (chunk.length >= CHUNK_CHARS) {
      if (!(await write(res, chunk, options.bodyLatency))) return;
      chunk = '';
    }
  }
  if (cutIndex >= 0) {
    // An empty blob has no record to cut: stop after the opening bracket.
    await write(res, chunk, options.bodyLatency);
    res.destroy();
    return;
  }
  await options.bodyLatency(Buffer.byteLength(chunk));
  res.end(chunk + ']');
}

/** Writes and waits until the data is flushed to the socket; false when the client went away. */
async function write(res: ServerResponse, text: string, bodyLatency: (bytes: number) => Promise<void>): Promise<boolean> {
  await bodyLatency(Buffer.byteLength(text));
  if (res.destroyed) return false;
  return new Promise((resolve) => {
    const onClose = () => resolve(false);
    res.once('close', onClose);
    res.write(text, (error) => {
      res.off('close', onClose);
      resolve(!error);
    });
  });
}
