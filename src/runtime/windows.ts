// Where a pass starts and how it is cut into listing windows. The API keeps content 7 days and
// lists at most 24 hours per request.
export const RETENTION_MS = 7 * 24 * 3600_000;
export const MAX_WINDOW_MS = 24 * 3600_000;
/** Kept clear of the retention edge (wider than the client's own clamp) so a window never starts before it by the time it is sent. */
export const RETENTION_MARGIN_MS = 10 * 60_000;

/** `live` re-lists the lookback every poll; `backfill` re-lists `since` whatever the cursor says. */
export type PassMode = 'live' | 'backfill';

export interface ResumePoint {
  from: number;
  /** Time the connector was away longer than the retention: the span that can no longer be listed. */
  gap?: { from: number; to: number };
}

export function retentionFloor(now: number): number {
  return now - RETENTION_MS + RETENTION_MARGIN_MS;
}

export function resumePoint(input: {
  cursor: number | undefined;
  now: number;
  mode: PassMode;
  sinceMs: number;
  lookbackMs: number;
}): ResumePoint {
  const floor = retentionFloor(input.now);
  const depth = input.mode === 'backfill' ? input.sinceMs : input.lookbackMs;
  const wanted = input.cursor === undefined ? input.now - input.sinceMs : Math.min(input.cursor, input.now - depth);
  if (wanted >= floor) return { from: wanted };
  const gap = input.cursor !== undefined && input.cursor < floor ? { from: input.cursor, to: floor } : undefined;
  return gap ? { from: floor, gap } : { from: floor };
}

export function planWindows(from: number, to: number): { start: number; end: number }[] {
  const windows: { start: number; end: number }[] = [];
  for (let start = from; start < to; start += MAX_WINDOW_MS) {
    windows.push({ start, end: Math.min(start + MAX_WINDOW_MS, to) });
  }
  return windows;
}
