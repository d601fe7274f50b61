import type { Clock } from './types.js';

/**
 * Virtual time: starts at real time plus a skew, runs `speed` times faster than real time, and can be
 * moved forward so that new content appears without waiting.
 */
export function createClock(options: { skewSeconds?: number; speed?: number; start?: number } = {}): Clock {
  const speed = options.speed ?? 1;
  const realStart = Date.now();
  let origin = (options.start ?? realStart) + (options.skewSeconds ?? 0) * 1000;
  return {
    now: () => origin + (Date.now() - realStart) * speed,
    advance: (ms: number) => {
      origin += ms;
    },
  };
}
