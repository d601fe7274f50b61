// This host's clock against the Management Activity API's (the Date header of its answers). The
// collector goes by the API's clock wherever time decides what is fetched or forgotten — listing
// windows, expired content, ledger pruning — so a host clock that jumps loses and repeats nothing;
// but logs, status and alerts are stamped by the host's clock, so a large difference is reported.
import type { Logger } from '../util/logger.js';

/** Beyond this the difference is no network delay or drift between NTP syncs. */
const TOLERANCE_MS = 5 * 60_000;

/** Returns a check to call with each tenant's skew (server minus local, ms); it warns once per new difference. */
export function createClockSkewCheck(logger: Logger): (tenantId: string, skewMs: number) => void {
  const reported = new Map<string, number>();
  return (tenantId, skewMs) => {
    if (Math.abs(skewMs) <= TOLERANCE_MS) {
      reported.delete(tenantId);
      return;
    }
    const last = reported.get(tenantId);
    if (last !== undefined && Math.abs(last - skewMs) <= TOLERANCE_MS) return;
    reported.set(tenantId, skewMs);
    const direction = skewMs < 0 ? 'ahead of' : 'behind';
    logger.warn(
      { tenant: tenantId, clockSkewSeconds: Math.round(skewMs / 1000) },
      `this host's clock is ${formatDuration(Math.abs(skewMs))} ${direction} the Management Activity API's (its Date header); ` +
        'the collector goes by the API\'s clock, so nothing is pruned early or delivered twice — set this host\'s clock right (NTP)',
    );
  };
}

function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  return [days > 0 ? `${days} d` : '', hours > 0 ? `${hours} h` : '', `${minutes % 60} min`].filter(Boolean).join(' ');
}
