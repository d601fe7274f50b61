// What the Management Activity API client offers the runtime.
import type { ContentType } from './content-types.js';

export { CONTENT_TYPES, type ContentType } from './content-types.js';

/** An audit record as the API serves it; the wire is loose, so fields are not trusted. */
export type RawRecord = Record<string, unknown>;

/** A content blob as listed by `/subscriptions/content`. Times are epoch milliseconds. */
export interface ContentBlob {
  contentType: ContentType;
  contentId: string;
  contentUri: string;
  contentCreated: number;
  contentExpiration: number;
}

export interface Subscription {
  contentType: string;
  status: 'enabled' | 'disabled' | string;
  webhook: unknown;
}

export interface ManagementClient {
  readonly tenantId: string;
  listSubscriptions(signal?: AbortSignal): Promise<Subscription[]>;
  /** Starts a subscription; an already enabled one (AF20024) counts as success. */
  startSubscription(contentType: ContentType, signal?: AbortSignal): Promise<'started' | 'already-enabled'>;
  stopSubscription(contentType: ContentType, signal?: AbortSignal): Promise<void>;
  /**
   * Lists the blobs with `start <= contentCreated < end` (a window of at most 24 h), page by page,
   * following NextPageUri; a stale next page restarts the listing. Retries transient failures.
   */
  listContent(contentType: ContentType, start: number, end: number, signal?: AbortSignal): AsyncIterable<ContentBlob[]>;
  /**
   * Streams a blob's records in chunks, parsing incrementally so a huge blob needs little memory.
   * A truncated or failed transfer is retried, skipping the records already yielded.
   */
  fetchBlob(blob: ContentBlob, signal?: AbortSignal): AsyncIterable<RawRecord[]>;
  /** Server clock minus local clock, from the last response's Date header (ms). */
  clockSkewMs(): number;
}
