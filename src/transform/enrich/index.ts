/**
 * Enrichment: fields added to each document after the ECS mapping, by enrichers that run synchronously
 * inside `createTransformer({ enrichers })`.
 *
 * createEnrichment(settings: EnrichmentSettings, deps: { logger, graphTenants? }) → Promise<Enrichment>
 *   Opens what the enabled enrichers need, once, at start: GeoIP databases, the application name cache.
 *   - enrichers: pass to createTransformer; tenantNames: pass to createTransformer too.
 *   - appNames: per-tenant lookup statistics (for metrics), when application names are on.
 *   - close({ waitMs? }): abandons Graph lookups (after up to waitMs for the queued ones to finish) and
 *     closes the cache; the Graph tenants stay open (their owner closes them).
 *   GeoIP databases that are not installed cost one warning and no GeoIP; a database the settings name
 *   that cannot be opened, or an unusable cache path, throws a one-line error.
 *
 * enrichmentSettingsFromConfig(config) → EnrichmentSettings: the `enrich` section (see ./settings.ts),
 *   with defaults, and `tenants[].name` merged into tenantNames.
 * connectGraphTenant(options, { logger, tokenProvider? }) → ConnectedGraphTenant: what application
 *   name lookups need for one tenant; without Graph tenants only the built-in table and the cache serve.
 *
 * Fields: source.geo.*, source.as.*, client.geo.*, client.as.* (tag o365_audit_private_ip for addresses
 * that have no location), user_agent.{name,version,os.{name,version,full},device.name},
 * o365.application.{id,name}, o365.client_application.{id,name}.
 */
import type { Enricher } from '../index.js';
import type { Logger } from '../../util/logger.js';
import { openAppNameStore } from './app-name-store.js';
import { createAppNameDirectory, createAppNameEnricher, type AppNameDirectory } from './app-names.js';
import { asnSource, citySource, GeoDatabaseMissingError, type AsnSource, type CitySource } from './geo-databases.js';
import type { GraphTenant } from './graph-app-lookup.js';
import { createGeoIpEnricher, openGeoLocator } from './geoip.js';
import type { EnrichmentSettings } from './settings.js';
import { createUserAgentEnricher } from './user-agent.js';

export { FIRST_PARTY_APPS } from './first-party-apps.js';
export type { AppLookupStats } from './app-lookup-queue.js';
export type { AppNameDirectory } from './app-names.js';
export type { GraphTenant } from './graph-app-lookup.js';
export { connectGraphTenant, type ConnectedGraphTenant, type GraphTenantOptions } from './graph-tenant.js';
export { PRIVATE_IP_TAG } from './geoip.js';
export { DEFAULT_APP_NAME_TTL_MS, enrichmentSettingsFromConfig, type EnrichConfig, type EnrichConfigSource, type EnrichmentSettings } from './settings.js';

export interface Enrichment {
  enrichers: Enricher[];
  tenantNames: Record<string, string>;
  appNames?: AppNameDirectory;
  /** Stops application name lookups (after up to `waitMs` for those queued) and closes the cache. */
  close(options?: { waitMs?: number }): Promise<void>;
}

export interface EnrichmentDeps {
  logger: Logger;
  /** Tenants whose Graph may be asked for application names; none: the built-in table and the cache only. */
  graphTenants?: readonly GraphTenant[];
}

export async function createEnrichment(settings: EnrichmentSettings, deps: EnrichmentDeps): Promise<Enrichment> {
  const enrichers: Enricher[] = [];
  if (settings.geoip.enabled) {
    const missing: GeoDatabaseMissingError[] = [];
    const sources = {
      city: installed(() => citySource(settings.geoip.cityDatabase), missing),
      asn: installed(() => asnSource(settings.geoip.asnDatabase), missing),
    };
    // GeoIP is optional: packages that are not installed are worth a warning, not a failure.
    if (missing[0] !== undefined) deps.logger.warn(missing[0].message);
    if (sources.city !== undefined || sources.asn !== undefined) enrichers.push(createGeoIpEnricher(await openGeoLocator(sources)));
  }
  if (settings.userAgent.enabled) enrichers.push(createUserAgentEnricher());
  let appNames: AppNameDirectory | undefined;
  if (settings.appNames.enabled) {
    const store = settings.appNames.cachePath === undefined ? undefined : openAppNameStore(settings.appNames.cachePath);
    appNames = createAppNameDirectory({
      graphTenants: deps.graphTenants ?? [],
      ...(store ? { store } : {}),
      ttlMs: settings.appNames.ttlMs,
      logger: deps.logger,
    });
    enrichers.push(createAppNameEnricher(appNames));
  }
  return {
    enrichers,
    tenantNames: settings.tenantNames,
    ...(appNames ? { appNames } : {}),
    close: async (options) => appNames?.close(options),
  };
}

function installed<T extends CitySource | AsnSource>(source: () => T, missing: GeoDatabaseMissingError[]): T | undefined {
  try {
    return source();
  } catch (error) {
    if (!(error instanceof GeoDatabaseMissingError)) throw error;
    missing.push(error);
    return undefined;
  }
}
