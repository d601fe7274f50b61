// GeoIP through the whole transform, on the real databases: DB-IP Lite city and the RouteViews/DB-IP
// ASN table as installed from npm, and a user's own MaxMind-format database taking precedence.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEnrichment, PRIVATE_IP_TAG, type EnrichmentSettings } from '../../src/transform/enrich/index.js';
import { read } from '../../src/transform/fields.js';
import { createTransformer, type Transformer } from '../../src/transform/index.js';
import { captureLogger } from '../source/support/servers.js';
import { writeMmdb } from './support/mmdb-writer.js';

const TENANT = 'b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd';
const GEOIP_ONLY: EnrichmentSettings = {
  geoip: { enabled: true },
  userAgent: { enabled: false },
  appNames: { enabled: false, ttlMs: 0 },
  tenantNames: {},
};

function signIn(clientIp: string): Record<string, unknown> {
  return {
    Id: '6f1c8a3e-2d4b-4c5a-9e7f-0a1b2c3d4e5f',
    CreationTime: '2026-03-01T10:00:00',
    RecordType: 15,
    Operation: 'UserLoggedIn',
    OrganizationId: TENANT,
    UserId: 'adele@contoso.com',
    ClientIP: clientIp,
  };
}

async function geoTransformer(settings: EnrichmentSettings): Promise<Transformer> {
  const enrichment = await createEnrichment(settings, { logger: captureLogger().logger });
  return createTransformer({ enrichers: enrichment.enrichers });
}

describe('GeoIP on the packaged databases (DB-IP Lite city, RouteViews/DB-IP ASN)', () => {
  let transformer: Transformer;
  const located = (clientIp: string) => transformer.transform(signIn(clientIp), { tenantId: TENANT, contentType: 'Audit.AzureActiveDirectory' }).source;

  before(async () => {
    transformer = await geoTransformer(GEOIP_ONLY);
  });

  it('locates a public IPv4 address: country, city, region, coordinates and AS', () => {
    const doc = located('8.8.8.8');
    assert.deepEqual(read(doc, 'source.geo'), {
      city_name: 'Mountain View',
      region_name: 'California',
      region_iso_code: 'US-CA',
      country_iso_code: 'US',
      country_name: 'United States',
      continent_name: 'North America',
      location: { lat: 37.422, lon: -122.085 },
    });
    assert.deepEqual(read(doc, 'source.as'), { number: 15169, organization: { name: 'Google LLC' } });
    assert.deepEqual(read(doc, 'client.geo'), read(doc, 'source.geo'));
    assert.deepEqual(read(doc, 'client.as'), read(doc, 'source.as'));
    assert.equal(read(doc, 'tags'), undefined);
  });

  it('places addresses in Britain, Japan, Brazil and Germany, IPv4 and IPv6', () => {
    const expected: Array<[string, string, string]> = [
      ['81.2.69.143', 'GB', 'London'],
      ['133.242.0.1', 'JP', 'Chiyoda City'],
      ['200.147.67.142', 'BR', 'Rio de Janeiro'],
      ['193.99.144.80', 'DE', 'Hanover (Buchholz-Kleefeld)'],
      ['2001:200::1', 'JP', 'Fujisawa'],
      ['2001:12ff::1', 'BR', 'Sao Paulo'],
      ['2a00:1450:4001::1', 'DE', 'Frankfurt am Main'],
    ];
    for (const [ip, country, city] of expected) {
      const doc = located(ip);
      assert.equal(read(doc, 'source.geo.country_iso_code'), country, ip);
      assert.equal(read(doc, 'source.geo.city_name'), city, ip);
    }
    assert.equal(read(located('2001:200::1'), 'source.geo.country_name'), 'Japan');
  });

  it('locates the address in ip:port, [IPv6]:port and ::ffff:IPv4 forms', () => {
    const withPort = located('79.159.10.151:12345');
    assert.equal(read(withPort, 'source.port'), 12345);
    assert.equal(read(withPort, 'source.geo.country_iso_code'), 'ES');
    assert.equal(read(withPort, 'source.as.number'), 3352);

    const bracketed = located('[2a00:1450:4001::1]:443');
    assert.equal(read(bracketed, 'source.ip'), '2a00:1450:4001::1');
    assert.equal(read(bracketed, 'source.geo.city_name'), 'Frankfurt am Main');
    assert.deepEqual(read(bracketed, 'source.as'), { number: 15169, organization: { name: 'Google LLC' } });

    const mapped = located('::ffff:81.2.69.143');
    assert.equal(read(mapped, 'source.ip'), '81.2.69.143');
    assert.equal(read(mapped, 'source.geo.city_name'), 'London');
    assert.equal(read(mapped, 'source.as.organization.name'), 'Andrews & Arnold Ltd');
  });

  it('takes the AS from the right side of a range boundary', () => {
    assert.equal(read(located('2001:200:1b9:ffff:ffff:ffff:ffff:ffff'), 'source.as.number'), 2500);
    assert.equal(read(located('2001:200:1ba::'), 'source.as.number'), 24047);
    assert.equal(read(located('2001:200:1ba::'), 'source.as.organization.name'), 'Internet Systems Consortium, Inc.');
  });

  it('does not locate private, loopback, link-local, CGNAT and documentation addresses, and tags them', () => {
    for (const ip of ['10.1.2.3', '192.168.0.10', '172.20.1.1', '100.64.12.1', '127.0.0.1', '169.254.7.7', '192.0.2.55', '::1', 'fe80::1', 'fd12:3456::1', '2001:db8::7', '[fd00::1]:8443']) {
      const doc = located(ip);
      assert.equal(read(doc, 'source.geo'), undefined, ip);
      assert.equal(read(doc, 'source.as'), undefined, ip);
      assert.equal(read(doc, 'client.geo'), undefined, ip);
      assert.deepEqual(read(doc, 'tags'), [PRIVATE_IP_TAG], ip);
      assert.equal(read(doc, 'error.message'), undefined, ip);
    }
  });

  it('gives each document its own geo objects', () => {
    const first = located('8.8.8.8');
    (read(first, 'source.geo.location') as { lat: number }).lat = 0;
    assert.equal(read(located('8.8.8.8'), 'source.geo.location.lat'), 37.422);
  });
});

