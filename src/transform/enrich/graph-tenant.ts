// A tenant's way into Microsoft Graph: a connection pool that trusts the tenant's CAs, and an MSAL token
// provider (shared with the Management Activity API client when the caller already has one).
import { createTokenProvider, type TokenProvider } from '../../source/index.js';
import { createHttpAgent } from '../../source/http-agent.js';
import type { TokenProviderOptions } from '../../source/options.js';
import type { Logger } from '../../util/logger.js';
import type { GraphTenant } from './graph-app-lookup.js';

export interface GraphTenantOptions extends TokenProviderOptions {
  /** Graph root, e.g. `https://graph.microsoft.com` (the tenant's `graph_url`). */
  graphUrl: string;
}

export interface ConnectedGraphTenant extends GraphTenant {
  /** Closes the connection pool, and the token provider when it was made here. */
  close(): Promise<void>;
}

export function connectGraphTenant(options: GraphTenantOptions, deps: { logger: Logger; tokenProvider?: TokenProvider; configPath?: string }): ConnectedGraphTenant {
  const dispatcher = createHttpAgent(options);
  const ownTokenProvider = deps.tokenProvider
    ? undefined
    : createTokenProvider(options, { logger: deps.logger, dispatcher, ...(deps.configPath ? { configPath: deps.configPath } : {}) });
  const tokenProvider = deps.tokenProvider ?? (ownTokenProvider as TokenProvider);
  return {
    tenantId: options.tenantId,
    graphUrl: options.graphUrl,
    tokenProvider,
    dispatcher,
    async close() {
      await ownTokenProvider?.close();
      await dispatcher.close();
    },
  };
}
