// A validated tenant entry made ready to use: its cloud's endpoints filled in, its credential resolved.
import { CLOUD_ENDPOINTS, type CloudEndpoints } from './clouds.js';
import { resolveCredential, type TenantCredential } from './credentials.js';
import type { Findings } from './findings.js';
import type { ParsedTenant } from './schema.js';
import { checkTls } from './tls.js';

export interface TenantConfig extends Omit<ParsedTenant, keyof CloudEndpoints | 'publisher_identifier'>, CloudEndpoints {
  /** The tenant whose API quota requests count against; defaults to tenant_id. */
  publisher_identifier: string;
  credential: TenantCredential;
}

const ENDPOINT_KEYS = ['login_url', 'api_url', 'graph_url'] as const;
const ENDPOINT_ROLE: Record<(typeof ENDPOINT_KEYS)[number], string> = {
  login_url: 'token service (Entra ID login)',
  api_url: 'Management Activity API',
  graph_url: 'Microsoft Graph',
};

export function resolveTenant(tenant: ParsedTenant, index: number, env: NodeJS.ProcessEnv, findings: Findings): TenantConfig | undefined {
  const path = ['tenants', index];
  const credential = resolveCredential(tenant.auth, [...path, 'auth'], env, findings);
  checkTls(tenant.ssl, [...path, 'ssl'], findings);

  const endpoints: Partial<CloudEndpoints> = tenant.cloud === 'custom' ? {} : { ...CLOUD_ENDPOINTS[tenant.cloud] };
  for (const key of ENDPOINT_KEYS) {
    const override = tenant[key];
    if (override !== undefined) endpoints[key] = override;
    else if (tenant.cloud === 'custom') {
      findings.error([...path, key], `is required when cloud is custom — set it to the base URL of the ${ENDPOINT_ROLE[key]}, e.g. the emulator's https://127.0.0.1:PORT`);
    }
  }
  const { login_url, api_url, graph_url } = endpoints;
  if (!credential || login_url === undefined || api_url === undefined || graph_url === undefined) return undefined;
  return {
    ...tenant,
    login_url,
    api_url,
    graph_url,
    publisher_identifier: tenant.publisher_identifier ?? tenant.tenant_id,
    credential,
  };
}
