// The listing faults: entries shuffled across pages and entries repeated on a later page. Both depend
// only on the listing's nonce, so every page of one listing is cut from the same arrangement.
import { seededRandom, seedOf, unitFloat } from '../random.js';
import type { Faults } from '../types.js';

export function arrangeListing<T extends { contentId: string }>(
  entries: readonly T[],
  options: { nonce: number; pageSize: number; faults: Pick<Faults, 'listingShuffle' | 'listingDuplicateRate'> },
): T[] {
  const ordered = options.faults.listingShuffle ? shuffled(entries, options.nonce) : [...entries];
  if (options.faults.listingDuplicateRate <= 0) return ordered;
  return withRepeats(ordered, options);
}

function shuffled<T>(entries: readonly T[], nonce: number): T[] {
  const random = seededRandom(seedOf('listing-shuffle', nonce));
  const result = [...entries];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}

/**
 * Each chosen entry appears again at the start of the page after its own. A repeat that would land on
 * the listing's last page beside its original is left out: the fault is "seen again on a later page".
 */
function withRepeats<T extends { contentId: string }>(
  entries: readonly T[],
  options: { nonce: number; pageSize: number; faults: Pick<Faults, 'listingDuplicateRate'> },
): T[] {
  const pageSize = Math.max(1, options.pageSize);
  const result: T[] = [];
  const repeats: { entry: T; duePage: number }[] = [];
  let released = 0;
  const currentPage = () => Math.floor(result.length / pageSize);
  for (const entry of entries) {
    for (let next = repeats[released]; next && next.duePage <= currentPage(); next = repeats[++released]) {
      result.push(next.entry);
    }
    if (isRepeated(entry, options)) repeats.push({ entry, duePage: currentPage() + 1 });
    result.push(entry);
  }
  for (const { entry, duePage } of repeats.slice(released)) {
    if (duePage <= currentPage()) result.push(entry);
  }
  return result;
}

function isRepeated(entry: { contentId: string }, options: { nonce: number; faults: Pick<Faults, 'listingDuplicateRate'> }) {
  return unitFloat('listing-duplicate', options.nonce, entry.contentId) < options.faults.listingDuplicateRate;
}
