// Entra ID on a bad day, on demand: token requests answered 500 AADSTS50000 (the first few of a tenant,
// or a share of them), or never answered at all — for one tenant or for every one.
import { seededRandom } from '../random.js';
import type { EmulatedTenant, Faults } from '../types.js';

export type TokenFault = 'error' | 'hang' | undefined;

/** Decides, request by request, what goes wrong with a tenant's token request; reads `faults` each time. */
export function createTokenFaults(tenants: readonly EmulatedTenant[], faults: Faults, seed = 1): (tenant: EmulatedTenant) => TokenFault {
  const random = seededRandom(seed);
  const requests = new Map<string, number>();
  return (tenant) => {
    const number = tenants.indexOf(tenant) + 1;
    if (faults.tokenFaultTenant !== 0 && faults.tokenFaultTenant !== number) return undefined;
    if (faults.tokenHang) return 'hang';
    const count = (requests.get(tenant.tenantId) ?? 0) + 1;
    requests.set(tenant.tenantId, count);
    if (count <= faults.tokenErrorCount) return 'error';
    return random() < faults.tokenErrorRate ? 'error' : undefined;
  };
}
