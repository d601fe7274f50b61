// The API's per-request randomness (random errors and throttles, truncated bodies, listing nonces,
// webhook validation codes): one seeded stream, so a run replays identically for the same requests.
import { seededRandom } from '../random.js';

export interface Chance {
  /** True with probability `rate`. */
  hit(rate: number): boolean;
  /** A float in [0, 1). */
  fraction(): number;
  /** An opaque lower-case hex string of `length` characters. */
  hex(length: number): string;
}

export function createChance(seed: number): Chance {
  const random = seededRandom(seed);
  return {
    hit: (rate) => random() < rate,
    fraction: random,
    hex(length) {
      let text = '';
      while (text.length < length) text += Math.floor(random() * 0x1_0000_0000).toString(16).padStart(8, '0');
      return text.slice(0, length);
    },
  };
}
