// How many events each stream (tenant × content type) publishes: content types get the shares a typical
// tenant shows, and tenants split every content type evenly.
import { CONTENT_TYPES, type ContentType } from '../types.js';

export const CONTENT_TYPE_SHARES: Readonly<Record<ContentType, number>> = {
  'Audit.AzureActiveDirectory': 0.35,
  'Audit.Exchange': 0.25,
  'Audit.SharePoint': 0.25,
  'Audit.General': 0.1,
  'DLP.All': 0.05,
};

/** Splits a whole number into parts proportional to the weights (largest remainder), summing exactly. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (left === 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left--;
  }
  return parts;
}

/** Events per stream, indexed [tenant][content type in CONTENT_TYPES order]. */
export function eventsPerStream(events: number, tenants: number): number[][] {
  const perType = apportion(
    events,
    CONTENT_TYPES.map((type) => CONTENT_TYPE_SHARES[type]),
  );
  const evenly = new Array<number>(tenants).fill(1);
  const perTypeAndTenant = perType.map((count) => apportion(count, evenly));
  return Array.from({ length: tenants }, (_, t) => perTypeAndTenant.map((byTenant) => byTenant[t] ?? 0));
}

/** New events per minute of one stream when the whole catalog publishes `perMinute`. */
export function liveRatePerStream(perMinute: number, contentType: ContentType, tenants: number): number {
  return (perMinute * CONTENT_TYPE_SHARES[contentType]) / tenants;
}
