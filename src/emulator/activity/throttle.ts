// Request budget per (tenant, publisher): a token bucket that holds a minute's worth of requests and
// refills continuously. It runs on real time, not the virtual clock: throttling is about load.
import { performance } from 'node:perf_hooks';

export interface Throttle {
  /** Spends one request of the key's budget; false when the budget is exhausted. */
  take(key: string): boolean;
}

export function createThrottle(requestsPerMinute: number, realNow: () => number = () => performance.now()): Throttle {
  const buckets = new Map<string, { tokens: number; updatedAt: number }>();
  const refillPerMs = requestsPerMinute / 60_000;

  return {
    take(key) {
      if (requestsPerMinute <= 0) return true;
      const now = realNow();
      const bucket = buckets.get(key) ?? { tokens: requestsPerMinute, updatedAt: now };
      bucket.tokens = Math.min(requestsPerMinute, bucket.tokens + (now - bucket.updatedAt) * refillPerMs);
      bucket.updatedAt = now;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
