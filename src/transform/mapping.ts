// What every record-type mapper works on.
import type { Doc } from './fields.js';
import type { Problems } from './problems.js';

export interface Mapping {
  /** The document being built (`OutputDocument.source`). */
  doc: Doc;
  /** The record made JSON-safe, with its name/value lists turned into maps: what `o365.audit` holds. */
  audit: Record<string, unknown>;
  /** `Operation`, trimmed. */
  operation: string | undefined;
  /** `RecordType`, whether it arrived as a number or as numeric text. */
  recordType: number | undefined;
  problems: Problems;
}

/** Adds the fields of one family of record types; runs after the common mapping and may override it. */
export type Mapper = (mapping: Mapping) => void;
