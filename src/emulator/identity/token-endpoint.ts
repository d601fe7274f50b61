// The client-credentials grant at `POST /{tenant}/oauth2/v2.0/token` (scope) and `POST /{tenant}/oauth2/token`
// (v1, resource), answering with Entra's success bodies (§6.4: numbers in v2, strings in v1) or its AADSTS
// errors. Checks run in Entra's order, so a request with several mistakes gets the error Entra would give.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../respond.js';
import type { EmulatedApp, EmulatedTenant } from '../types.js';
import { AADSTS, AadstsError, sendAadstsError } from './aadsts.js';
import { JWT_BEARER_ASSERTION_TYPE, verifyClientAssertion, type AssertionReplayGuard } from './client-assertion.js';
import { resolveResource, type ResolvedResource } from './clouds.js';
import { estsHeaders, readBody, requestContext, requestOrigin } from './http.js';
import { resolveTenantSegment } from './tenant-segment.js';
import type { TokenFault } from './token-faults.js';

export type TokenEndpointVersion = 'v1' | 'v2';

/** How the client proved who it is: `appidacr` "1" for a secret, "2" for a certificate. */
export type ClientAuthMethod = '1' | '2';

export interface IssuedToken {
  accessToken: string;
  notBefore: number;
  expiresOn: number;
  lifetimeSeconds: number;
}

export interface TokenEndpointDependencies {
  tenants: readonly EmulatedTenant[];
  now: () => number;
  replayGuard: AssertionReplayGuard;
  issue: (tenant: EmulatedTenant, app: EmulatedApp, resource: ResolvedResource, method: ClientAuthMethod) => Promise<IssuedToken>;
  /** The fault injected into this tenant's request, if any. */
  fault: (tenant: EmulatedTenant) => TokenFault;
}

// Far above any real token request (a client assertion with an x5c chain is a few KiB).
const BODY_LIMIT_BYTES = 64 * 1024;
// OpenID scopes MSAL may add; they name no resource.
const OPENID_SCOPES = new Set(['openid', 'profile', 'offline_access']);
const DEFAULT_SCOPE_SUFFIX = '/.default';

export async function handleTokenRequest(
  req: IncomingMessage,
  res: ServerResponse,
  tenantSegment: string,
  version: TokenEndpointVersion,
  deps: TokenEndpointDependencies,
): Promise<void> {
  const context = requestContext(req, deps.now());
  try {
    if (req.method !== 'POST') {
      req.resume();
      throw AADSTS.methodNotAllowed('POST', req.method ?? '');
    }
    const body = await readBody(req, BODY_LIMIT_BYTES).catch(() => 'aborted' as const);
    if (body === 'aborted') {
      // The client hung up mid-body; nobody is left to answer.
      res.destroy();
      return;
    }
    if (body === 'too-large') throw AADSTS.bodyTooLarge(BODY_LIMIT_BYTES);
    // Any body parses as a form; one that is not a form simply lacks the parameters Entra asks for next.
    const form = new URLSearchParams(body.toString('utf8'));
    const tenant = resolveTenantSegment(deps.tenants, tenantSegment);
    const fault = tenant === 'tenantless' ? undefined : deps.fault(tenant);
    // Held open without an answer until the client gives up; the server's close ends it otherwise.
    if (fault === 'hang') return;
    if (fault === 'error') throw AADSTS.serviceError();

    const grantType = form.get('grant_type');
    if (!grantType) throw AADSTS.missingParameter('grant_type');
    if (grantType !== 'client_credentials') throw AADSTS.unsupportedGrantType(grantType);
    if (tenant === 'tenantless') throw AADSTS.tenantlessEndpoint(tenantSegment.toLowerCase());

    const basic = parseBasicCredentials(req.headers.authorization);
    const clientId = form.get('client_id') || basic?.clientId;
    if (!clientId) throw AADSTS.missingParameter('client_id');
    const requested = version === 'v2' ? requestedScopeResource(form) : requestedV1Resource(form);

    const app = tenant.apps.find((a) => a.clientId === clientId.toLowerCase());
    if (!app) throw AADSTS.unknownApp(clientId, tenant.displayName);
    const method = await authenticateClient(form, basic?.secret, app, tenant, {
      origin: requestOrigin(req),
      now: context.now,
      replayGuard: deps.replayGuard,
    });

    const resource = resolveResource(requested, requestOrigin(req));
    if (!resource) throw AADSTS.unknownResource(requested, tenant.displayName);
    const token = await deps.issue(tenant, app, resource, method);
    sendJson(res, 200, successBody(version, token, requested), estsHeaders(req, context));
  } catch (error) {
    if (!(error instanceof AadstsError)) throw error;
    sendAadstsError(req, res, error, context);
  }
}

/** RFC 6749 §2.3.1 client_secret_basic: both parts form-encoded, then base64. */
function parseBasicCredentials(authorization: string | undefined): { clientId: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** The resource of a v2 request: its one `{resource}/.default` scope without the suffix. */
function requestedScopeResource(form: URLSearchParams): string {
  const scope = form.get('scope');
  if (scope === null) {
    if (form.has('resource')) throw AADSTS.resourceOnV2Endpoint();
    throw AADSTS.missingParameter('scope');
  }
  const scopes = scope.split(/\s+/).filter((s) => s !== '' && !OPENID_SCOPES.has(s.toLowerCase()));
  const only = scopes[0];
  if (only === undefined || scopes.length > 1) throw AADSTS.invalidScope(scope);
  if (!only.toLowerCase().endsWith(DEFAULT_SCOPE_SUFFIX)) throw AADSTS.scopeWithoutDefault(only);
  return only.slice(0, -DEFAULT_SCOPE_SUFFIX.length);
}

function requestedV1Resource(form: URLSearchParams): string {
  const resource = form.get('resource');
  if (!resource) throw AADSTS.missingParameter('resource');
  return resource;
}

async function authenticateClient(
  form: URLSearchParams,
  basicSecret: string | undefined,
  app: EmulatedApp,
  tenant: EmulatedTenant,
  context: { origin: string; now: number; replayGuard: AssertionReplayGuard },
): Promise<ClientAuthMethod> {
  const secret = form.get('client_secret') || basicSecret;
  const assertion = form.get('client_assertion');
  if (secret && assertion) throw AADSTS.twoCredentials();
  if (assertion) {
    const assertionType = form.get('client_assertion_type');
    if (!assertionType) throw AADSTS.missingParameter('client_assertion_type');
    if (assertionType !== JWT_BEARER_ASSERTION_TYPE) throw AADSTS.wrongAssertionType();
    await verifyClientAssertion(assertion, { tenant, app, ...context });
    return '2';
  }
  if (!secret) throw AADSTS.noCredential();
  if (!app.secrets.some((registered) => sameSecret(registered, secret))) throw AADSTS.wrongSecret(app.clientId);
  return '1';
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function successBody(version: TokenEndpointVersion, token: IssuedToken, requested: string): object {
  if (version === 'v2') {
    return {
      token_type: 'Bearer',
      expires_in: token.lifetimeSeconds,
      ext_expires_in: token.lifetimeSeconds,
      access_token: token.accessToken,
    };
  }
  return {
    token_type: 'Bearer',
    expires_in: String(token.lifetimeSeconds),
    ext_expires_in: String(token.lifetimeSeconds),
    expires_on: String(token.expiresOn),
    not_before: String(token.notBefore),
    resource: requested,
    access_token: token.accessToken,
  };
}
