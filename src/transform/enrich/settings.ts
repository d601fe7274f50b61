// The enrichment settings, and how they come from the configuration file:
//
//   enrich:
//     geoip:
//       enabled: true                 # default true; needs the GeoIP packages or your own databases
//       city_database: /path/GeoLite2-City.mmdb   # optional, wins over the packaged DB-IP Lite city database
//       asn_database: /path/GeoLite2-ASN.mmdb     # optional, wins over the packaged ASN table
//     user_agent:
//       enabled: true                 # default true
//     app_names:
//       enabled: true                 # default true; Graph lookups need Application.Read.All
//       cache_path: /var/lib/o365-elk/app-names.db   # default: app-names.db beside the ledger
//       ttl: 7d                       # default 7d
//     tenant_names:                   # tenant id → organization.name, on top of tenants[].name
//       00000000-0000-0000-0000-000000000000: Contoso
import { dirname, join } from 'node:path';

export interface EnrichmentSettings {
  geoip: { enabled: boolean; cityDatabase?: string; asnDatabase?: string };
  userAgent: { enabled: boolean };
  appNames: { enabled: boolean; cachePath?: string; ttlMs: number };
  /** Tenant id → display name, for `organization.name`. */
  tenantNames: Record<string, string>;
}

/** The `enrich` section as the configuration loader hands it over (durations in ms, paths absolute). */
export interface EnrichConfig {
  geoip?: { enabled?: boolean; city_database?: string; asn_database?: string };
  user_agent?: { enabled?: boolean };
  app_names?: { enabled?: boolean; cache_path?: string; ttl?: number };
  tenant_names?: Record<string, string>;
}

/** What the settings are read from: a loaded `Config` fits. */
export interface EnrichConfigSource {
  tenants: ReadonlyArray<{ tenant_id: string; name?: string | undefined }>;
  state: { path: string };
  enrich?: EnrichConfig;
}

export const DEFAULT_APP_NAME_TTL_MS = 7 * 86_400_000;

export function enrichmentSettingsFromConfig(config: EnrichConfigSource): EnrichmentSettings {
  const enrich = config.enrich ?? {};
  const { city_database: cityDatabase, asn_database: asnDatabase } = enrich.geoip ?? {};
  const fromTenants = config.tenants.flatMap((tenant) => (tenant.name ? [[tenant.tenant_id, tenant.name] as const] : []));
  const configured = Object.entries(enrich.tenant_names ?? {});
  return {
    geoip: { enabled: enrich.geoip?.enabled ?? true, ...(cityDatabase ? { cityDatabase } : {}), ...(asnDatabase ? { asnDatabase } : {}) },
    userAgent: { enabled: enrich.user_agent?.enabled ?? true },
    appNames: {
      enabled: enrich.app_names?.enabled ?? true,
      cachePath: enrich.app_names?.cache_path ?? join(dirname(config.state.path), 'app-names.db'),
      ttlMs: enrich.app_names?.ttl ?? DEFAULT_APP_NAME_TTL_MS,
    },
    // An explicit enrich.tenant_names entry wins over the tenant's own name, however either spells the id.
    tenantNames: Object.fromEntries([...fromTenants, ...configured].map(([id, name]) => [id.toLowerCase(), name])),
  };
}
