// What the caller controls: event.original, tenant names, enrichers; and what the context supplies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTransformer, type Enricher } from '../../src/transform/index.js';
import { at, blobRecords } from './support.js';

const signIn = blobRecords('aad')[0] as Record<string, unknown>;
const TENANT = 'b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd';
const context = { tenantId: TENANT, contentType: 'Audit.AzureActiveDirectory' };

describe('keepOriginal', () => {
  it('adds the record as received, as JSON text, to event.original', () => {
    const source = createTransformer({ keepOriginal: true }).transform(signIn, context).source;
    assert.equal(at(source, 'event.original'), JSON.stringify(signIn));
    assert.deepEqual(JSON.parse(String(at(source, 'event.original'))), signIn);
  });

  it('is off by default', () => {
    assert.equal(at(createTransformer().transform(signIn, context).source, 'event.original'), undefined);
  });

  it('writes a record JSON cannot encode as its JSON-safe copy', () => {
    const source = createTransformer({ keepOriginal: true }).transform({ ...signIn, Big: 5n }, context).source;
    assert.equal(JSON.parse(String(at(source, 'event.original'))).Big, '5');
  });
});

describe('organization', () => {
  it('takes the name configured for the tenant, whatever the case of its id', () => {
    const transformer = createTransformer({ tenantNames: { [TENANT.toUpperCase()]: 'Test SIEM' } });
    const source = transformer.transform(signIn, { ...context, tenantName: 'ignored' }).source;
    assert.deepEqual(at(source, 'organization'), { id: TENANT, name: 'Test SIEM' });
  });

  it("falls back to the context's tenant name, but only for the context's tenant", () => {
    const transformer = createTransformer();
    assert.equal(at(transformer.transform(signIn, { ...context, tenantName: 'From context' }).source, 'organization.name'), 'From context');
    const foreign = { ...signIn, OrganizationId: '00000000-0000-4000-8000-000000000000' };
    assert.equal(at(transformer.transform(foreign, { ...context, tenantName: 'From context' }).source, 'organization.name'), undefined);
  });

  it("takes the context's tenant id when the record has no OrganizationId", () => {
    const { OrganizationId: _omitted, ...record } = signIn as Record<string, unknown>;
    assert.equal(at(createTransformer().transform(record, { ...context, tenantId: TENANT.toUpperCase() }).source, 'organization.id'), TENANT);
  });
});

describe('the context', () => {
  it('names the content type the record came from', () => {
    assert.equal(at(createTransformer().transform(signIn, context).source, 'o365.content_type'), 'Audit.AzureActiveDirectory');
  });
});

describe('enrichers', () => {
  it('run in order after the mapping, see the mapped document and the stored record, and may add fields', () => {
    const seen: string[] = [];
    const geo: Enricher = {
      enrich(doc, record) {
        seen.push(`geo:${(doc.source as { ip: string }).ip}:${String(record.Id)}`);
        (doc.source as Record<string, unknown>).geo = { country_iso_code: 'ES' };
      },
    };
    const agent: Enricher = {
      enrich(doc, record) {
        seen.push(`agent:${(record.ExtendedProperties as { UserAgent: string }).UserAgent.slice(0, 7)}`);
        (doc.user_agent as Record<string, unknown>).name = 'Firefox';
      },
    };
    const source = createTransformer({ enrichers: [geo, agent] }).transform(signIn, context).source;
    assert.deepEqual(seen, ['geo:83.57.233.151:ca0efc24-1b89-4962-8fef-a3ac5437302f', 'agent:Mozilla']);
    assert.deepEqual(at(source, 'source.geo'), { country_iso_code: 'ES' });
    assert.equal(at(source, 'user_agent.name'), 'Firefox');
    assert.equal(at(source, 'tags'), undefined);
  });

  it('a failing enricher is tagged and skipped; the others still run and the document is kept', () => {
    const failing: Enricher = {
      enrich() {
        throw new Error('GeoIP database missing');
      },
    };
    const marking: Enricher = {
      enrich(doc) {
        doc.labels = { enriched: 'yes' };
      },
    };
    const document = createTransformer({ enrichers: [failing, marking] }).transform(signIn, context);
    const source = document.source;
    assert.equal(document.id, signIn.Id);
    assert.deepEqual(at(source, 'tags'), ['o365_audit_enrichment_failed']);
    assert.equal(at(source, 'error.message'), 'an enricher failed: GeoIP database missing');
    assert.deepEqual(at(source, 'labels'), { enriched: 'yes' });
    assert.equal(at(source, 'event.outcome'), 'success');
  });
});
