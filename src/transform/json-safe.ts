// A copy of whatever the API sent that any JSON encoder and any Elasticsearch/OpenSearch index accepts:
// well-formed Unicode, bounded string sizes and nesting, field names without dots, no cycles, only JSON
// value types. Real records pass through unchanged; only pathological values are altered, and each
// alteration is recorded as a problem.
import { excerpt, type Problems } from './problems.js';

/**
 * Nesting allowed inside `o365.audit`. Elasticsearch rejects documents nested deeper than
 * `index.mapping.depth.limit` (20) and the raw record already sits two levels down; real records
 * stay under ten levels.
 */
export const MAX_DEPTH = 16;
/** Longest string kept whole (UTF-16 units). Real values stay far below (the largest, AAD license lists, are tens of KB). */
export const MAX_STRING_LENGTH = 128 * 1024;
const MAX_FIELD_NAME_LENGTH = 256;

interface StringMethods {
  isWellFormed(this: string): boolean;
  toWellFormed(this: string): string;
}
// Node 20 has both methods; TypeScript's ES2023 library does not declare them yet.
const { isWellFormed, toWellFormed } = String.prototype as unknown as StringMethods;

/** The string with lone surrogates replaced by U+FFFD and its length capped. */
export function safeString(value: string, problems: Problems): string {
  let result = value;
  if (result.length > MAX_STRING_LENGTH) {
    let end = MAX_STRING_LENGTH;
    const lastKept = result.charCodeAt(end - 1);
    if (lastKept >= 0xd800 && lastKept <= 0xdbff) end -= 1;
    result = result.slice(0, end);
    problems.add('o365_audit_value_truncated', `a value of ${value.length} characters was cut to ${end}`);
  }
  if (!isWellFormed.call(result)) {
    result = toWellFormed.call(result);
    problems.add('o365_audit_invalid_unicode', 'a value held invalid UTF-16 (lone surrogates); they were replaced by U+FFFD');
  }
  return result;
}

const FIELD_NAME_SEPARATORS = /[.\s]/g;

/**
 * A field name an index accepts as one name. Dots would split it into an object path (and make
 * `Group.DisplayName` collide with a `Group` value), blanks make queries awkward, and an empty name
 * is refused outright.
 */
export function safeFieldName(name: string): string {
  if (isPlainName(name)) return name;
  if (name === '') return '_';
  const result = (name.length > MAX_FIELD_NAME_LENGTH ? name.slice(0, MAX_FIELD_NAME_LENGTH) : name).replace(FIELD_NAME_SEPARATORS, '_');
  return isWellFormed.call(result) ? result : toWellFormed.call(result);
}

/** Printable ASCII without dots or blanks, short: nearly every name, checked without a regex (this runs for every key). */
function isPlainName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_FIELD_NAME_LENGTH) return false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code <= 0x20 || code === 0x2e || code >= 0x7f) return false;
  }
  return true;
}

/** Sets a property even when its name is `__proto__`, which plain assignment would treat as the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * `value` itself when it is already JSON-safe, as parsed records nearly always are; otherwise a
 * JSON-safe deep copy. `depth` is the nesting level `value` sits at inside `o365.audit`; anything
 * deeper than MAX_DEPTH is kept as its JSON text (or a placeholder when even that fails). Functions,
 * symbols and `undefined` are dropped, as JSON.stringify would drop them.
 */
export function toJsonSafe(value: unknown, problems: Problems, depth = 0): unknown {
  // Checking allocates nothing, where copying every record allocated it twice over.
  return isJsonSafe(value, depth) ? value : copy(value, depth, problems, new Set());
}

/** True when copy() would return an equal value: nothing to repair, cap or drop. */
function isJsonSafe(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      return value.length <= MAX_STRING_LENGTH && isWellFormed.call(value);
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'boolean':
      return true;
    case 'object':
      if (value === null) return true;
      // Depth also bounds the walk when a structure refers to itself; copy() then reports the cycle.
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) return isJsonSafeArray(value, depth);
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) {
        if (!isPlainName(key)) return false;
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined || !isJsonSafe(item, depth + 1)) return false;
      }
      return true;
    default:
      return false;
  }
}

function isJsonSafeArray(value: unknown[], depth: number): boolean {
  // Named properties on an array, holes in it or a replaced prototype would not survive JSON as they are.
  if (Object.getPrototypeOf(value) !== Array.prototype || Object.keys(value).length !== value.length) return false;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (item === undefined || !isJsonSafe(item, depth + 1)) return false;
  }
  return true;
}

function copy(value: unknown, depth: number, problems: Problems, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
      return safeString(value, problems);
    case 'number':
      // JSON writes -0 as 0; normalising here keeps the copy equal to what the index will hold.
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      if (value === null) return null;
      if (ancestors.has(value)) {
        problems.add('o365_audit_circular', 'the record refers to itself; the repeated part was left out');
        return null;
      }
      if (depth >= MAX_DEPTH) return tooDeep(value, problems);
      ancestors.add(value);
      try {
        return Array.isArray(value) ? copyArray(value, depth, problems, ancestors) : copyObject(value, depth, problems, ancestors);
      } finally {
        ancestors.delete(value);
      }
    default:
      return undefined;
  }
}

function copyArray(value: unknown[], depth: number, problems: Problems, ancestors: Set<object>): unknown[] {
  const out = new Array<unknown>(value.length);
  for (let i = 0; i < value.length; i++) {
    const item = copy(value[i], depth + 1, problems, ancestors);
    out[i] = item === undefined ? null : item;
  }
  return out;
}

function copyObject(value: object, depth: number, problems: Problems, ancestors: Set<object>): Record<string, unknown> {
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const item = copy(source[key], depth + 1, problems, ancestors);
    if (item !== undefined) setOwn(out, safeFieldName(key), item);
  }
  return out;
}

function tooDeep(value: object, problems: Problems): string {
  problems.add('o365_audit_too_deep', `a value nested deeper than ${MAX_DEPTH} levels was kept as JSON text`);
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    // A structure too deep for the engine's own serializer (or holding a BigInt) has no JSON text.
  }
  if (json === undefined) return `[omitted: ${excerpt(value)} nested too deeply to serialize]`;
  return safeString(json, problems);
}
