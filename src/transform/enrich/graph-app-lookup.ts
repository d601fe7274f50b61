// One question to Microsoft Graph: the display name of the service principal with a given application
// id in one tenant (`GET /v1.0/servicePrincipals?$filter=appId eq '…'&$select=appId,displayName`).
// The answer is a name, or null when the tenant has no such application; failures are sorted by what
// the caller should do next.
import { request, type Dispatcher } from 'undici';
import { AuthError, type TokenProvider } from '../../source/index.js';
import { parseRetryAfter } from '../../source/backoff.js';
import { trimTrailingSlash } from '../../source/options.js';

/** Where and as whom to ask Graph about one tenant. */
export interface GraphTenant {
  tenantId: string;
  /** Graph root, e.g. `https://graph.microsoft.com`. */
  graphUrl: string;
  tokenProvider: TokenProvider;
  /** Connection pool for Graph (trusting the tenant's configured CAs). */
  dispatcher: Dispatcher;
}

/** Graph will not answer for this tenant until its configuration changes (403, a refused token, bad credentials). */
export class GraphRefusedError extends Error {
  override readonly name = 'GraphRefusedError';
}

/** Graph asked to slow down (429, 503); `retryAfterMs` is what it asked for, when it said. */
export class GraphBusyError extends Error {
  override readonly name = 'GraphBusyError';
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

const FIX = 'grant Application.Read.All (application) and admin consent, or set enrich.app_names.enabled=false';

/** Any other failure (network, 5xx, a malformed answer) is thrown as is: worth trying again later. */
export async function fetchAppName(tenant: GraphTenant, appId: string, signal: AbortSignal): Promise<string | null> {
  const filter = encodeURIComponent(`appId eq '${appId}'`);
  const url = `${trimTrailingSlash(tenant.graphUrl)}/v1.0/servicePrincipals?$filter=${filter}&$select=appId,displayName`;
  let response = await send(tenant, url, signal, false);
  // A cached token may have been revoked or rotated: one fresh token before giving up.
  if (response.statusCode === 401) {
    await response.body.dump();
    response = await send(tenant, url, signal, true);
  }
  const { statusCode, headers, body } = response;
  if (statusCode === 200) return nameIn(await body.json(), appId);
  await body.dump();
  const where = `Microsoft Graph (tenant ${tenant.tenantId})`;
  if (statusCode === 401 || statusCode === 403) {
    throw new GraphRefusedError(`${where} refused to read service principals (HTTP ${statusCode}): ${FIX}`);
  }
  if (statusCode === 429 || statusCode === 503) {
    throw new GraphBusyError(`${where} is throttling application lookups (HTTP ${statusCode})`, parseRetryAfter(headers['retry-after']));
  }
  // Another 4xx will not change by asking again: Graph has no usable answer for this id.
  if (statusCode >= 400 && statusCode < 500) return null;
  throw new Error(`${where} answered HTTP ${statusCode} to an application lookup`);
}

async function send(tenant: GraphTenant, url: string, signal: AbortSignal, forceRefresh: boolean): Promise<Dispatcher.ResponseData> {
  let token: string;
  try {
    token = await tenant.tokenProvider.getToken(tenant.graphUrl, { forceRefresh });
  } catch (error) {
    if (error instanceof AuthError && !error.transient) {
      throw new GraphRefusedError(`cannot get a Microsoft Graph token for tenant ${tenant.tenantId}: ${error.message}`);
    }
    throw error;
  }
  return request(url, {
    dispatcher: tenant.dispatcher,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    signal,
  });
}

function nameIn(answer: unknown, appId: string): string | null {
  const value = (answer as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) throw new Error('Microsoft Graph answered an application lookup without a value list');
  const match = value.find((sp: { appId?: unknown }) => typeof sp?.appId === 'string' && sp.appId.toLowerCase() === appId);
  const name = (match as { displayName?: unknown } | undefined)?.displayName;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
}
