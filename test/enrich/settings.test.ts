// The enrich settings as the configuration gives them, and tenant names reaching organization.name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEnrichment, DEFAULT_APP_NAME_TTL_MS, enrichmentSettingsFromConfig } from '../../src/transform/enrich/index.js';
import { read } from '../../src/transform/fields.js';
import { createTransformer } from '../../src/transform/index.js';
import { captureLogger } from '../source/support/servers.js';

const CONTOSO = '0e1dddce-163e-4b0b-9e33-87ba56ac4655';
const FABRIKAM = '74d25673-b01c-4211-a7c4-9930610fb7eb';
const PARTNER = '48622b8f-44d3-420c-b4a2-510c8165767e';

describe('enrich settings from the configuration', () => {
  it('turns everything on by default, with the name cache beside the ledger', () => {
    const settings = enrichmentSettingsFromConfig({ tenants: [{ tenant_id: CONTOSO }], state: { path: '/var/lib/o365-elk/o365-elk.db' } });
    assert.deepEqual(settings, {
      geoip: { enabled: true },
      userAgent: { enabled: true },
      appNames: { enabled: true, cachePath: '/var/lib/o365-elk/app-names.db', ttlMs: DEFAULT_APP_NAME_TTL_MS },
      tenantNames: {},
    });
  });

  it('takes every enrich key as given', () => {
    const settings = enrichmentSettingsFromConfig({
      tenants: [{ tenant_id: CONTOSO }],
      state: { path: '/data/state.db' },
      enrich: {
        geoip: { enabled: true, city_database: '/geo/GeoLite2-City.mmdb', asn_database: '/geo/GeoLite2-ASN.mmdb' },
        user_agent: { enabled: false },
        app_names: { enabled: false, cache_path: '/cache/names.db', ttl: 3_600_000 },
      },
    });
    assert.deepEqual(settings.geoip, { enabled: true, cityDatabase: '/geo/GeoLite2-City.mmdb', asnDatabase: '/geo/GeoLite2-ASN.mmdb' });
    assert.deepEqual(settings.userAgent, { enabled: false });
    assert.deepEqual(settings.appNames, { enabled: false, cachePath: '/cache/names.db', ttlMs: 3_600_000 });
  });

  it('names organisations from tenants[].name and enrich.tenant_names, the latter winning', async () => {
    const settings = enrichmentSettingsFromConfig({
      tenants: [
        { tenant_id: CONTOSO, name: 'Contoso' },
        { tenant_id: FABRIKAM, name: 'Fabrikam (old name)' },
      ],
      state: { path: '/data/state.db' },
      enrich: {
        geoip: { enabled: false },
        app_names: { enabled: false },
        tenant_names: { [FABRIKAM.toUpperCase()]: 'Fabrikam', [PARTNER]: 'Partner Org' },
      },
    });
    const enrichment = await createEnrichment(settings, { logger: captureLogger().logger });
    const transformer = createTransformer({ enrichers: enrichment.enrichers, tenantNames: enrichment.tenantNames });
    const nameOf = (tenantId: string) =>
      read(transformer.transform({ Id: 'x', CreationTime: '2026-03-01T10:00:00', OrganizationId: tenantId }, { tenantId: '', contentType: '' }).source, 'organization.name');
    assert.equal(nameOf(CONTOSO), 'Contoso');
    assert.equal(nameOf(FABRIKAM), 'Fabrikam');
    assert.equal(nameOf(PARTNER), 'Partner Org');
    assert.equal(nameOf('11111111-2222-3333-4444-555555555555'), undefined);
  });
});
