// Documents to write: the emulator's records through the real transform, and small hand-made ones.
import { createCatalog } from '../../../src/emulator/catalog/index.js';
import { parseFaults } from '../../../src/emulator/faults.js';
import { CONTENT_TYPES } from '../../../src/emulator/types.js';
import type { OutputDocument } from '../../../src/sinks/types.js';
import { createTransformer } from '../../../src/transform/index.js';

const DAY = 86_400_000;
const START = Date.UTC(2025, 2, 10);
const TENANT = '1d1eea54-34a2-4d54-93f8-1be7307db8cb';

/** Every emulated record of a small one-day backlog, all content types, as the pipeline would write them. */
export function emulatorDocuments(events: number, seed = 5): OutputDocument[] {
  const tenants = [{ tenantId: TENANT, domain: 'contoso.onmicrosoft.com', displayName: 'Contoso', apps: [], presubscribed: [...CONTENT_TYPES] }];
  const catalog = createCatalog({ seed, tenants, events, days: 1, startTime: START, faults: parseFaults(undefined) });
  const transformer = createTransformer();
  const seen = new Set<string>();
  const documents: OutputDocument[] = [];
  for (const contentType of CONTENT_TYPES) {
    for (const blob of catalog.listBlobs(TENANT, contentType, START - 2 * DAY, START, START)) {
      for (const record of catalog.records(blob)) {
        const document = transformer.transform(record, { tenantId: TENANT, contentType, fallbackTimestamp: blob.contentCreated });
        if (seen.has(document.id)) continue;
        seen.add(document.id);
        documents.push(document);
      }
    }
  }
  return documents;
}

/** A minimal ECS document for the record `id` created at `creationTime` (UTC, as the API writes it). */
export function auditDocument(id: string, creationTime: string, fields: Record<string, unknown> = {}): OutputDocument {
  const timestamp = Date.parse(`${creationTime}Z`);
  return {
    id,
    timestamp,
    source: {
      '@timestamp': new Date(timestamp).toISOString(),
      event: { id, action: 'FileAccessed', provider: 'SharePoint', kind: 'event' },
      source: { ip: '203.0.113.7' },
      o365: { audit: { Id: id, CreationTime: creationTime, Operation: 'FileAccessed', Workload: 'SharePoint' } },
      ...fields,
    },
  };
}

/** `count` documents with ids `<prefix>-0`, `<prefix>-1`, … a minute apart from `creationTime`. */
export function auditDocuments(prefix: string, count: number, creationTime = '2025-03-10T08:00:00'): OutputDocument[] {
  const start = Date.parse(`${creationTime}Z`);
  return Array.from({ length: count }, (_, i) => auditDocument(`${prefix}-${i}`, new Date(start + i * 60_000).toISOString().slice(0, 19)));
}
