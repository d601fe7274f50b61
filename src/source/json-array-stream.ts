// Reads a blob body — one JSON array of audit records, possibly hundreds of MB — as it arrives, and
// hands the records on in bounded chunks, so memory holds one chunk rather than the blob.
import { JSONParser } from '@streamparser/json';
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

const OPEN_BRACKET = 0x5b;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Yields the array's object elements in order, in chunks of at most `limits.maxRecords`. Throws
 * `TruncatedBodyError` when the body stops early and `UnexpectedBodyError` when it is not a JSON array.
 */
export async function* parseJsonArray(body: AsyncIterable<Uint8Array>, limits: ChunkLimits = DEFAULT_CHUNK_LIMITS): AsyncGenerator<RawRecord[]> {
  // keepStack: false lets each element go once emitted instead of growing the array in memory.
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  let pending: RawRecord[] = [];
  let pendingBytes = 0;
  let sawArray = false;
  parser.onValue = ({ value }) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) pending.push(value as RawRecord);
  };

  for await (const chunk of body) {
    if (parser.isEnded) continue;
    if (!sawArray) {
      const first = chunk.find((byte) => !WHITESPACE.has(byte));
      if (first === undefined) continue;
      if (first !== OPEN_BRACKET) throw new UnexpectedBodyError('the blob body is not a JSON array');
      sawArray = true;
    }
    try {
      parser.write(chunk);
    } catch (error) {
      throw new UnexpectedBodyError(`the blob body is not valid JSON: ${(error as Error).message.slice(0, 120)}`);
    }
    pendingBytes += chunk.length;
    if (pending.length >= limits.maxRecords || pendingBytes >= limits.maxBytes) {
      for (let i = 0; i < pending.length; i += limits.maxRecords) yield pending.slice(i, i + limits.maxRecords);
      pending = [];
      pendingBytes = 0;
    }
  }
  if (!parser.isEnded) throw new TruncatedBodyError('the blob body ended before its closing bracket');
  if (pending.length > 0) yield pending;
}
