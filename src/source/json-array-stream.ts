// Reads a blob body — one JSON array of audit records, possibly hundreds of MB — as it arrives, and
// hands the records on in bounded chunks, so memory holds one chunk rather than the blob.
import { UnexpectedBodyError } from './api-transport.js';
import type { RawRecord } from './types.js';

export interface ChunkLimits {
  /** Records per chunk at most. */
  maxRecords: number;
  /** Body bytes read before the records parsed so far are handed on, even if fewer than maxRecords. */
  maxBytes: number;
}

export const DEFAULT_CHUNK_LIMITS: ChunkLimits = { maxRecords: 500, maxBytes: 1024 * 1024 };

/** The body ended before its closing `]`: the connection dropped mid-transfer. */
export class TruncatedBodyError extends Error {
  override readonly name = 'TruncatedBodyError';
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const isWhitespace = (byte: number): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** A cached position that has not been looked for yet; -1 means the chunk has none left. */
const NOT_SEARCHED = -2;

/** Finds, inside a string, the next byte that matters: its closing quote or a backslash. */
class StringSkipper {
  private nextQuote = NOT_SEARCHED;
  private nextBackslash = NOT_SEARCHED;

  constructor(private readonly chunk: Uint8Array) {}

  /** The position of the next quote or backslash at or after `from`, or -1 when the chunk has none. */
  nextStop(from: number): number {
    if (this.nextQuote !== -1 && this.nextQuote < from) this.nextQuote = this.chunk.indexOf(QUOTE, from);
    if (this.nextBackslash !== -1 && this.nextBackslash < from) this.nextBackslash = this.chunk.indexOf(BACKSLASH, from);
    if (this.nextBackslash === -1) return this.nextQuote;
    if (this.nextQuote === -1) return this.nextBackslash;
    return Math.min(this.nextQuote, this.nextBackslash);
  }
}

/**
 * Yields the array's object elements in order, in chunks of at most `limits.maxRecords`. Throws
 * `TruncatedBodyError` when the body stops early and `UnexpectedBodyError` when it is not a JSON array.
 *
 * The bytes are only scanned here, for where each element starts and ends (nesting, strings and
 * escapes); each element is then parsed by the engine's own JSON.parse, which is several times faster
 * than a tokenizer written in JavaScript — this is the collector's hottest loop.
 */
export async function* parseJsonArray(body: AsyncIterable<Uint8Array>, limits: ChunkLimits = DEFAULT_CHUNK_LIMITS): AsyncGenerator<RawRecord[]> {
  const scanner = new ArrayScanner();
  let pending: RawRecord[] = [];
  let pendingBytes = 0;
  for await (const chunk of body) {
    if (scanner.ended) continue;
    for (const element of scanner.push(chunk)) {
      if (typeof element === 'object' && element !== null && !Array.isArray(element)) pending.push(element as RawRecord);
    }
    pendingBytes += chunk.length;
    if (pending.length >= limits.maxRecords || pendingBytes >= limits.maxBytes) {
      for (let i = 0; i < pending.length; i += limits.maxRecords) yield pending.slice(i, i + limits.maxRecords);
      pending = [];
      pendingBytes = 0;
    }
  }
  if (!scanner.ended) throw new TruncatedBodyError('the blob body ended before its closing bracket');
  if (pending.length > 0) yield pending;
}

/** Splits a top-level JSON array, fed in arbitrary chunks, into its parsed elements. */
class ArrayScanner {
  ended = false;
  private opened = false;
  /** Nesting depth inside the current element; 0 between elements. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The current element's bytes from earlier chunks. */
  private carried: Uint8Array[] = [];
  private inElement = false;
  /** A scalar element (not an object or array) ends at the next comma or bracket. */
  private scalar = false;

  push(chunk: Uint8Array): unknown[] {
    const elements: unknown[] = [];
    let elementStart = this.inElement ? 0 : -1;
    // Audit records are mostly string content: inside a string, jump to the next quote or backslash
    // with indexOf (native) instead of looking at every byte. Positions are cached so each is searched
    // for once per chunk.
    const strings = new StringSkipper(chunk);
    for (let i = 0; i < chunk.length && !this.ended; i++) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          continue;
        }
        const stop = strings.nextStop(i);
        if (stop === -1) break;
        i = stop;
        if (chunk[i] === BACKSLASH) {
          this.escaped = true;
          continue;
        }
        this.inString = false;
        if (this.scalar && this.depth === 0) {
          elements.push(this.finish(chunk, elementStart, i + 1));
          elementStart = -1;
        }
        continue;
      }
      const byte = chunk[i]!;
      if (!this.opened) {
        if (isWhitespace(byte)) continue;
        if (byte !== OPEN_BRACKET) throw new UnexpectedBodyError('the blob body is not a JSON array');
        this.opened = true;
        continue;
      }
      if (!this.inElement) {
        if (isWhitespace(byte) || byte === COMMA) continue;
        if (byte === CLOSE_BRACKET) {
          this.ended = true;
          break;
        }
        this.inElement = true;
        elementStart = i;
        this.scalar = byte !== OPEN_BRACE && byte !== OPEN_BRACKET;
        if (byte === QUOTE) this.inString = true;
        else if (!this.scalar) this.depth = 1;
        continue;
      }
      if (this.scalar) {
        if (byte === COMMA || byte === CLOSE_BRACKET || isWhitespace(byte)) {
          elements.push(this.finish(chunk, elementStart, i));
          elementStart = -1;
          if (byte === CLOSE_BRACKET) this.ended = true;
        }
        continue;
      }
      if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth += 1;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        this.depth -= 1;
        if (this.depth === 0) {
          elements.push(this.finish(chunk, elementStart, i + 1));
          elementStart = -1;
        }
      }
    }
    if (this.inElement && elementStart >= 0) this.carried.push(chunk.slice(elementStart));
    return elements;
  }

  private finish(chunk: Uint8Array, start: number, end: number): unknown {
    const tail = chunk.subarray(start, end);
    const bytes = this.carried.length === 0 ? tail : Buffer.concat([...this.carried, tail]);
    this.carried = [];
    this.inElement = false;
    this.scalar = false;
    try {
      return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    } catch (error) {
      throw new UnexpectedBodyError(`the blob body is not valid JSON: ${(error as Error).message.slice(0, 120)}`);
    }
  }
}
