import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFaults } from '../../src/emulator/faults.js';
import { CONTENT_TYPES } from '../../src/emulator/types.js';
import { allBlobs, catalogOf, DAY, HOUR, START, tenants } from './catalog-fixtures.js';

describe('catalog timeline and listings', () => {
  it('is a pure function of its options: same seed, same listings and bodies; another seed, other data', () => {
    const options = { faultSpec: 'hostile', liveEventsPerMinute: 20 };
    const now = START + 2 * HOUR;
    const serialise = (catalog: ReturnType<typeof catalogOf>): string =>
      JSON.stringify(allBlobs(catalog, now).map((blob) => [blob, catalog.records(blob)]));
    const first = serialise(catalogOf(options));
    assert.equal(serialise(catalogOf(options)), first);
    assert.notEqual(serialise(catalogOf({ ...options, seed: 8 })), first);
  });

  it('publishes exactly the requested events, every stream with at least one blob, blobs of varied size', () => {
    const catalog = catalogOf({ events: 20_000 });
    let total = 0;
    const sizes: number[] = [];
    for (const tenant of catalog.tenants) {
      for (const type of CONTENT_TYPES) {
        const blobs = catalog.listBlobs(tenant.tenantId, type, -Infinity, Infinity, START);
        assert.ok(blobs.length > 0, `${type} of ${tenant.domain} has no blob`);
        for (const blob of blobs) sizes.push(catalog.records(blob).length);
      }
    }
    for (const size of sizes) total += size;
    assert.equal(total, 20_000);
    assert.equal(Math.min(...sizes) < 10, true, 'some blobs are small');
    assert.equal(Math.max(...sizes) > 150, true, 'some blobs are large');
  });

  it('splits events across content types roughly 35/25/25/10/5 %', () => {
    const catalog = catalogOf({ events: 20_000 });
    const expected = { 'Audit.AzureActiveDirectory': 0.35, 'Audit.Exchange': 0.25, 'Audit.SharePoint': 0.25, 'Audit.General': 0.1, 'DLP.All': 0.05 };
    for (const type of CONTENT_TYPES) {
      const count = catalog.tenants
        .flatMap((tenant) => catalog.listBlobs(tenant.tenantId, type, -Infinity, Infinity, START))
        .reduce((sum, blob) => sum + catalog.records(blob).length, 0);
      assert.equal(count, 20_000 * expected[type], type);
    }
  });

  it('spreads blobs over [start − days + 1 h, start] and expires each 7 days after creation', () => {
    const blobs = allBlobs(catalogOf({ days: 3 }), START);
    for (const blob of blobs) {
      assert.ok(blob.contentCreated >= START - 3 * DAY + HOUR && blob.contentCreated <= START, blob.contentId);
      assert.equal(blob.contentExpiration, blob.contentCreated + 7 * DAY);
    }
    const earliest = Math.min(...blobs.map((blob) => blob.contentCreated));
    assert.ok(earliest < START - 2 * DAY, 'blobs reach back across the whole span');
  });

  it('lists blobs with start <= contentCreated < end, in order of visibility', () => {
    const catalog = catalogOf({ events: 20_000, faultSpec: 'late_rate=0.3,late_max_ms=21600000' });
    const tenantId = catalog.tenants[0]?.tenantId ?? '';
    const everything = catalog.listBlobs(tenantId, 'Audit.Exchange', -Infinity, Infinity, START + DAY);
    const byCreation = [...everything].sort((a, b) => a.contentCreated - b.contentCreated);
    const from = byCreation[3];
    const to = byCreation[9];
    assert.ok(from && to && from.contentCreated < to.contentCreated);
    const window = catalog.listBlobs(tenantId, 'Audit.Exchange', from.contentCreated, to.contentCreated, START + DAY);
    assert.deepEqual(
      window.map((blob) => blob.contentId).sort(),
      byCreation.slice(3, 9).map((blob) => blob.contentId).sort(),
      'the start is inclusive, the end exclusive',
    );
    for (let i = 1; i < everything.length; i++) {
      assert.ok((everything[i - 1]?.visibleAt ?? 0) <= (everything[i]?.visibleAt ?? 0), 'ordered by visibleAt');
    }
  });

  it('lists a late blob only once the clock has passed its visibleAt, so a re-listed window finds it', () => {
    const catalog = catalogOf({ faultSpec: 'late_rate=0.5,late_max_ms=21600000' });
    const late = allBlobs(catalog, START + DAY).find((blob) => blob.visibleAt > blob.contentCreated + HOUR);
    assert.ok(late, 'some blob is listed late');
    const list = (now: number) =>
      catalog.listBlobs(late.tenantId, late.contentType, late.contentCreated, late.contentCreated + 1, now).map((blob) => blob.contentId);
    assert.deepEqual(list(late.contentCreated), []);
    assert.deepEqual(list(late.visibleAt - 1), []);
    assert.deepEqual(list(late.visibleAt), [late.contentId]);
  });

  it('finds every blob by its contentId, and nothing by a malformed or foreign one', () => {
    const catalog = catalogOf({ liveEventsPerMinute: 30 });
    const blobs = allBlobs(catalog, START + 3 * HOUR);
    for (const blob of blobs) {
      assert.match(blob.contentId, /^(\d{23})\$\1\$(audit_[a-z]+\$Audit_[A-Za-z]+|dlp_all\$DLP_All)\$[a-z]{4}\d{4}$/);
      assert.deepEqual(catalog.findBlob(blob.tenantId, blob.contentId), blob);
    }
    assert.equal(new Set(blobs.map((blob) => `${blob.tenantId} ${blob.contentId}`)).size, blobs.length, 'contentIds are unique');
    const [one] = blobs;
    assert.ok(one);
    const otherTenant = catalog.tenants.find((tenant) => tenant.tenantId !== one.tenantId)?.tenantId ?? '';
    assert.equal(catalog.findBlob(otherTenant, one.contentId), undefined);
    assert.equal(catalog.findBlob(one.tenantId, one.contentId.replace(/\d{4}$/, '9999')), undefined);
    assert.equal(catalog.findBlob(one.tenantId, 'not-a-content-id'), undefined);
  });

  it('keeps publishing after start when live content is on, and only as the clock reaches it', () => {
    const catalog = catalogOf({ liveEventsPerMinute: 60 });
    const tenantId = catalog.tenants[0]?.tenantId ?? '';
    const afterStart = (now: number) =>
      CONTENT_TYPES.flatMap((type) => catalog.listBlobs(tenantId, type, START + 1, START + 30 * DAY, now));
    assert.deepEqual(afterStart(START), []);
    const inOneHour = afterStart(START + HOUR);
    assert.ok(inOneHour.length > 0);
    assert.ok(inOneHour.every((blob) => blob.contentCreated > START && blob.visibleAt <= START + HOUR));
    const inTwoHours = afterStart(START + 2 * HOUR);
    assert.ok(inTwoHours.length > inOneHour.length);
    // Half of 60 events per minute for one of two tenants, over the first hour.
    const records = inOneHour.reduce((sum, blob) => sum + catalog.records(blob).length, 0);
    assert.ok(records > 1200 && records < 2400, `about 1800 live records in an hour, got ${records}`);
    const weekLater = START + 8 * DAY;
    const recent = afterStart(weekLater).filter((blob) => blob.contentCreated > weekLater - HOUR);
    assert.ok(recent.length > 0, 'still publishing a week later');
  });

  it('publishes nothing after start without live content', () => {
    const catalog = catalogOf();
    assert.deepEqual(allBlobs(catalog, START + 5 * DAY).filter((blob) => blob.contentCreated > START), []);
  });

  it('marks a deterministic share of blobs lost by fault', () => {
    const catalog = catalogOf({ events: 20_000, faultSpec: 'expired_rate=0.2' });
    const blobs = allBlobs(catalog, START);
    const lost = blobs.filter((blob) => catalog.isLostByFault(blob));
    assert.ok(lost.length > blobs.length * 0.1 && lost.length < blobs.length * 0.3, `${lost.length} of ${blobs.length}`);
    const again = catalogOf({ events: 20_000, faultSpec: 'expired_rate=0.2' });
    assert.deepEqual(
      allBlobs(again, START).filter((blob) => again.isLostByFault(blob)).map((blob) => blob.contentId),
      lost.map((blob) => blob.contentId),
    );
  });

  it('rejects impossible options with a one-line reason', () => {
    const base = { seed: 1, tenants: tenants(), events: 10, days: 7, startTime: START, faults: parseFaults('none') };
    assert.throws(() => catalogOf({ ...base, days: 8 }), /days must be more than 0 and at most 7/);
    assert.throws(() => catalogOf({ ...base, events: -1 }), /events must be a whole number/);
    assert.throws(() => catalogOf({ ...base, tenants: [] }), /at least one tenant/);
  });
});
