// Small catalogs for the catalog tests.
import { createCatalog, type CatalogOptions } from '../../src/emulator/catalog/index.js';
import { parseFaults } from '../../src/emulator/faults.js';
import { stableGuid } from '../../src/emulator/random.js';
import { CONTENT_TYPES, type AuditRecord, type BlobRef, type Catalog, type EmulatedTenant } from '../../src/emulator/types.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const START = Date.UTC(2025, 2, 10, 12, 0, 0);

export function tenants(count = 2): EmulatedTenant[] {
  return Array.from({ length: count }, (_, i) => ({
    tenantId: stableGuid('catalog test tenant', i),
    domain: `tenant${i + 1}.onmicrosoft.com`,
    displayName: `Tenant ${i + 1}`,
    apps: [],
    presubscribed: [...CONTENT_TYPES],
  }));
}

export function catalogOf(options: Partial<CatalogOptions> & { faultSpec?: string } = {}): Catalog {
  const { faultSpec, ...rest } = options;
  return createCatalog({
    seed: 7,
    tenants: tenants(),
    events: 3000,
    days: 7,
    startTime: START,
    faults: parseFaults(faultSpec),
    ...rest,
  });
}

/** Every blob of every stream visible at `now`. */
export function allBlobs(catalog: Catalog, now: number): BlobRef[] {
  return catalog.tenants.flatMap((tenant) =>
    CONTENT_TYPES.flatMap((type) => catalog.listBlobs(tenant.tenantId, type, -Infinity, Infinity, now)),
  );
}

export function allRecords(catalog: Catalog, now: number): Array<{ blob: BlobRef; record: AuditRecord }> {
  return allBlobs(catalog, now).flatMap((blob) => catalog.records(blob).map((record) => ({ blob, record })));
}
