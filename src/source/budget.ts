// The tenant's request budget: every call to the Management Activity API (listing, blobs,
// subscriptions) takes a slot first and waits for one rather than fail. A small burst is allowed, then
// requests are spaced evenly, so that no window of `windowMs` ever holds more than `limit` requests —
// the service counts per tenant and answers AF429 past its quota.
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';

export interface RequestBudget {
  /** Resolves when the caller may send one request; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Holds every caller back for `ms` (the service said it is throttling this tenant). */
  holdFor(ms: number): void;
}

export interface BudgetOptions {
  limit: number;
  windowMs: number;
  /** Clock in milliseconds; monotonic by default. */
  now?: () => number;
}

export function createRequestBudget({ limit, windowMs, now = () => performance.now() }: BudgetOptions): RequestBudget {
  if (!Number.isFinite(limit) || limit < 1) throw new RangeError(`the request budget must be at least 1 request, got ${limit}`);
  // Generic cell rate algorithm: `burst` requests may go at once, the rest one every `interval`, which
  // keeps any window at burst + (limit - burst) = limit requests. A small burst keeps the sustained
  // rate close to the limit (99 % with limit/100), which is what a long backfill runs at.
  const burst = Math.max(1, Math.floor(limit / 100));
  const interval = limit > burst ? windowMs / (limit - burst) : windowMs;
  const tolerance = (burst - 1) * interval;
  let theoreticalArrival = now();

  return {
    async acquire(signal) {
      signal?.throwIfAborted();
      const current = now();
      const slot = Math.max(theoreticalArrival, current);
      // Reserve the slot now so concurrent callers queue behind each other without a lock.
      theoreticalArrival = slot + interval;
      const wait = slot - tolerance - current;
      if (wait > 0) await sleep(Math.ceil(wait), undefined, signal ? { signal } : undefined);
    },
    holdFor(ms) {
      theoreticalArrival = Math.max(theoreticalArrival, now() + ms + tolerance);
    },
  };
}
