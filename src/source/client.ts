// Assembles the Management Activity API client of one tenant: one connection pool, one token
// provider, one request budget and one view of the server's clock, shared by all its operations.
import type { Logger } from '../util/logger.js';
import { createApiTransport } from './api-transport.js';
import { createTokenProvider, type TokenProvider } from './auth/token-provider.js';
import { createBlobFetch } from './blob-fetch.js';
import { createRequestBudget, type RequestBudget } from './budget.js';
import { createClientContext } from './client-context.js';
import { createHttpAgent } from './http-agent.js';
import type { ChunkLimits } from './json-array-stream.js';
import { createListing } from './listing.js';
import type { ClientObserver } from './observer.js';
import { DEFAULT_REQUESTS_PER_MINUTE, DEFAULT_RETRY_POLICY, trimTrailingSlash, type ManagementClientOptions } from './options.js';
import { createServerClock } from './server-clock.js';
import { createSubscriptionOperations } from './subscriptions.js';
import type { ManagementClient } from './types.js';

export interface ManagementClientDeps {
  logger: Logger;
  /** Where the tenant sits in the config (e.g. `tenants[0]`), named in error messages. */
  configPath?: string;
  /** A token provider to share (e.g. with a Graph client); one is created and closed otherwise. */
  tokenProvider?: TokenProvider;
  /** The tenant's request budget, when something else must draw from it too. */
  budget?: RequestBudget;
  /** Size of the record chunks fetchBlob yields. */
  chunkLimits?: ChunkLimits;
  /** Told of every answer, retry, token and blob byte, for metrics. */
  observer?: ClientObserver;
}

export interface ManagementApiClient extends ManagementClient {
  /** Closes the connections (and the token provider it created). */
  close(): Promise<void>;
}

export function createManagementClient(options: ManagementClientOptions, deps: ManagementClientDeps): ManagementApiClient {
  const configPath = deps.configPath ?? 'tenant';
  const apiUrl = trimTrailingSlash(options.apiUrl);
  const dispatcher = createHttpAgent(options);
  const ownTokens = deps.tokenProvider ? undefined : createTokenProvider(options, { logger: deps.logger, dispatcher, configPath, ...(deps.observer ? { observer: deps.observer } : {}) });
  const tokens = deps.tokenProvider ?? (ownTokens as TokenProvider);
  const clock = createServerClock();
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const budget = deps.budget ?? createRequestBudget({ limit: options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE, windowMs: 60_000 });
  const logger = deps.logger.child({ component: 'management-api' });
  const transport = createApiTransport({ tenantId: options.tenantId, apiUrl, configPath, dispatcher, tokens, budget, clock, retry, logger, ...(deps.observer ? { observer: deps.observer } : {}) });
  const ctx = createClientContext({
    tenantId: options.tenantId,
    apiUrl,
    publisherIdentifier: options.publisherIdentifier ?? options.tenantId,
    configPath,
    transport,
    clock,
    retry,
    logger,
  });
  const subscriptions = createSubscriptionOperations(ctx);

  return {
    tenantId: options.tenantId,
    ...subscriptions,
    listContent: createListing(ctx, subscriptions.startSubscription),
    fetchBlob: createBlobFetch(ctx, deps.chunkLimits, deps.observer),
    clockSkewMs: () => clock.skewMs(),
    async close() {
      await ownTokens?.close();
      await dispatcher.close();
    },
  };
}
