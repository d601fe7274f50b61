// The ASN table of ip-location-db's `asn` package: CSV rows `start,end,asn,organisation` with inclusive
// address ranges sorted by start, about 500,000 of them. They are held in typed arrays (IPv6 addresses
// as four 32-bit words) and searched by bisection, so a lookup is synchronous and cheap.
import { readFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';

export interface AutonomousSystem {
  number: number;
  organization?: string;
}

export interface AsnTable {
  lookup(ip: string): AutonomousSystem | undefined;
}

/** Ranges of one address family; an address is `width` 32-bit words (1 for IPv4, 4 for IPv6). */
interface Ranges {
  width: number;
  /** Row i's start at [i * width, (i + 1) * width). */
  starts: Uint32Array;
  ends: Uint32Array;
  numbers: Uint32Array;
  organizations: Uint32Array;
  count: number;
}

const FIX = 'reinstall @ip-location-db/asn or set enrich.geoip.asn_database';

/**
 * Reads the table's `asn-ipv4-num.csv` (numeric IPv4 bounds) and `asn-ipv6.csv` (textual IPv6 bounds);
 * throws a one-line error naming the file when one is unreadable or malformed.
 */
export function loadAsnTable(files: { ipv4: string; ipv6: string }): AsnTable {
  const names = new OrganizationNames();
  const v4 = readRanges(files.ipv4, 1, names, (text, words, at) => {
    if (!/^\d+$/.test(text)) return false;
    words[at] = Number(text);
    return true;
  });
  const v6 = readRanges(files.ipv6, 4, names, ipv6Words);
  const answer = (ranges: Ranges, index: number): AutonomousSystem => {
    const organization = names.at(ranges.organizations[index] as number);
    return { number: ranges.numbers[index] as number, ...(organization === undefined ? {} : { organization }) };
  };
  const address = new Uint32Array(4);
  return {
    lookup(ip) {
      const ranges = isIPv4(ip) ? v4 : v6;
      const parsed = ranges === v4 ? ipv4Word(ip, address) : ipv6Words(ip, address, 0);
      if (!parsed) return undefined;
      const index = lastStartAtOrBelow(ranges, address);
      return index >= 0 && compare(address, 0, ranges.ends, index * ranges.width, ranges.width) <= 0 ? answer(ranges, index) : undefined;
    },
  };
}

/** The last row whose start is ≤ the address, or -1. */
function lastStartAtOrBelow(ranges: Ranges, address: Uint32Array): number {
  let low = 0;
  let high = ranges.count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(ranges.starts, middle * ranges.width, address, 0, ranges.width) <= 0) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

function compare(a: Uint32Array, aAt: number, b: Uint32Array, bAt: number, width: number): number {
  for (let i = 0; i < width; i++) {
    const difference = (a[aAt + i] as number) - (b[bAt + i] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

type ParseAddress = (text: string, words: Uint32Array, at: number) => boolean;

function readRanges(path: string, width: number, names: OrganizationNames, parseAddress: ParseAddress): Ranges {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the ASN table ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}) — ${FIX}`, { cause: error });
  }
  let capacity = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) capacity += 1;
  const ranges: Ranges = {
    width,
    starts: new Uint32Array(capacity * width),
    ends: new Uint32Array(capacity * width),
    numbers: new Uint32Array(capacity),
    organizations: new Uint32Array(capacity),
    count: 0,
  };
  let lineStart = 0;
  for (let line = 1; lineStart < text.length; line++) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const row = text.slice(lineStart, lineEnd).trimEnd();
    lineStart = lineEnd + 1;
    if (row === '') continue;
    if (!addRow(ranges, row, names, parseAddress)) throw new Error(`the ASN table ${path} is malformed at line ${line} — ${FIX}`);
  }
  return ranges;
}

function addRow(ranges: Ranges, row: string, names: OrganizationNames, parseAddress: ParseAddress): boolean {
  const first = row.indexOf(',');
  const second = row.indexOf(',', first + 1);
  const third = row.indexOf(',', second + 1);
  if (first < 0 || second < 0 || third < 0) return false;
  const { width, count: index } = ranges;
  const number = Number(row.slice(second + 1, third));
  if (
    !parseAddress(row.slice(0, first), ranges.starts, index * width) ||
    !parseAddress(row.slice(first + 1, second), ranges.ends, index * width) ||
    !Number.isSafeInteger(number) ||
    // Bisection needs the rows in order of their start.
    (index > 0 && compare(ranges.starts, (index - 1) * width, ranges.starts, index * width, width) > 0)
  ) {
    return false;
  }
  let organization = row.slice(third + 1);
  if (organization.startsWith('"') && organization.endsWith('"')) organization = organization.slice(1, -1).replaceAll('""', '"');
  ranges.numbers[index] = number;
  ranges.organizations[index] = names.indexOf(organization);
  ranges.count = index + 1;
  return true;
}

/** Organisation names are shared by many ranges; each is stored once. */
class OrganizationNames {
  private readonly list: string[] = [''];
  private readonly indices = new Map<string, number>([['', 0]]);

  indexOf(name: string): number {
    let index = this.indices.get(name);
    if (index === undefined) {
      index = this.list.length;
      // A slice would keep the whole file's text alive; a copy keeps only the name.
      const copy = Buffer.from(name).toString();
      this.list.push(copy);
      this.indices.set(copy, index);
    }
    return index;
  }

  at(index: number): string | undefined {
    return index === 0 ? undefined : this.list[index];
  }
}

function ipv4Word(ip: string, words: Uint32Array): boolean {
  let value = 0;
  for (const part of ip.split('.')) value = value * 256 + Number(part);
  words[0] = value;
  return true;
}

/** Writes an IPv6 address (`::` shorthand, an IPv4 tail and a zone allowed) as four words at `at`. */
function ipv6Words(text: string, words: Uint32Array, at: number): boolean {
  let address = text.split('%')[0] as string;
  const tail = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    address = `${address.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const head = halves[0] === '' ? [] : (halves[0] as string).split(':');
  const rest = halves.length === 1 || halves[1] === '' ? [] : (halves[1] as string).split(':');
  const missing = 8 - head.length - rest.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return false;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...rest];
  for (let i = 0; i < 8; i += 2) {
    const high = Number.parseInt(groups[i] as string, 16);
    const low = Number.parseInt(groups[i + 1] as string, 16);
    if (!(high >= 0 && high <= 0xffff && low >= 0 && low <= 0xffff)) return false;
    words[at + i / 2] = high * 0x10000 + low;
  }
  return true;
}
