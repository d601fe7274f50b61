/**
 * The source stage: the Office 365 Management Activity API client.
 *
 * createManagementClient(options: ManagementClientOptions, deps: { logger, configPath?, tokenProvider?, budget?, chunkLimits? })
 *   → ManagementApiClient (the `ManagementClient` of ./types.ts plus `close()`), one per tenant:
 *   - listSubscriptions(signal?) → Subscription[]
 *   - startSubscription(contentType, signal?) → 'started' | 'already-enabled'. Sent once, never retried,
 *     and not again for the same content type within 15 minutes (throws kind 'subscription').
 *   - stopSubscription(contentType, signal?)
 *   - listContent(contentType, start, end, signal?) → AsyncIterable<ContentBlob[]>: blobs with
 *     start <= contentCreated < end (epoch ms, ≤ 24 h, sent in whole seconds), each blob once per call.
 *     Follows NextPageUri, restarts on stale pages, clamps to the 7-day limit by the server's clock,
 *     starts a missing/disabled subscription once.
 *   - fetchBlob(blob, signal?) → AsyncIterable<RawRecord[]>: the records in chunks (500 records or
 *     ~1 MB of body), streamed; a broken transfer is fetched again without repeating records.
 *   - clockSkewMs() → server clock minus local clock, from the last Date header.
 *   Every call of a tenant draws from one request budget (requestsPerMinute, default 2000) and waits for
 *   a slot; throttling (AF429 at 403 or 429), AF50000/5/6, 5xx, 408, timeouts, resets, cut-off bodies
 *   and a login outage (AuthError.transient) are retried with jittered exponential backoff honouring
 *   Retry-After (options.retry); a 401 gets one fresh token. `configPath` (e.g. `tenants[0]`) is named
 *   in error messages.
 *
 * Errors (each message is one line naming the fix; no secrets):
 *   AuthError { kind, aadsts?, transient }   token acquisition failed (wrong/expired secret, certificate, …)
 *   ManagementApiError { kind, tenantId, operation, contentType?, status?, code? }
 *     kind 'fatal' | 'tls'                 stop the tenant until the configuration is fixed
 *     kind 'transient' | 'subscription' | 'window'   try the same work again later
 *   ForbiddenContentTypeError (kind 'forbidden')     disable that content type; the others go on
 *   ExpiredContentError (kind 'expired'), MissingContentError (kind 'missing')   report the blob, skip it
 *
 * createTokenProvider(options: TokenProviderOptions, deps: { logger, dispatcher?, configPath? })
 *   → TokenProvider { getToken(resourceUrl, { forceRefresh? }) → bearer token, close() }; MSAL client
 *   credentials (secret, or certificate: PS256 with the certificate, RS256 with a SHA-1 thumbprint),
 *   cached until five minutes before expiry. Use getToken(graphUrl) for Microsoft Graph.
 *
 * ensureSubscriptions(client, contentTypes, signal?) → { enabled, started, failed }: lists once and
 *   starts only the missing or disabled content types.
 *
 * createRequestBudget({ limit, windowMs }) → RequestBudget, to share one tenant's budget explicitly.
 *
 * deps.observer (ClientObserver, optional): told of every API answer (operation, status, AF code), retry,
 *   blob byte and token fetched or refused — the runtime turns these into metrics.
 */
export { AuthError, type AuthErrorKind } from './auth/auth-error.js';
export { createTokenProvider, type TokenProvider, type TokenProviderDeps } from './auth/token-provider.js';
export { createRequestBudget, type RequestBudget } from './budget.js';
export { createManagementClient, type ManagementApiClient, type ManagementClientDeps } from './client.js';
export {
  ExpiredContentError,
  ForbiddenContentTypeError,
  ManagementApiError,
  MissingContentError,
  type ManagementApiErrorKind,
} from './errors.js';
export type { ChunkLimits } from './json-array-stream.js';
export {
  DEFAULT_REQUESTS_PER_MINUTE,
  DEFAULT_RETRY_POLICY,
  type ClientCredential,
  type ManagementClientOptions,
  type RetryPolicy,
  type TokenProviderOptions,
} from './options.js';
export type { ClientObserver, RetryReason } from './observer.js';
export { ensureSubscriptions, type EnsureResult } from './subscriptions.js';
export { CONTENT_TYPES, type ContentBlob, type ContentType, type ManagementClient, type RawRecord, type Subscription } from './types.js';
