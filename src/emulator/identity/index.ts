// The emulated Entra ID: the token endpoint, its discovery documents, and the access-token check that the
// emulated Management Activity API and Graph run on every request.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { servicePrincipalObjectId } from '../directory.js';
import type { Clock, EmulatedApp, EmulatedTenant, Faults, RouteHandler } from '../types.js';
import { createTokenSigner } from './access-tokens.js';
import { createAssertionReplayGuard } from './client-assertion.js';
import { audienceServes, rolesFor, type EmulatedResource, type ResolvedResource } from './clouds.js';
import { handleInstanceDiscovery, handleOpenIdConfiguration, handleSigningKeys, type DiscoveryDependencies } from './discovery.js';
import { handleTokenRequest, type ClientAuthMethod, type IssuedToken, type TokenEndpointDependencies } from './token-endpoint.js';
import { createTokenFaults } from './token-faults.js';

export type { EmulatedResource } from './clouds.js';

export type TokenCheck =
  | { ok: true; claims: { tid: string; aud: string; appid: string; roles: string[]; exp: number } }
  | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'expired' | 'audience' };

export interface IdentityServiceOptions {
  tenants: readonly EmulatedTenant[];
  clock: Clock;
  /** `withheldRoles`: roles left out of every token, as when admin consent is missing for them; the `token*` knobs. */
  faults: Faults;
  /** Access-token lifetime, seconds (Entra's default 3599). */
  tokenLifetimeSeconds?: number;
  /**
   * Also refuse a client assertion sent a second time unchanged. Off by default because MSAL reuses its
   * assertion for ten minutes, and Entra accepts that; a jti reused in a different assertion is always refused.
   */
  rejectReusedAssertions?: boolean;
}

export interface IdentityService {
  routes: RouteHandler;
  /** Checks signature, expiry (on the identity clock) and audience of `Authorization: Bearer …`. */
  verifyAccessToken(authorizationHeader: string | undefined, resource: EmulatedResource): TokenCheck;
}

const DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;

export function createIdentityService(options: IdentityServiceOptions): IdentityService {
  const { tenants, clock } = options;
  const lifetimeSeconds = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  const signer = createTokenSigner();
  // Emulator origins tokens were minted for; such a token serves both the Activity API and Graph.
  const originAudiences = new Set<string>();

  const issue = async (tenant: EmulatedTenant, app: EmulatedApp, resource: ResolvedResource, method: ClientAuthMethod): Promise<IssuedToken> => {
    if (resource.serves.length > 1) originAudiences.add(resource.audience);
    const issuedAt = Math.floor(clock.now() / 1000);
    const issuer = `https://sts.windows.net/${tenant.tenantId}/`;
    const objectId = servicePrincipalObjectId(tenant.tenantId, app.clientId);
    const roles = rolesFor(app, resource.serves).filter((role) => !options.faults.withheldRoles.includes(role));
    const accessToken = await signer.sign({
      aud: resource.audience,
      iss: issuer,
      iat: issuedAt,
      nbf: issuedAt,
      exp: issuedAt + lifetimeSeconds,
      appid: app.clientId,
      appidacr: method,
      idp: issuer,
      idtyp: 'app',
      oid: objectId,
      // Entra leaves the claim out, rather than sending an empty list, when nothing was consented.
      ...(roles.length > 0 ? { roles } : {}),
      sub: objectId,
      tid: tenant.tenantId,
      uti: randomTokenId(),
      ver: '1.0',
    });
    return { accessToken, notBefore: issuedAt, expiresOn: issuedAt + lifetimeSeconds, lifetimeSeconds };
  };

  const tokenDeps: TokenEndpointDependencies = {
    tenants,
    now: () => clock.now(),
    replayGuard: createAssertionReplayGuard({ rejectIdenticalReuse: options.rejectReusedAssertions ?? false }),
    issue,
    fault: createTokenFaults(tenants, options.faults),
  };
  const discoveryDeps: DiscoveryDependencies = { tenants, now: () => clock.now(), signer };

  const routes: RouteHandler = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const segments = pathSegments(url.pathname);
    const path = segments.map((s) => s.toLowerCase()).join('/');
    const tenant = segments[0] ?? '';
    const rest = segments.slice(1).join('/').toLowerCase();

    if (path === 'common/discovery/instance') await handleInstanceDiscovery(req, res, url, discoveryDeps);
    else if (path === 'discovery/keys') await handleSigningKeys(req, res, undefined, 'v1', discoveryDeps);
    else if (path === 'discovery/v2.0/keys') await handleSigningKeys(req, res, undefined, 'v2', discoveryDeps);
    else if (rest === 'oauth2/v2.0/token') await handleTokenRequest(req, res, tenant, 'v2', tokenDeps);
    else if (rest === 'oauth2/token') await handleTokenRequest(req, res, tenant, 'v1', tokenDeps);
    else if (rest === 'v2.0/.well-known/openid-configuration') await handleOpenIdConfiguration(req, res, tenant, 'v2', discoveryDeps);
    else if (rest === '.well-known/openid-configuration') await handleOpenIdConfiguration(req, res, tenant, 'v1', discoveryDeps);
    else if (rest === 'discovery/v2.0/keys') await handleSigningKeys(req, res, tenant, 'v2', discoveryDeps);
    else if (rest === 'discovery/keys') await handleSigningKeys(req, res, tenant, 'v1', discoveryDeps);
    else return false;
    return true;
  };

  const verifyAccessToken = (authorizationHeader: string | undefined, resource: EmulatedResource): TokenCheck => {
    const match = /^Bearer(?:\s+(\S*))?\s*$/i.exec(authorizationHeader ?? '');
    if (!authorizationHeader || (match && !match[1])) return { ok: false, reason: 'missing' };
    if (!match?.[1]) return { ok: false, reason: 'malformed' };
    const checked = signer.verify(match[1]);
    if (!checked.ok) return checked;
    const { tid, aud, appid, roles, exp } = checked.claims;
    if (typeof tid !== 'string' || typeof aud !== 'string' || typeof appid !== 'string' || typeof exp !== 'number') {
      return { ok: false, reason: 'malformed' };
    }
    if (exp * 1000 <= clock.now()) return { ok: false, reason: 'expired' };
    if (!audienceServes(aud, resource, originAudiences)) return { ok: false, reason: 'audience' };
    const roleList = Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
    return { ok: true, claims: { tid, aud, appid, roles: roleList, exp } };
  };

  return { routes, verifyAccessToken };
}

/** The non-empty segments of a path, decoded where they decode; a tenant like `%zz` stays as sent and is refused as malformed. */
function pathSegments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

function randomTokenId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}
