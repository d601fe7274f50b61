// Deterministic randomness. Everything the emulator publishes is a pure function of the seed and a few
// keys, so data can be generated on demand, in any order, and regenerated identically.
import { createHash } from 'node:crypto';

/** A float in [0, 1) that depends only on the keys. */
export function unitFloat(...keys: (string | number)[]): number {
  const digest = createHash('sha1').update(keys.join('\u0000')).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000;
}

/** A GUID (lower-case, 8-4-4-4-12) that depends only on the keys. */
export function stableGuid(...keys: (string | number)[]): string {
  const h = createHash('sha1').update(keys.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16] ?? '0', 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A fast seeded generator (mulberry32) for sequences where hashing every draw would be too slow. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** A 32-bit seed derived from the keys, for seededRandom. */
export function seedOf(...keys: (string | number)[]): number {
  return createHash('sha1').update(keys.join('\u0000')).digest().readUInt32BE(4);
}
