// Audit record times. The API writes `YYYY-MM-DDTHH:MM:SS` with no zone, meaning UTC; other producers
// and older records add `Z`, fractions (up to 7 digits, .NET ticks) or an offset. Anything else is not
// a time: guessing (as `Date.parse` does with local time and loose formats) would file the record
// under the wrong day.

const AUDIT_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2})?)?$/;

// No audit record predates 1970; a year such as 0001 is an unset .NET DateTime, not a time. Years past
// 9999 cannot be written as plain ISO 8601 dates, which indices expect.
const EARLIEST = 0;
const END_OF_YEAR_9999 = Date.UTC(10000, 0, 1);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/** Epoch milliseconds of an audit time, or undefined when the value is not one. */
export function parseAuditTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const match = AUDIT_TIME.exec(value.trim());
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction, , sign, offsetHours, offsetMinutes] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (year < 1969) return undefined; // also keeps Date.UTC from reading years 0–99 as 1900–1999
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millisecond = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  let offset = 0;
  if (sign !== undefined) {
    const oh = Number(offsetHours);
    const om = offsetMinutes === undefined ? 0 : Number(offsetMinutes);
    if (oh > 23 || om > 59) return undefined;
    offset = (sign === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const time = Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offset;
  return isUsableTime(time) ? time : undefined;
}

/** Whether epoch milliseconds can date an audit record (see EARLIEST). */
export function isUsableTime(value: unknown): value is number {
  return typeof value === 'number' && value >= EARLIEST && value < END_OF_YEAR_9999;
}
