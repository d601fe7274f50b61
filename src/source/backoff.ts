// How long to wait before sending a failed request again: exponential with jitter, or what the server
// asked for with Retry-After, never longer than the policy's cap.
import type { RetryPolicy } from './options.js';

/**
 * Delay before retry number `attempt` (1 for the first retry). Half of the exponential step is fixed
 * and half random, so clients that failed together do not come back together.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(policy.maxDelayMs, Math.max(0, retryAfterMs));
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Milliseconds a `Retry-After` header asks for (seconds, possibly fractional, or an HTTP date). */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
