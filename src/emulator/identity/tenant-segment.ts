// The `{tenant}` path segment of Entra ID's endpoints: a tenant GUID, a verified domain, or one of the
// multi-tenant aliases that client credentials cannot use.
import { findTenant } from '../directory.js';
import type { EmulatedTenant } from '../types.js';
import { AADSTS } from './aadsts.js';
import { isGuid } from './http.js';

const TENANTLESS = new Set(['common', 'organizations', 'consumers']);

/** The tenant a path names, or 'tenantless' for common/organizations/consumers; throws Entra's error otherwise. */
export function resolveTenantSegment(tenants: readonly EmulatedTenant[], segment: string): EmulatedTenant | 'tenantless' {
  if (TENANTLESS.has(segment.toLowerCase())) return 'tenantless';
  if (!isGuid(segment) && !isDomainName(segment)) throw AADSTS.malformedTenant(segment);
  const tenant = findTenant(tenants, segment);
  if (!tenant) throw AADSTS.unknownTenant(segment);
  return tenant;
}

function isDomainName(value: string): boolean {
  return value.length <= 253 && /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(value);
}
