// The ASN table of ip-location-db's `asn` package: CSV rows `start,end,asn,organisation` with inclusive
// address ranges sorted by start, about 500,000 of them. They are held in typed arrays (IPv6 addresses
// as four 32-bit words) and searched by bisection, so a lookup is synchronous and cheap.
import { closeSync, openSync, readSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { ipv4Word, ipv6Words } from './ip-words.js';

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

// The files are read a piece at a time: their whole text as one string (30 MB) would grow the V8 heap
// by some 70 MiB while loading, several times the table's own size, and V8 keeps a grown heap.
const PIECE_BYTES = 1 << 20;

/**
 * Reads the table's `asn-ipv4-num.csv` (numeric IPv4 bounds) and `asn-ipv6.csv` (textual IPv6 bounds);
 * throws a one-line error naming the file when one is unreadable or malformed. Tests make `pieceBytes`
 * small so that lines straddle pieces.
 */
export function loadAsnTable(files: { ipv4: string; ipv6: string }, { pieceBytes = PIECE_BYTES } = {}): AsnTable {
  const names = new OrganizationNames();
  const buffer = Buffer.allocUnsafe(pieceBytes);
  const v4 = readRanges(files.ipv4, 1, names, buffer, (text, words, at) => {
    if (!/^\d+$/.test(text)) return false;
    words[at] = Number(text);
    return true;
  });
  const v6 = readRanges(files.ipv6, 4, names, buffer, ipv6Words);
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

function readRanges(path: string, width: number, names: OrganizationNames, buffer: Buffer, parseAddress: ParseAddress): Ranges {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw readFailure(path, error);
  }
  try {
    // A first pass counts the lines, so that the arrays are allocated once at their final size: growing
    // them would need the old and the new copies at once.
    let capacity = 0;
    forEachLine(fd, path, buffer, () => {
      capacity += 1;
    });
    const ranges: Ranges = {
      width,
      starts: new Uint32Array(capacity * width),
      ends: new Uint32Array(capacity * width),
      numbers: new Uint32Array(capacity),
      organizations: new Uint32Array(capacity),
      count: 0,
    };
    let line = 0;
    forEachLine(fd, path, buffer, (bytes, start, end) => {
      line += 1;
      if (line > capacity) throw new Error(`the ASN table ${path} changed while being read — ${FIX}`);
      const row = bytes.toString('utf8', start, end).trimEnd();
      if (row !== '' && !addRow(ranges, row, names, parseAddress)) throw new Error(`the ASN table ${path} is malformed at line ${line} — ${FIX}`);
    });
    return ranges;
  } finally {
    closeSync(fd);
  }
}

/**
 * Calls `onLine` with the bounds of each line (its newline left out) in `bytes`. The file is read a
 * piece at a time into `buffer`; the line cut off at the end of a piece is moved to the front and
 * completed by the next read, into a larger buffer when one line fills it.
 */
function forEachLine(fd: number, path: string, buffer: Buffer, onLine: (bytes: Buffer, start: number, end: number) => void): void {
  let position = 0;
  let kept = 0;
  for (;;) {
    if (kept === buffer.length) buffer = Buffer.concat([buffer], 2 * buffer.length);
    const read = readPiece(fd, path, buffer, kept, position);
    position += read;
    const piece = buffer.subarray(0, kept + read);
    let start = 0;
    // The kept part holds no newline.
    for (let newline = piece.indexOf(10, kept); newline >= 0; newline = piece.indexOf(10, start)) {
      onLine(piece, start, newline);
      start = newline + 1;
    }
    if (read === 0) {
      // The last line need not end in a newline.
      if (start < piece.length) onLine(piece, start, piece.length);
      return;
    }
    kept = piece.copy(buffer, 0, start);
  }
}

function readPiece(fd: number, path: string, buffer: Buffer, at: number, position: number): number {
  try {
    return readSync(fd, buffer, at, buffer.length - at, position);
  } catch (error) {
    throw readFailure(path, error);
  }
}

function readFailure(path: string, error: unknown): Error {
  return new Error(`cannot read the ASN table ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}) — ${FIX}`, { cause: error });
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
      // A slice would keep its whole line's text alive; a copy keeps only the name.
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
