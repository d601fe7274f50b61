// Helpers that turn a stream of uniform draws (from seededRandom) into the choices a record needs.
export type Draw = () => number;

export function pick<T>(draw: Draw, items: readonly T[]): T {
  const item = items[Math.floor(draw() * items.length)];
  if (item === undefined) throw new Error('pick() needs a non-empty list');
  return item;
}

/** An item chosen with probability proportional to its weight. */
export function weighted<T>(draw: Draw, entries: ReadonlyArray<readonly [T, number]>): T {
  let total = 0;
  for (const [, weight] of entries) total += weight;
  let target = draw() * total;
  for (const [item, weight] of entries) {
    target -= weight;
    if (target < 0) return item;
  }
  const last = entries[entries.length - 1];
  if (!last) throw new Error('weighted() needs a non-empty list');
  return last[0];
}

/** An integer in [low, high]. */
export function between(draw: Draw, low: number, high: number): number {
  return low + Math.floor(draw() * (high - low + 1));
}

export function chance(draw: Draw, probability: number): boolean {
  return draw() < probability;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function hex(draw: Draw, length: number): string {
  let text = '';
  while (text.length < length) {
    const word = (draw() * 0x1_0000_0000) >>> 0;
    text += `${BYTE_HEX[word >>> 24]}${BYTE_HEX[(word >>> 16) & 255]}${BYTE_HEX[(word >>> 8) & 255]}${BYTE_HEX[word & 255]}`;
  }
  return text.length === length ? text : text.slice(0, length);
}

export function digits(draw: Draw, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += Math.floor(draw() * 10).toString();
  return text;
}

/**
 * A GUID for correlation, session and item ids. Not for record Ids: a 32-bit generator state cannot keep
 * a million of them apart, so those come from stableGuid.
 */
export function guid(draw: Draw): string {
  const h = hex(draw, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16] ?? '0', 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The wire's CreationTime form: UTC, no offset, no fraction. */
export function wireTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}
