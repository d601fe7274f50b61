// What a perfect client can have collected at a given moment, and what nobody can collect any more.
// Duplicates are known by construction (a record repeats only in its own blob or the next one), so
// records stream out once each without a set of seen Ids.
import type { AuditRecord, Catalog } from '../types.js';
import { catalogInternals } from './catalog.js';
import { duplicatesOf } from './duplicates.js';
import { CONTENT_LIFETIME_MS, type BlobFacts } from './timeline.js';

/**
 * `obtainable`: each distinct record (by Id) in at least one blob that is visible, unexpired, not lost by
 * fault and of a content type the apps may read. `lost`: each distinct published record (in a visible
 * blob) that is in no such blob.
 */
export function* groundTruth(catalog: Catalog, now: number, which: 'obtainable' | 'lost'): Generator<AuditRecord> {
  const { seed, faults, streams } = catalogInternals(catalog);
  for (const stream of streams) {
    const { tenantId, contentType } = stream.timeline;
    const readable = !faults.unauthorizedContentTypes.includes(contentType);
    const visible = (blob: BlobFacts | undefined): boolean => blob !== undefined && blob.visibleAt <= now;
    const obtainable = (blob: BlobFacts | undefined): boolean =>
      readable && blob !== undefined && visible(blob) && blob.contentCreated + CONTENT_LIFETIME_MS > now && !blob.lostByFault;

    for (const blob of stream.timeline.createdBetween(-Infinity, Infinity, now)) {
      const next = stream.timeline.blob(blob.index + 1);
      const [homeVisible, nextVisible] = [visible(blob), visible(next)];
      const [homeObtainable, nextObtainable] = [obtainable(blob), obtainable(next)];
      if (which === 'obtainable' ? !homeObtainable && !nextObtainable : !homeVisible && !nextVisible) continue;
      const carried = new Set(
        next ? duplicatesOf(seed, tenantId, contentType, blob, faults).intoNext.map(([position]) => position) : [],
      );
      for (let position = 0; position < blob.recordCount; position++) {
        const inNext = carried.has(position);
        const isObtainable = homeObtainable || (inNext && nextObtainable);
        const isPublished = homeVisible || (inNext && nextVisible);
        if (which === 'obtainable' ? isObtainable : isPublished && !isObtainable) {
          yield stream.records(blob.firstOrdinal + position, blob.contentCreated);
        }
      }
    }
  }
}
