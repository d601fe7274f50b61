// Reading loosely typed record values, and writing ECS fields into a nested document. Record values
// are never trusted: any field may be missing or of another type than documented.

export type Doc = Record<string, unknown>;

/** A trimmed, non-empty string. Finite numbers count too: ids and codes sometimes arrive as numbers. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** An object that is not an array, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The array itself, or an empty one for anything else. */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Every text value of a list, in order. */
export function texts(value: unknown): string[] {
  const found: string[] = [];
  for (const item of asList(value)) {
    const t = text(item);
    if (t !== undefined) found.push(t);
  }
  return found;
}

/** The first text of a value that may be a list (a name/value map holds a list when the name was repeated). */
export function firstText(value: unknown): string | undefined {
  return Array.isArray(value) ? value.map(text).find((t) => t !== undefined) : text(value);
}

/** A whole number, from a number or a numeric string ("15" is as good as 15 on this wire). */
export function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value)) return Number(value);
  return undefined;
}

/** An own property of a record; inherited names such as `constructor` never leak in. */
export function field(record: Record<string, unknown> | undefined, key: string): unknown {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

const pathSegments = new Map<string, string[]>();

function segmentsOf(path: string): string[] {
  let segments = pathSegments.get(path);
  if (segments === undefined) {
    segments = path.split('.');
    pathSegments.set(path, segments);
  }
  return segments;
}

function parentOf(doc: Doc, segments: string[]): Doc {
  let node = doc;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i] as string;
    const next = asRecord(node[key]);
    if (next !== undefined) {
      node = next;
    } else {
      const created: Doc = {};
      node[key] = created;
      node = created;
    }
  }
  return node;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** Sets a dotted ECS path, creating the objects on the way. Empty values are skipped, so the document never carries placeholders. */
export function put(doc: Doc, path: string, value: unknown): void {
  if (isEmpty(value)) return;
  const segments = segmentsOf(path);
  parentOf(doc, segments)[segments[segments.length - 1] as string] = value;
}

/** Reads a dotted path back from a document. */
export function read(doc: Doc, path: string): unknown {
  let node: unknown = doc;
  for (const key of segmentsOf(path)) {
    const record = asRecord(node);
    if (record === undefined) return undefined;
    node = field(record, key);
  }
  return node;
}

/** Adds values to an array field, once each (`related.user`, `related.ip`). */
export function append(doc: Doc, path: string, values: Iterable<string | undefined>): void {
  const segments = segmentsOf(path);
  const last = segments[segments.length - 1] as string;
  let existing: string[] | undefined;
  for (const value of values) {
    if (value === undefined || value === '') continue;
    if (existing === undefined) {
      const parent = parentOf(doc, segments);
      const current = parent[last];
      existing = Array.isArray(current) ? (current as string[]) : [];
      parent[last] = existing;
    }
    if (!existing.includes(value)) existing.push(value);
  }
}

/** Sets `event.category` and `event.type`, ECS's two classification arrays. */
export function classify(doc: Doc, categories: string[], types: string[]): void {
  put(doc, 'event.category', categories);
  put(doc, 'event.type', types);
}

/** Sets a field to its one distinct value, or to the array of them when there are several. */
export function putValues(doc: Doc, path: string, values: Iterable<string | undefined>): void {
  const distinct = [...new Set(values)].filter((value): value is string => value !== undefined);
  put(doc, path, distinct.length === 1 ? distinct[0] : distinct);
}
