// Which records of a blob the service repeats: later in the same blob (`duplicate_rate`) or in the next
// blob of the stream with the same Id (`cross_duplicate_rate`). Decided per blob, from its own draws.
import { seededRandom, seedOf } from '../random.js';
import type { ContentType, Faults } from '../types.js';
import type { BlobFacts } from './timeline.js';

export interface Duplicates {
  /** Own records repeated in the same blob: [position, slot], the copy goes just before own record `slot`. */
  inBlob: Array<readonly [number, number]>;
  /** Own records repeated in the next blob: [position, place in [0, 1)]. */
  intoNext: Array<readonly [number, number]>;
}

const NONE: Duplicates = { inBlob: [], intoNext: [] };

export function duplicatesOf(
  seed: number,
  tenantId: string,
  contentType: ContentType,
  blob: BlobFacts,
  faults: Pick<Faults, 'duplicateRate' | 'crossDuplicateRate'>,
): Duplicates {
  if (faults.duplicateRate <= 0 && faults.crossDuplicateRate <= 0) return NONE;
  const draw = seededRandom(seedOf(seed, 'duplicates', tenantId, contentType, blob.index));
  const inBlob: Array<readonly [number, number]> = [];
  const intoNext: Array<readonly [number, number]> = [];
  const count = blob.recordCount;
  for (let position = 0; position < count; position++) {
    const repeat = draw();
    const cross = draw();
    const slot = position + 1 + Math.floor(draw() * (count - position));
    const place = draw();
    if (repeat < faults.duplicateRate) inBlob.push([position, slot]);
    if (cross < faults.crossDuplicateRate) intoNext.push([position, place]);
  }
  return { inBlob, intoNext };
}

/**
 * A blob's body: its own records in stream order (their CreationTimes are not sorted, as on the wire),
 * with in-blob copies after their originals and the previous blob's carried-over records spread through.
 */
export function assembleBlob<T>(
  own: readonly T[],
  duplicates: Duplicates,
  carriedOver: ReadonlyArray<readonly [T, number]>,
  copy: (position: number) => T,
): T[] {
  const count = own.length;
  const extras: T[][] = Array.from({ length: count + 1 }, () => []);
  for (const [record, place] of carriedOver) extras[Math.floor(place * (count + 1))]?.push(record);
  for (const [position, slot] of duplicates.inBlob) extras[slot]?.push(copy(position));
  const body: T[] = [];
  for (let slot = 0; slot <= count; slot++) {
    for (const extra of extras[slot] ?? []) body.push(extra);
    const record = own[slot];
    if (record !== undefined) body.push(record);
  }
  return body;
}
