// What the client reports about its own traffic, for metrics. The client never waits on an observer
// nor depends on what it does; every hook is optional.
import type { AuthErrorKind } from './auth/auth-error.js';
import type { Operation } from './api-transport.js';
import type { ContentType } from './types.js';

export type RetryReason = 'throttled' | 'server-error' | 'network' | 'broken-body' | 'login-unavailable' | 'token-rejected';

export interface ClientObserver {
  /** An answer of the Management Activity API, one per attempt; `code` is the AF code of an error answer. */
  onResponse?(response: { operation: Operation; status: number; code?: string }): void;
  /** Another attempt of a request, after a failure that may pass. */
  onRetry?(retry: { operation: Operation; reason: RetryReason }): void;
  /** Bytes of a blob body received. */
  onBlobBytes?(bytes: number, contentType: ContentType): void;
  /** A token fetched from Entra ID (not served from the cache), or a failed attempt to fetch one. */
  onToken?(event: { outcome: 'issued' } | { outcome: 'failed'; kind: AuthErrorKind }): void;
}
