// The enrichers the collector's transform runs, with what they need: GeoIP databases, and a Graph
// connection per tenant for application names (each closed with the enrichment).
import type { Config } from '../config/index.js';
import { connectGraphTenant, createEnrichment, enrichmentSettingsFromConfig, type Enrichment } from '../transform/enrich/index.js';
import type { Logger } from '../util/logger.js';
import { managementClientOptions } from './tenant-client.js';

export interface OpenedEnrichment extends Pick<Enrichment, 'enrichers' | 'tenantNames'> {
  close(): Promise<void>;
}

export async function openEnrichment(config: Config, logger: Logger): Promise<OpenedEnrichment> {
  const settings = enrichmentSettingsFromConfig(config);
  const graphTenants = settings.appNames.enabled
    ? config.tenants.map((tenant, index) =>
        connectGraphTenant({ ...managementClientOptions(tenant, config.api), graphUrl: tenant.graph_url }, { logger, configPath: `tenants[${index}]` }),
      )
    : [];
  const enrichment = await createEnrichment(settings, { logger, graphTenants });
  return {
    enrichers: enrichment.enrichers,
    tenantNames: enrichment.tenantNames,
    close: async () => {
      // Lookups still queued get a moment to land in the cache, so the next run starts with their names.
      await enrichment.close({ waitMs: 2000 });
      await Promise.all(graphTenants.map((tenant) => tenant.close()));
    },
  };
}
