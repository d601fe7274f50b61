// Who may call: a valid management token (401 otherwise), a GUID tenant in the URL that exists, the
// token issued by that tenant, and the ActivityFeed.Read role.
import type { TokenCheck } from '../identity/index.js';
import { ROLE_ACTIVITY_FEED_READ, type EmulatedTenant } from '../types.js';
import { afErrors, BearerChallenge } from './errors.js';
import { isGuid } from './query.js';

export type VerifyAccessToken = (authorizationHeader: string | undefined, resource: 'management') => TokenCheck;

export interface Caller {
  tenant: EmulatedTenant;
  /** The application that called (the token's appid). */
  clientId: string;
  roles: readonly string[];
}

export function createAccessCheck(options: { tenants: readonly EmulatedTenant[]; verifyAccessToken: VerifyAccessToken }) {
  const tenantsById = new Map(options.tenants.map((t) => [t.tenantId.toLowerCase(), t]));

  return function authorize(authorizationHeader: string | undefined, urlTenant: string): Caller {
    const check = options.verifyAccessToken(authorizationHeader, 'management');
    if (!check.ok) throw new BearerChallenge(check.reason);
    if (!isGuid(urlTenant)) throw afErrors.tenantNotGuid(urlTenant);
    const tenant = tenantsById.get(urlTenant.toLowerCase());
    if (!tenant) throw afErrors.unknownTenant(urlTenant);
    if (check.claims.tid.toLowerCase() !== tenant.tenantId.toLowerCase()) {
      throw afErrors.tenantMismatch(urlTenant, check.claims.tid);
    }
    if (!check.claims.roles.includes(ROLE_ACTIVITY_FEED_READ)) throw afErrors.missingPermission(check.claims.roles);
    return { tenant, clientId: check.claims.appid, roles: check.claims.roles };
  };
}
