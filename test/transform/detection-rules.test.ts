// Elastic Security's prebuilt Microsoft 365 rules (elastic/detection-rules, rules/integrations/o365)
// run against o365-elk's documents: each rule's KQL query, evaluated over the document the collector's
// transform and enrichers make from a record built to trigger it, must match; and no rule may match an
// unrelated record. The queries are in fixtures/o365-detection-rules.json, the records in
// fixtures/o365-rule-triggers.json; the GeoIP databases are written here, MaxMind-shaped.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEnrichment } from '../../src/transform/enrich/index.js';
import { createTransformer, type Transformer } from '../../src/transform/index.js';
import { captureLogger } from '../source/support/servers.js';
import { writeMmdb } from '../enrich/support/mmdb-writer.js';
import { matchesKql, parseKql, type KqlNode } from '../support/kql.js';

interface DetectionRule {
  rule_id: string;
  name: string;
  query: string;
}
interface RuleFixture {
  rules: DetectionRule[];
  not_evaluated: Array<{ rule_id: string; name: string; language: string; reason: string }>;
}
interface TriggerFixture {
  triggers: Record<string, Record<string, unknown>>;
  unrelated: Record<string, unknown>;
}

const FIXTURES = new URL('./fixtures/', import.meta.url);
const RULES = JSON.parse(readFileSync(new URL('o365-detection-rules.json', FIXTURES), 'utf8')) as RuleFixture;
const TRIGGERS = JSON.parse(readFileSync(new URL('o365-rule-triggers.json', FIXTURES), 'utf8')) as TriggerFixture;
// o365.audit is one flattened (Elasticsearch) or flat_object (OpenSearch) field in the index template.
const KQL_OPTIONS = { flattenedPrefixes: ['o365.audit'] };

const CONTENT_TYPE_BY_WORKLOAD: Record<string, string> = {
  AzureActiveDirectory: 'Audit.AzureActiveDirectory',
  Exchange: 'Audit.Exchange',
  SharePoint: 'Audit.SharePoint',
  OneDrive: 'Audit.SharePoint',
};

describe("Elastic's prebuilt Microsoft 365 detection rules over o365-elk documents", () => {
  let directory: string;
  let transformer: Transformer;
  const documentOf = (record: Record<string, unknown>) =>
    transformer.transform(record, {
      tenantId: String(record.OrganizationId),
      contentType: CONTENT_TYPE_BY_WORKLOAD[String(record.Workload)] ?? 'Audit.General',
    }).source;

  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'o365-elk-rules-'));
    writeMmdb(join(directory, 'city.mmdb'), 'GeoIP2-City', [
      {
        network: '81.2.69.0/24',
        data: {
          city: { names: { en: 'London' } },
          continent: { code: 'EU', names: { en: 'Europe' } },
          country: { iso_code: 'GB', names: { en: 'United Kingdom' } },
          location: { latitude: 51.5142, longitude: -0.0931, time_zone: 'Europe/London' },
          subdivisions: [{ iso_code: 'ENG', names: { en: 'England' } }],
        },
      },
    ]);
    writeMmdb(join(directory, 'asn.mmdb'), 'GeoLite2-ASN', [{ network: '81.2.69.0/24', data: { autonomous_system_number: 64500, autonomous_system_organization: 'Example Networks' } }]);
    const enrichment = await createEnrichment(
      {
        geoip: { enabled: true, cityDatabase: join(directory, 'city.mmdb'), asnDatabase: join(directory, 'asn.mmdb') },
        userAgent: { enabled: true },
        appNames: { enabled: false, ttlMs: 0 },
        tenantNames: {},
      },
      { logger: captureLogger().logger },
    );
    transformer = createTransformer({ enrichers: enrichment.enrichers, tenantNames: enrichment.tenantNames });
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('has a triggering record for every KQL rule, and names why the others are not evaluated', () => {
    assert.deepEqual(Object.keys(TRIGGERS.triggers).sort(), RULES.rules.map((rule) => rule.rule_id).sort());
    assert.ok(RULES.rules.length >= 40, `${RULES.rules.length} KQL rules`);
    for (const skipped of RULES.not_evaluated) assert.match(skipped.reason, /^(eql|esql) query/, skipped.name);
  });

  for (const rule of RULES.rules) {
    it(`${rule.name} (${rule.rule_id}) matches the record built to trigger it`, () => {
      const doc = documentOf(TRIGGERS.triggers[rule.rule_id] as Record<string, unknown>);
      assert.ok(matchesKql(rule.query, doc, KQL_OPTIONS), `the rule does not match:\n${JSON.stringify(doc, null, 1)}`);
    });
  }

  it('no rule matches an unrelated record (a file opened in OneDrive from a browser)', () => {
    const doc = documentOf(TRIGGERS.unrelated);
    const parsed: Array<[DetectionRule, KqlNode]> = RULES.rules.map((rule) => [rule, parseKql(rule.query)]);
    assert.deepEqual(
      parsed.filter(([, query]) => matchesKql(query, doc, KQL_OPTIONS)).map(([rule]) => rule.name),
      [],
    );
  });
});
