// What `o365.audit` holds: the record as received, keys unchanged, made JSON-safe, with the
// Parameters and ExtendedProperties turned into maps and the sometimes-text, sometimes-object fields made objects.
import { toJsonSafe } from './json-safe.js';
import { EMBEDDED_JSON_FIELDS, MODIFIED_PROPERTIES, NAME_VALUE_FIELDS, NAME_VALUE_LISTS, embeddedList, embeddedObject, modifiedPropertiesMap, nameValueMap } from './name-value.js';
import type { Problems } from './problems.js';

export function auditRecordOf(record: Record<string, unknown>, problems: Problems): Record<string, unknown> {
  const safe = toJsonSafe(record, problems) as Record<string, unknown>;
  // The fields below are replaced, never changed in place: a copy of the top level keeps the caller's record as it was.
  const audit = safe === record ? { ...record } : safe;
  for (const name of NAME_VALUE_FIELDS) {
    if (Object.hasOwn(audit, name)) audit[name] = nameValueMap(audit[name], problems);
  }
  for (const name of NAME_VALUE_LISTS) {
    if (Object.hasOwn(audit, name)) audit[name] = embeddedList(audit[name], problems);
  }
  if (Object.hasOwn(audit, MODIFIED_PROPERTIES)) audit[MODIFIED_PROPERTIES] = modifiedPropertiesMap(audit[MODIFIED_PROPERTIES], problems);
  for (const name of EMBEDDED_JSON_FIELDS) {
    if (Object.hasOwn(audit, name)) audit[name] = embeddedObject(audit[name], problems);
  }
  return audit;
}
