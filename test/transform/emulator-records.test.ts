// Everything the emulator serves (every content type, the operations it models) maps without a single
// problem: the emulator's records are the project's stand-in for a real tenant.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCatalog } from '../../src/emulator/catalog/index.js';
import { parseFaults } from '../../src/emulator/faults.js';
import { CONTENT_TYPES } from '../../src/emulator/types.js';
import { createTransformer } from '../../src/transform/index.js';
import { at, strings } from './support.js';

const DAY = 86_400_000;
const START = Date.UTC(2025, 2, 10);
const TENANT = '1d1eea54-34a2-4d54-93f8-1be7307db8cb';

describe('emulator records', () => {
  it('map cleanly, each classified, dated by its CreationTime and keyed by its Id', () => {
    const tenants = [{ tenantId: TENANT, domain: 'contoso.onmicrosoft.com', displayName: 'Contoso', apps: [], presubscribed: [...CONTENT_TYPES] }];
    const catalog = createCatalog({ seed: 11, tenants, events: 1500, days: 1, startTime: START, faults: parseFaults(undefined) });
    const transformer = createTransformer({ tenantNames: { [TENANT]: 'Contoso' } });
    const recordTypes = new Set<number>();
    let count = 0;
    for (const contentType of CONTENT_TYPES) {
      for (const blob of catalog.listBlobs(TENANT, contentType, START - 2 * DAY, START, START)) {
        for (const record of catalog.records(blob)) {
          const document = transformer.transform(record, { tenantId: TENANT, contentType, fallbackTimestamp: blob.contentCreated });
          const source = document.source as Record<string, unknown>;
          const label = `${String(record.RecordType)} ${String(record.Operation)}`;
          assert.equal(at(source, 'tags'), undefined, `${label}: ${JSON.stringify(at(source, 'error'))}`);
          assert.equal(document.id, record.Id);
          assert.equal(document.timestamp, Date.parse(`${String(record.CreationTime)}Z`));
          assert.ok(strings(source, 'event.category').length > 0 && strings(source, 'event.type').length > 0, label);
          assert.match(String(at(source, 'event.outcome')), /^(success|failure)$/, label);
          assert.equal(typeof at(source, 'event.code'), 'string', label);
          assert.equal(at(source, 'organization.name'), 'Contoso');
          if (record.Operation === 'UserLoginFailed') assert.equal(at(source, 'event.outcome'), 'failure', label);
          recordTypes.add(Number(record.RecordType));
          count++;
        }
      }
    }
    assert.ok(count >= 1000, `only ${count} records`);
    for (const recordType of [1, 2, 6, 8, 11, 13, 14, 15, 18, 22, 25, 40, 50]) assert.ok(recordTypes.has(recordType), `no record of type ${recordType}`);
  });
});
