// Entra ID's discovery documents: instance discovery (what MSAL asks first), the v2 and v1 OpenID
// configurations and the signing keys. Every URL in them is built on the origin the client reached, so a
// client follows them back to the emulator whether it uses `https://127.0.0.1:PORT` or Microsoft's host
// names through a hosts file.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../respond.js';
import type { EmulatedTenant } from '../types.js';
import { AADSTS, AadstsError, sendAadstsError } from './aadsts.js';
import type { TokenSigner } from './access-tokens.js';
import { requestContext, requestOrigin, type RequestContext } from './http.js';
import { resolveTenantSegment } from './tenant-segment.js';

export interface DiscoveryDependencies {
  tenants: readonly EmulatedTenant[];
  now: () => number;
  signer: TokenSigner;
}

export type DiscoveryVersion = 'v1' | 'v2';

// Instance discovery metadata as Entra publishes it (contract §6.1, recorded response).
const CLOUD_METADATA = [
  {
    preferred_network: 'login.microsoftonline.com',
    preferred_cache: 'login.windows.net',
    aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
  },
  {
    preferred_network: 'login.partner.microsoftonline.cn',
    preferred_cache: 'login.partner.microsoftonline.cn',
    aliases: ['login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'],
  },
  { preferred_network: 'login.microsoftonline.de', preferred_cache: 'login.microsoftonline.de', aliases: ['login.microsoftonline.de'] },
  {
    preferred_network: 'login.microsoftonline.us',
    preferred_cache: 'login.microsoftonline.us',
    aliases: ['login.microsoftonline.us', 'login.usgovcloudapi.net'],
  },
  { preferred_network: 'login-us.microsoftonline.com', preferred_cache: 'login-us.microsoftonline.com', aliases: ['login-us.microsoftonline.com'] },
];
const US_GOVERNMENT_HOSTS = ['login.microsoftonline.us', 'login.usgovcloudapi.net'];
const TENANT_PLACEHOLDER = '{tenantid}';

/** `GET /common/discovery/instance?api-version=1.1&authorization_endpoint=…` */
export async function handleInstanceDiscovery(req: IncomingMessage, res: ServerResponse, url: URL, deps: DiscoveryDependencies): Promise<void> {
  await answer(req, res, deps, async () => {
    const origin = requestOrigin(req);
    const host = new URL(origin).host;
    const metadata = CLOUD_METADATA.some((cloud) => cloud.aliases.includes(host))
      ? CLOUD_METADATA
      : [...CLOUD_METADATA, { preferred_network: host, preferred_cache: host, aliases: [host] }];
    const body: Record<string, unknown> = { 'api-version': '1.1', metadata };
    const endpoint = url.searchParams.get('authorization_endpoint');
    if (endpoint !== null) {
      const authorization = parseUrl(endpoint);
      if (!authorization || !metadata.some((cloud) => cloud.aliases.includes(authorization.host))) throw AADSTS.unknownInstance();
      const tenant = authorization.pathname.split('/')[1] || 'common';
      body.tenant_discovery_endpoint = `${authorization.origin}/${tenant}/v2.0/.well-known/openid-configuration`;
    }
    return body;
  });
}

/** `GET /{tenant}/v2.0/.well-known/openid-configuration` and the v1 `GET /{tenant}/.well-known/openid-configuration`. */
export async function handleOpenIdConfiguration(
  req: IncomingMessage,
  res: ServerResponse,
  tenantSegment: string,
  version: DiscoveryVersion,
  deps: DiscoveryDependencies,
): Promise<void> {
  await answer(req, res, deps, async () => {
    const id = tenantIdOf(deps.tenants, tenantSegment);
    const origin = requestOrigin(req);
    return version === 'v2' ? openIdConfigurationV2(origin, id) : openIdConfigurationV1(origin, id);
  });
}

