// The startTime/endTime window of `/content` and `/notifications` (contract §2.4).
import type { ApiBehaviour } from '../types.js';
import { afErrors } from './errors.js';
import { queryParam } from './query.js';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** How far back startTime may reach: 7 days, plus the hour of slack the real service is observed to allow. */
const OLDEST_START_MS = 7 * DAY_MS + HOUR_MS;

export interface TimeWindow {
  /** Inclusive start and exclusive end, epoch milliseconds. */
  start: number;
  end: number;
  /** The values as next-page links repeat them: what the client sent, or the defaulted last 24 hours. */
  startText: string;
  endText: string;
}

// YYYY-MM-DD, optionally THH:MM, :SS and a fraction, optionally Z or an RFC 3339 offset.
const API_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Epoch milliseconds of a time as the API accepts it (offset-less means UTC), or undefined. */
export function parseApiTime(text: string): number | undefined {
  const match = API_TIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = 'Z'] = match;
  const parts = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  const [y, mo, d, h, mi, s] = parts;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
  const check = new Date(utc);
  // Date.UTC rolls 2024-02-30 over into March; a real calendar date round-trips.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return utc - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return (zone.startsWith('-') ? -1 : 1) * minutes * 60_000;
}

/** The request's window, validated against `now` (virtual time); omitted means the last 24 hours. */
export function resolveWindow(url: URL, now: number, errorCode: ApiBehaviour['windowErrorCode']): TimeWindow {
  const startText = queryParam(url, 'startTime');
  const endText = queryParam(url, 'endTime');
  if (startText === undefined && endText === undefined) {
    const start = now - DAY_MS;
    return { start, end: now, startText: new Date(start).toISOString(), endText: new Date(now).toISOString() };
  }
  const start = startText === undefined ? undefined : parseApiTime(startText);
  const end = endText === undefined ? undefined : parseApiTime(endText);
  if (startText !== undefined && start === undefined) throw afErrors.invalidParameterType('startTime', 'datetime');
  if (endText !== undefined && end === undefined) throw afErrors.invalidParameterType('endTime', 'datetime');
  if (start === undefined || end === undefined || startText === undefined || endText === undefined) {
    throw afErrors.invalidWindow(errorCode);
  }
  if (start >= end || end - start > DAY_MS || start < now - OLDEST_START_MS) throw afErrors.invalidWindow(errorCode);
  return { start, end, startText, endText };
}
