// Durations as Filebeat users write them (`30s`, `3m`, `24h`, `7d`, also combined as `1h30m`), or a plain
// number of seconds. Everything inside the collector works in milliseconds.

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

const SECONDS = /^\d+(?:\.\d+)?$/;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** Milliseconds in a duration such as `30s`, `3m`, `24h`, `7d`, `1h30m`, or a number of seconds. */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value * 1000);
  const text = typeof value === 'string' ? value.trim() : undefined;
  if (text !== undefined && SECONDS.test(text)) return Math.round(Number(text) * 1000);
  if (text === undefined || !WHOLE.test(text)) {
    const shown = typeof value === 'string' ? `"${value}"` : String(value);
    throw new RangeError(`${shown} is not a duration — write a number of seconds or a value like 30s, 3m, 24h or 7d`);
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) total += Number(amount) * UNIT_MS[unit as Unit];
  return Math.round(total);
}

/** The shortest exact spelling of a duration, e.g. 604800000 → `7d`, 5400000 → `90m`. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
