// Times as the listing endpoint takes them, and the 7-day limit on how far back a listing may start.

const DAY_MS = 86_400_000;
export const MAX_WINDOW_MS = DAY_MS;
/** How far back the API lists content. */
export const RETENTION_MS = 7 * DAY_MS;
/** Kept clear of the limit, so that a request delayed in flight or a few seconds of skew still pass. */
export const RETENTION_MARGIN_MS = 5 * 60_000;

/** `YYYY-MM-DDTHH:MM:SS` in UTC, the documented format (milliseconds dropped). */
export function formatApiTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}

const API_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses the times the API accepts and repeats in next-page links (offset-less means UTC). */
export function parseApiTime(text: string): number | undefined {
  const match = API_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, date, hoursMinutes = '00:00', seconds = ':00', zone = 'Z'] = match;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const parsed = Date.parse(`${date}T${hoursMinutes}${seconds}${offset}`);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** The earliest start the API accepts right now (by its clock), with margin, in whole seconds. */
export function earliestListableStart(serverNow: number): number {
  return Math.ceil((serverNow - RETENTION_MS + RETENTION_MARGIN_MS) / 1000) * 1000;
}
