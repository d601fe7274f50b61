// The document id. The record's Id makes a replayed record overwrite nothing; a record without a usable
// Id gets a hash of its content instead, so that a replay of it is still recognised.
import { createHash } from 'node:crypto';
import { text } from './fields.js';

/** Elasticsearch refuses `_id` values longer than 512 bytes. */
const MAX_ID_BYTES = 512;

/** The record's `Id` when it can serve as a document id. */
export function usableRecordId(value: unknown): string | undefined {
  const id = text(value);
  return id !== undefined && Buffer.byteLength(id, 'utf8') <= MAX_ID_BYTES ? id : undefined;
}

/** SHA-256 (hex) of the canonical JSON of a JSON-safe value: keys sorted, no blanks. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
