// Reads the configuration schema as a tree of keys, so that overrides, environment variables and
// "did you mean" suggestions all follow the one schema instead of a second list of keys.
import type { z } from 'zod';

interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
}

const definition = (schema: z.ZodType): SchemaDef => (schema as unknown as { def: SchemaDef }).def;

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

/** The schema with defaults, optionality and transforms peeled off: what the user writes. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = definition(current);
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

function child(schema: z.ZodType, segment: string): z.ZodType | undefined {
  const def = definition(unwrap(schema));
  if (def.type === 'object') return def.shape && Object.hasOwn(def.shape, segment) ? def.shape[segment] : undefined;
  if (def.type === 'array' && /^\d+$/.test(segment)) return def.element;
  return undefined;
}

function schemaAt(root: z.ZodType, path: readonly (string | number)[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = root;
  for (const segment of path) {
    if (!current) return undefined;
    current = child(current, String(segment));
  }
  return current;
}

/** `section` and `list` hold other settings; `text` takes a string as written; `value` is parsed as YAML. */
export type SettingKind = 'section' | 'list' | 'text' | 'value';

export function settingKind(root: z.ZodType, path: readonly (string | number)[]): SettingKind | undefined {
  const schema = schemaAt(root, path);
  if (!schema) return undefined;
  const type = definition(unwrap(schema)).type;
  if (type === 'object') return 'section';
  if (type === 'array') return 'list';
  return type === 'string' ? 'text' : 'value';
}

/** The keys a section accepts. */
export function settingNames(root: z.ZodType, path: readonly (string | number)[]): string[] {
  const schema = schemaAt(root, path);
  const def = schema ? definition(unwrap(schema)) : undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/**
 * The path of the single value an environment variable names, from the words of its name after the
 * prefix (`["tenants", "0", "client", "id"]` → `tenants.0.client_id`). Keys contain underscores too, so
 * every split is tried; only names that end on a single value (not a section or list) count.
 */
export function environmentSettingPath(root: z.ZodType, words: readonly string[]): string[] | undefined {
  const search = (schema: z.ZodType, rest: readonly string[]): string[] | undefined => {
    const def = definition(unwrap(schema));
    if (rest.length === 0) return def.type === 'object' || def.type === 'array' ? undefined : [];
    if (def.type === 'array' && def.element && /^\d+$/.test(rest[0] ?? '')) {
      const tail = search(def.element, rest.slice(1));
      return tail && [rest[0] as string, ...tail];
    }
    if (def.type !== 'object' || !def.shape) return undefined;
    for (const [key, value] of Object.entries(def.shape)) {
      const keyWords = key.split('_');
      if (keyWords.every((word, i) => rest[i] === word)) {
        const tail = search(value, rest.slice(keyWords.length));
        if (tail) return [key, ...tail];
      }
    }
    return undefined;
  };
  return search(root, words);
}
