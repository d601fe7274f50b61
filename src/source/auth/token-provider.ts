// Access tokens for one tenant's app (client credentials) through MSAL, which caches each token and
// fetches a new one once less than five minutes of it remain.
import { AuthError as MsalAuthError, ConfidentialClientApplication, LogLevel, type Configuration } from '@azure/msal-node';
import type { Dispatcher } from 'undici';
import type { Logger } from '../../util/logger.js';
import { createHttpAgent } from '../http-agent.js';
import { trimTrailingSlash, type TokenProviderOptions } from '../options.js';
import { classifyAuthFailure, type AuthContext } from './auth-error.js';
import { prepareCertificate } from './certificate.js';
import { createMsalNetworkModule } from './msal-network.js';
import type { ClientObserver } from '../observer.js';

export interface TokenProvider {
  /**
   * A bearer token for the API rooted at `resourceUrl` (scope `${resourceUrl}/.default`). Served from
   * cache while it is fresh; `forceRefresh` fetches a new one (after the API rejected the cached one).
   * Failures throw an `AuthError`; `signal` stops waiting (the request itself ends with `close()`).
   */
  getToken(resourceUrl: string, options?: { forceRefresh?: boolean; signal?: AbortSignal }): Promise<string>;
  close(): Promise<void>;
}

export interface TokenProviderDeps {
  logger: Logger;
  /** Connection pool to share with the API client; one is created (and closed) otherwise. */
  dispatcher?: Dispatcher;
  /** Where the tenant sits in the config (e.g. `tenants[0]`), named in error messages; default `tenant`. */
  configPath?: string;
  /** Told of every token fetched from Entra ID and every failure (`onToken`). */
  observer?: ClientObserver;
}

/** Builds the provider; a credential that cannot work (unreadable key, expired certificate) throws `AuthError`. */
export function createTokenProvider(options: TokenProviderOptions, deps: TokenProviderDeps): TokenProvider {
  const loginUrl = trimTrailingSlash(options.loginUrl);
  const configPath = deps.configPath ?? 'tenant';
  const ownDispatcher = deps.dispatcher ? undefined : createHttpAgent(options);
  const dispatcher = deps.dispatcher ?? (ownDispatcher as Dispatcher);
  // Token requests are shared by every caller, so no caller's signal may end one: closing does.
  const closing = new AbortController();
  const context: AuthContext = { tenantId: options.tenantId, clientId: options.clientId, loginUrl, configPath };

  const auth: Configuration['auth'] = {
    clientId: options.clientId,
    authority: `${loginUrl}/${options.tenantId}`,
    // Declaring the endpoints keeps MSAL from asking login.microsoftonline.com for instance discovery
    // and metadata, which fails for sovereign clouds behind firewalls and for the emulator.
    knownAuthorities: [loginHost(loginUrl, context)],
    authorityMetadata: JSON.stringify(authorityMetadata(loginUrl, options.tenantId)),
  };
  if (options.credential.kind === 'secret') {
    auth.clientSecret = options.credential.secret;
  } else {
    const certificate = prepareCertificate(options.credential, configPath);
    context.certificateThumbprint = certificate.displayThumbprint;
    auth.clientCertificate = {
      privateKey: certificate.privateKey,
      ...(certificate.thumbprintSha256 ? { thumbprintSha256: certificate.thumbprintSha256 } : { thumbprint: certificate.thumbprint }),
    };
  }

  const msal = new ConfidentialClientApplication({
    auth,
    system: {
      networkClient: createMsalNetworkModule(dispatcher, closing.signal),
      loggerOptions: {
        logLevel: LogLevel.Warning,
        piiLoggingEnabled: false,
        loggerCallback: (_level, message, containsPii) => {
          if (!containsPii) deps.logger.debug({ tenantId: options.tenantId }, `msal: ${message}`);
        },
      },
    },
  });

  // Concurrent callers share one token request instead of each sending their own.
  const pending = new Map<string, Promise<string>>();
  const acquire = async (scope: string, forceRefresh: boolean): Promise<string> => {
    try {
      const result = await msal.acquireTokenByClientCredential({ scopes: [scope], skipCache: forceRefresh });
      if (!result?.accessToken) throw new Error('no access token in the response');
      if (!result.fromCache) deps.observer?.onToken?.({ outcome: 'issued' });
      return result.accessToken;
    } catch (error) {
      const failure = classifyAuthFailure(error, context);
      deps.observer?.onToken?.({ outcome: 'failed', kind: failure.kind });
      // The caller reports it (the collector raises an authentication_failure alert); here it is detail.
      deps.logger.debug({ tenantId: options.tenantId, kind: failure.kind, aadsts: failure.aadsts }, failure.message);
      throw failure;
    }
  };

  return {
    getToken(resourceUrl, { forceRefresh = false, signal } = {}) {
      const scope = `${trimTrailingSlash(resourceUrl)}/.default`;
      const key = `${scope}|${forceRefresh}`;
      let promise = pending.get(key);
      if (!promise) {
        promise = acquire(scope, forceRefresh).finally(() => pending.delete(key));
        pending.set(key, promise);
      }
      return signal ? untilAborted(promise, signal) : promise;
    },
    async close() {
      closing.abort();
      await ownDispatcher?.close();
    },
  };
}

function loginHost(loginUrl: string, context: AuthContext): string {
  try {
    return new URL(loginUrl).host;
  } catch (error) {
    throw classifyAuthFailure(new MsalAuthError('url_parse_error', '', String(error)), context);
  }
}

function authorityMetadata(loginUrl: string, tenantId: string) {
  const base = `${loginUrl}/${tenantId}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    issuer: `${base}/v2.0`,
  };
}

/** `promise`, or the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