describe('GeoIP on databases the user names', () => {
  let directory: string;
  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'o365-elk-geoip-'));
    writeMmdb(join(directory, 'city.mmdb'), 'GeoIP2-City', [
      {
        network: '81.2.69.0/24',
        data: {
          city: { names: { en: 'London', de: 'London' } },
          continent: { code: 'EU', names: { en: 'Europe' } },
          country: { iso_code: 'GB', names: { en: 'United Kingdom' } },
          location: { latitude: 51.5142, longitude: -0.0931, time_zone: 'Europe/London' },
          subdivisions: [{ iso_code: 'ENG', names: { en: 'England' } }],
        },
      },
      { network: '2a02:ec80::/29', data: { country: { iso_code: 'DE', names: { en: 'Germany' } }, continent: { code: 'EU', names: { en: 'Europe' } } } },
    ]);
    writeMmdb(join(directory, 'asn.mmdb'), 'GeoLite2-ASN', [
      { network: '81.2.69.0/24', data: { autonomous_system_number: 64500, autonomous_system_organization: 'Example AS from the user database' } },
    ]);
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('reads MaxMind-shaped records, and the user’s databases win over the packaged ones', async () => {
    const transformer = await geoTransformer({ ...GEOIP_ONLY, geoip: { enabled: true, cityDatabase: join(directory, 'city.mmdb'), asnDatabase: join(directory, 'asn.mmdb') } });
    const context = { tenantId: TENANT, contentType: 'Audit.AzureActiveDirectory' };
    const london = transformer.transform(signIn('81.2.69.143:5000'), context).source;
    assert.deepEqual(read(london, 'source.geo'), {
      city_name: 'London',
      region_name: 'England',
      region_iso_code: 'GB-ENG',
      country_iso_code: 'GB',
      country_name: 'United Kingdom',
      continent_code: 'EU',
      continent_name: 'Europe',
      timezone: 'Europe/London',
      location: { lat: 51.5142, lon: -0.0931 },
    });
    assert.deepEqual(read(london, 'source.as'), { number: 64500, organization: { name: 'Example AS from the user database' } });

    const germany = transformer.transform(signIn('2a02:ec80:1::9'), context).source;
    assert.deepEqual(read(germany, 'source.geo'), { country_iso_code: 'DE', country_name: 'Germany', continent_code: 'EU', continent_name: 'Europe' });
    // Not in the user's databases: nothing, rather than an answer from another database.
    const google = transformer.transform(signIn('8.8.8.8'), context).source;
    assert.equal(read(google, 'source.geo'), undefined);
    assert.equal(read(google, 'source.as'), undefined);
  });

  it('refuses, in one line naming the setting, a database it cannot open', async () => {
    const notADatabase = join(directory, 'not-a-database.mmdb');
    writeFileSync(notADatabase, 'hello');
    for (const cityDatabase of [join(directory, 'missing.mmdb'), notADatabase]) {
      await assert.rejects(geoTransformer({ ...GEOIP_ONLY, geoip: { enabled: true, cityDatabase } }), (error: Error) => {
        assert.match(error.message, /^cannot open the GeoIP city database .*city_database, or set enrich\.geoip\.enabled=false$/);
        assert.ok(error.message.includes(cityDatabase));
        assert.ok(!error.message.includes('\n'));
        return true;
      });
    }
  });
});
