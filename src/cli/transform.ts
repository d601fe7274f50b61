// `o365-elk transform`: raw audit records on stdin (a JSON array, NDJSON records or NDJSON arrays) →
// enriched ECS documents as NDJSON on stdout, through the same mapping and enrichers as the collector.
// Without -c it needs no configuration and asks no service: GeoIP, user agents, the built-in table of
// Microsoft applications. With -c it takes the enrich settings and, unless --no-graph, the tenants'
// Graph access for application names.
import type { Writable } from 'node:stream';
import { Command } from 'commander';
import type { Config } from '../config/index.js';
import { managementClientOptions } from '../runtime/tenant-client.js';
import {
  connectGraphTenant,
  createEnrichment,
  DEFAULT_APP_NAME_TTL_MS,
  enrichmentSettingsFromConfig,
  type ConnectedGraphTenant,
  type EnrichmentSettings,
} from '../transform/enrich/index.js';
import { createTransformer } from '../transform/index.js';
import { createLogger, type Logger } from '../util/logger.js';
import { commandLogger, loadCommandConfig, withConfigOptions, type ConfigOptions } from './collect.js';
import { EXIT_OK, EXIT_PARTIAL, reportFatal } from './fatal.js';
import { readAuditRecords } from './transform-input.js';

interface TransformOptions extends ConfigOptions {
  geoipCity?: string;
  geoipAsn?: string;
  geoip: boolean;
  graph: boolean;
  keepOriginal?: boolean;
}

// A batch tool's next run should find the names this run asked for, so it waits a little for them.
const LOOKUP_WAIT_MS = 10_000;

export function transformCommand(): Command {
  return withConfigOptions(new Command('transform'))
    .description('map raw audit records on stdin (a JSON array, NDJSON records or NDJSON arrays) to enriched ECS documents, NDJSON on stdout')
    .option('--geoip-city <file>', 'city database (.mmdb, e.g. GeoLite2-City.mmdb) instead of the DB-IP Lite one')
    .option('--geoip-asn <file>', 'ASN database (.mmdb, e.g. GeoLite2-ASN.mmdb) instead of the packaged ASN table')
    .option('--no-geoip', 'add no source.geo / source.as')
    .option('--no-graph', 'ask Microsoft Graph for no application names (always so without -c)')
    .option('--keep-original', "also keep each record's JSON text in event.original")
    .action(async (options: TransformOptions) => {
      try {
        process.exit(await transform(options, process.stdin, process.stdout));
      } catch (error) {
        reportFatal(error);
      }
    });
}

async function transform(options: TransformOptions, input: AsyncIterable<Uint8Array>, output: Writable): Promise<number> {
  const config = options.config !== undefined || options.E.length > 0 ? loadCommandConfig(options) : undefined;
  const logger = config ? commandLogger(config) : createLogger({ level: 'info', json: 'auto' });
  const graphTenants = config && options.graph ? connectGraphTenants(config, logger) : [];
  try {
    const enrichment = await createEnrichment(settingsFor(options, config), { logger, graphTenants });
    const transformer = createTransformer({ enrichers: enrichment.enrichers, tenantNames: enrichment.tenantNames, keepOriginal: options.keepOriginal === true });
    let problems = 0;
    let records = 0;
    try {
      const batches = readAuditRecords(input, ({ line, message }) => {
        problems += 1;
        process.stderr.write(`line ${line}: ${message}\n`);
      });
      for await (const batch of batches) {
        const text = batch.map((record) => `${JSON.stringify(transformer.transform(record, { tenantId: '', contentType: '' }).source)}\n`).join('');
        records += batch.length;
        if (!output.write(text)) await new Promise((resolve) => output.once('drain', resolve));
      }
      // process.exit does not wait for a pipe to take what is still buffered.
      await new Promise<void>((resolve) => output.write('', () => resolve()));
    } finally {
      await enrichment.close({ waitMs: LOOKUP_WAIT_MS });
    }
    logger.info({ records, problems }, problems === 0 ? 'transform complete' : 'transform complete; some input lines could not be read');
    return problems === 0 ? EXIT_OK : EXIT_PARTIAL;
  } finally {
    await Promise.all(graphTenants.map((tenant) => tenant.close()));
  }
}

function settingsFor(options: TransformOptions, config: Config | undefined): EnrichmentSettings {
  const base: EnrichmentSettings = config
    ? enrichmentSettingsFromConfig(config)
    : { geoip: { enabled: true }, userAgent: { enabled: true }, appNames: { enabled: true, ttlMs: DEFAULT_APP_NAME_TTL_MS }, tenantNames: {} };
  const geoip = { ...base.geoip, enabled: options.geoip && base.geoip.enabled };
  if (options.geoipCity !== undefined) geoip.cityDatabase = options.geoipCity;
  if (options.geoipAsn !== undefined) geoip.asnDatabase = options.geoipAsn;
  return { ...base, geoip };
}

function connectGraphTenants(config: Config, logger: Logger): ConnectedGraphTenant[] {
  return config.tenants.map((tenant, index) =>
    connectGraphTenant({ ...managementClientOptions(tenant, config.api), graphUrl: tenant.graph_url }, { logger, configPath: `tenants[${index}]` }),
  );
}
