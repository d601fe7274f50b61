// Microsoft sends several properties as lists of {Name, Value} pairs, often with JSON inside the value
// strings. A list of pairs indexes badly (every Name lands in one array, every Value in another), so
// those that Elastic's integration turns into maps become maps keyed by Name here too. Whatever does not fit the expected shape is kept, as text, under
// `_raw`, so a field is always an object and its mapping type never changes between records.
import { asRecord, text } from './fields.js';
import { safeFieldName, setOwn, toJsonSafe } from './json-safe.js';
import type { Problems } from './problems.js';

/** Lists of `{Name, Value}` that become maps, as in Elastic's integration (whose rules query `Parameters.AccessRights`). */
export const NAME_VALUE_FIELDS = ['Parameters', 'ExtendedProperties'] as const;
/**
 * Lists of `{Name, Value}` kept as lists, as in Elastic's integration, whose rules query them so
 * (`DeviceProperties.Value: "False"`, `OperationProperties.Name: "IsThrottled"`); sometimes sent as JSON text.
 */
export const NAME_VALUE_LISTS = ['DeviceProperties', 'OperationProperties'] as const;
/** The list of `{Name, NewValue, OldValue}`. */
export const MODIFIED_PROPERTIES = 'ModifiedProperties';
/** Objects that some records send as JSON text and others as objects. */
export const EMBEDDED_JSON_FIELDS = ['Data', 'ExceptionInfo', 'AdditionalInfo'] as const;

export const RAW_KEY = '_raw';

/** Nesting level of a map value inside `o365.audit` (the record is level 0, the map level 1). */
const MAP_VALUE_DEPTH = 2;

type Entry = (item: Record<string, unknown>, problems: Problems) => unknown;

// A pair without a Value still records that the name was there.
const valueEntry: Entry = (item, problems) => (item.Value === undefined ? null : embeddedJson(item.Value, MAP_VALUE_DEPTH, problems));

const modifiedEntry: Entry = (item, problems) => {
  const change: Record<string, unknown> = {};
  if (item.NewValue !== undefined) change.NewValue = embeddedJson(item.NewValue, MAP_VALUE_DEPTH + 1, problems);
  if (item.OldValue !== undefined) change.OldValue = embeddedJson(item.OldValue, MAP_VALUE_DEPTH + 1, problems);
  return change;
};

/** `Parameters` & co. as a map of Name → Value; `value` has already been made JSON-safe. */
export function nameValueMap(value: unknown, problems: Problems): unknown {
  return toMap(value, valueEntry, problems);
}

/** `ModifiedProperties` as a map of Name → {NewValue, OldValue}; `value` has already been made JSON-safe. */
export function modifiedPropertiesMap(value: unknown, problems: Problems): unknown {
  return toMap(value, modifiedEntry, problems);
}

function toMap(value: unknown, entry: Entry, problems: Problems): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') {
    // Some producers send the whole list as JSON text.
    const parsed = parseJsonText(value);
    return Array.isArray(parsed) ? listToMap(toJsonSafe(parsed, problems, 1) as unknown[], entry, problems) : { [RAW_KEY]: value };
  }
  if (Array.isArray(value)) return listToMap(value, entry, problems);
  if (typeof value === 'object') return value;
  return { [RAW_KEY]: String(value) };
}

function listToMap(list: unknown[], entry: Entry, problems: Problems): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  const leftovers: string[] = [];
  for (const rawItem of list) {
    const item = asRecord(rawItem);
    const name = item === undefined ? undefined : text(item.Name);
    if (item === undefined || name === undefined) {
      leftovers.push(typeof rawItem === 'string' ? rawItem : JSON.stringify(rawItem));
      continue;
    }
    const key = safeFieldName(name);
    const value = entry(item, problems);
    const earlier = Object.hasOwn(map, key) ? map[key] : undefined;
    // A repeated name keeps every value rather than silently keeping the last.
    setOwn(map, key, earlier === undefined ? value : Array.isArray(earlier) ? [...earlier, value] : [earlier, value]);
  }
  if (leftovers.length > 0) map[RAW_KEY] = leftovers;
  return map;
}

/** `DeviceProperties` & co. as a list: JSON text is parsed, other text is kept under `_raw`. */
export function embeddedList(value: unknown, problems: Problems): unknown {
  if (typeof value !== 'string') return value;
  const parsed = parseJsonText(value);
  return Array.isArray(parsed) ? toJsonSafe(parsed, problems, 1) : { [RAW_KEY]: value };
}

/** `Data` & co. as an object: JSON text is parsed, other text is kept under `_raw`. */
export function embeddedObject(value: unknown, problems: Problems): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') {
    const parsed = parseJsonText(value);
    return asRecord(parsed) !== undefined ? toJsonSafe(parsed, problems, 1) : { [RAW_KEY]: value };
  }
  if (Array.isArray(value)) return { [RAW_KEY]: JSON.stringify(value) };
  if (typeof value === 'object') return value;
  return { [RAW_KEY]: String(value) };
}

/**
 * A value string holding a JSON object or array, parsed; anything else unchanged. Scalars stay text:
 * turning `"50126"` into a number here and `"n/a"` into text elsewhere would give one field two types.
 */
function embeddedJson(value: unknown, depth: number, problems: Problems): unknown {
  if (typeof value !== 'string') return value;
  const parsed = parseJsonText(value);
  return parsed === undefined ? value : toJsonSafe(parsed, problems, depth);
}

function parseJsonText(value: string): unknown {
  const first = value.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}
