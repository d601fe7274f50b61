// Maps a tenant's configuration onto the source stage's plain options.
import { readFileSync } from 'node:fs';
import type { Config, TenantConfig } from '../config/index.js';
import { createManagementClient, type ClientObserver, type ManagementApiClient } from '../source/index.js';
import type { ClientCredential, ManagementClientOptions } from '../source/options.js';
import type { Logger } from '../util/logger.js';

export function managementClientOptions(tenant: TenantConfig, api: Config['api']): ManagementClientOptions {
  return {
    tenantId: tenant.tenant_id,
    clientId: tenant.client_id,
    credential: clientCredential(tenant),
    loginUrl: tenant.login_url,
    apiUrl: tenant.api_url,
    publisherIdentifier: tenant.publisher_identifier,
    requestsPerMinute: api.requests_per_minute,
    requestTimeoutMs: api.request_timeout,
    ca: tenant.ssl.certificate_authorities.map((path) => readFileSync(path, 'utf8')),
    rejectUnauthorized: tenant.ssl.verification_mode !== 'none',
  };
}

/** `index` is the tenant's position in the configuration, so errors name the key to fix (`tenants[1].auth`). */
export function createTenantClient(tenant: TenantConfig, index: number, config: Config, logger: Logger, observer?: ClientObserver): ManagementApiClient {
  return createManagementClient(managementClientOptions(tenant, config.api), { logger, configPath: `tenants[${index}]`, ...(observer ? { observer } : {}) });
}

function clientCredential(tenant: TenantConfig): ClientCredential {
  const credential = tenant.credential;
  if (credential.method === 'client_secret') return { kind: 'secret', secret: credential.secret };
  return {
    kind: 'certificate',
    privateKeyPem: credential.private_key,
    ...(credential.certificate ? { certificatePem: credential.certificate } : {}),
    thumbprintSha1Hex: credential.thumbprint_sha1,
  };
}