/** `GET /{tenant}/discovery/v2.0/keys`, `/{tenant}/discovery/keys` and the tenant-less `/discovery/keys`. */
export async function handleSigningKeys(
  req: IncomingMessage,
  res: ServerResponse,
  tenantSegment: string | undefined,
  version: DiscoveryVersion,
  deps: DiscoveryDependencies,
): Promise<void> {
  await answer(req, res, deps, async () => {
    const id = tenantSegment === undefined ? TENANT_PLACEHOLDER : tenantIdOf(deps.tenants, tenantSegment);
    const keys = await deps.signer.jwks();
    const issuer = `${requestOrigin(req)}/${id}/v2.0`;
    return { keys: version === 'v2' ? keys.map((key) => ({ ...key, issuer })) : keys };
  });
}

async function answer(req: IncomingMessage, res: ServerResponse, deps: DiscoveryDependencies, build: () => Promise<object>): Promise<void> {
  const context = requestContext(req, deps.now());
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw AADSTS.methodNotAllowed('GET', req.method ?? '');
    sendJson(res, 200, await build(), discoveryHeaders(context));
  } catch (error) {
    if (!(error instanceof AadstsError)) throw error;
    sendAadstsError(req, res, error, context);
  }
}

function discoveryHeaders(context: RequestContext): Record<string, string> {
  return {
    'Cache-Control': 'max-age=86400, private',
    'Access-Control-Allow-Origin': '*',
    'x-ms-request-id': context.traceId,
    'x-ms-ests-server': '2.1.emulated',
  };
}

/** The tenant GUID the documents name; the multi-tenant aliases get Entra's `{tenantid}` placeholder. */
function tenantIdOf(tenants: readonly EmulatedTenant[], segment: string): string {
  const tenant = resolveTenantSegment(tenants, segment);
  return tenant === 'tenantless' ? TENANT_PLACEHOLDER : tenant.tenantId;
}

function openIdConfigurationV2(origin: string, id: string): object {
  const base = `${origin}/${id}`;
  const cloud = cloudOf(origin);
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${cloud.graphOrigin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud',
      'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email',
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: cloud.regionScope,
    cloud_instance_name: cloud.instanceName,
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: new URL(cloud.graphOrigin).host,
    rbac_url: 'https://pas.windows.net',
  };
}

function openIdConfigurationV1(origin: string, id: string): object {
  const base = `${origin}/${id}`;
  const cloud = cloudOf(origin);
  return {
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${origin}/common/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid'],
    // v1 tokens, which the emulator mints, name this issuer.
    issuer: `https://sts.windows.net/${id}/`,
    microsoft_multi_refresh_token: true,
    authorization_endpoint: `${base}/oauth2/authorize`,
    device_authorization_endpoint: `${base}/oauth2/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/logout`,
    claims_supported: [
      'sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud',
      'exp', 'iat', 'auth_time', 'acr', 'amr', 'nonce', 'email', 'given_name', 'family_name', 'nickname',
    ],
    check_session_iframe: `${base}/oauth2/checksession`,
    userinfo_endpoint: `${base}/openid/userinfo`,
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: cloud.regionScope,
    cloud_instance_name: cloud.instanceName,
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: new URL(cloud.graphOrigin).host,
    rbac_url: 'https://pas.windows.net',
  };
}

/** The cloud a login origin belongs to; the emulator's own origin is a cloud of its own that also serves Graph. */
function cloudOf(origin: string): { instanceName: string; regionScope: string; graphOrigin: string } {
  const host = new URL(origin).host;
  if (US_GOVERNMENT_HOSTS.includes(host)) {
    return { instanceName: 'microsoftonline.us', regionScope: 'USGov', graphOrigin: 'https://graph.microsoft.us' };
  }
  if (CLOUD_METADATA[0]?.aliases.includes(host)) {
    return { instanceName: 'microsoftonline.com', regionScope: 'NA', graphOrigin: 'https://graph.microsoft.com' };
  }
  return { instanceName: new URL(origin).hostname, regionScope: 'NA', graphOrigin: origin };
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
