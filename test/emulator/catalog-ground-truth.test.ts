import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groundTruth } from '../../src/emulator/catalog/index.js';
import type { AuditRecord, BlobRef, Catalog } from '../../src/emulator/types.js';
import { allBlobs, catalogOf, DAY, HOUR, START } from './catalog-fixtures.js';

const HOSTILE = 'hostile,expired_rate=0.15,unauthorized=DLP.All';

/** What a perfect client computes from the API surface: records of blobs it may fetch, deduplicated by Id. */
function fetchable(catalog: Catalog, blob: BlobRef, now: number, unauthorized: readonly string[]): boolean {
  return blob.contentExpiration > now && !catalog.isLostByFault(blob) && !unauthorized.includes(blob.contentType);
}

function byId(records: Iterable<AuditRecord>): Map<string, AuditRecord> {
  const map = new Map<string, AuditRecord>();
  for (const record of records) {
    assert.ok(!map.has(record.Id), `ground truth yields ${record.Id} once`);
    map.set(record.Id, record);
  }
  return map;
}

function union(catalog: Catalog, blobs: readonly BlobRef[]): Map<string, AuditRecord> {
  const map = new Map<string, AuditRecord>();
  for (const blob of blobs) for (const record of catalog.records(blob)) map.set(record.Id, record);
  return map;
}

describe('catalog ground truth', () => {
  it('is the union of the records of every obtainable blob, once per Id, despite duplicates', () => {
    const catalog = catalogOf({ faultSpec: HOSTILE, liveEventsPerMinute: 10 });
    const now = START + 6 * HOUR;
    const blobs = allBlobs(catalog, now);
    const served = blobs.reduce((sum, blob) => sum + catalog.records(blob).length, 0);
    const expected = union(catalog, blobs.filter((blob) => fetchable(catalog, blob, now, ['DLP.All'])));
    assert.ok(served > expected.size, 'blobs repeat records');
    assert.deepEqual(byId(groundTruth(catalog, now, 'obtainable')), expected);
  });

  it('lists as lost exactly the published records that no obtainable blob holds', () => {
    const catalog = catalogOf({ faultSpec: HOSTILE });
    const now = START + HOUR;
    const blobs = allBlobs(catalog, now);
    const obtainable = union(catalog, blobs.filter((blob) => fetchable(catalog, blob, now, ['DLP.All'])));
    const published = union(catalog, blobs);
    const lost = byId(groundTruth(catalog, now, 'lost'));
    assert.ok(lost.size > 0);
    assert.deepEqual([...lost.keys()].sort(), [...published.keys()].filter((id) => !obtainable.has(id)).sort());
    assert.ok([...lost.values()].some((record) => record.Workload === 'Exchange' && record.PolicyDetails), 'unreadable DLP content is lost');
  });

  it('counts every event once when no fault interferes', () => {
    const catalog = catalogOf({ events: 5000 });
    assert.equal(byId(groundTruth(catalog, START, 'obtainable')).size, 5000);
    assert.equal([...groundTruth(catalog, START, 'lost')].length, 0);
  });

  it('keeps a record repeated in the next blob obtainable when its own blob is lost', () => {
    const catalog = catalogOf({ faultSpec: 'cross_duplicate_rate=0.3,expired_rate=0.3' });
    const holders = new Map<string, BlobRef[]>();
    for (const blob of allBlobs(catalog, START)) {
      for (const record of catalog.records(blob)) holders.set(record.Id, [...(holders.get(record.Id) ?? []), blob]);
    }
    const truth = byId(groundTruth(catalog, START, 'obtainable'));
    const rescued = [...holders].filter(
      ([, blobs]) => blobs.some((blob) => catalog.isLostByFault(blob)) && blobs.some((blob) => !catalog.isLostByFault(blob)),
    );
    assert.ok(rescued.length > 0, 'some records of lost blobs were repeated in a neighbour');
    for (const [id] of rescued) assert.ok(truth.has(id), `${id} is obtainable from the neighbour`);
  });

  it('drops blobs from the truth once they expire', () => {
    const catalog = catalogOf();
    const early = byId(groundTruth(catalog, START, 'obtainable'));
    const later = START + 4 * DAY;
    const remaining = byId(groundTruth(catalog, later, 'obtainable'));
    assert.ok(remaining.size > 0 && remaining.size < early.size);
    const stillServed = union(catalog, allBlobs(catalog, later).filter((blob) => blob.contentExpiration > later));
    assert.deepEqual([...remaining.keys()].sort(), [...stillServed.keys()].sort());
    assert.equal(byId(groundTruth(catalog, START + 8 * DAY, 'obtainable')).size, 0);
    assert.equal(byId(groundTruth(catalog, START + 8 * DAY, 'lost')).size, early.size, 'expired records count as lost');
  });

  it('grows with live content as the clock advances', () => {
    const catalog = catalogOf({ liveEventsPerMinute: 30 });
    const atStart = byId(groundTruth(catalog, START, 'obtainable')).size;
    const hourLater = byId(groundTruth(catalog, START + HOUR, 'obtainable')).size;
    assert.equal(atStart, 3000);
    assert.ok(hourLater > atStart + 1000, `${hourLater - atStart} live records after an hour`);
  });
});
