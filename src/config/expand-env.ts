// `${VAR}` and `${VAR:default}` in YAML string values (and in `-E` values) expand from the environment,
// as in Filebeat, so secrets can stay out of the file and off the command line. `$${` stands for a
// literal `${`.
import type { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import type { Findings, KeyPath } from './findings.js';
import { settingKind } from './schema-walk.js';
import { isSection } from './tree.js';

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g;
const WHOLE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::[^}]*)?\}$/;

export function expandEnvironmentReferences(
  value: unknown,
  env: NodeJS.ProcessEnv,
  schema: z.ZodType,
  findings: Findings,
  path: KeyPath = [],
): unknown {
  if (Array.isArray(value)) return value.map((entry, i) => expandEnvironmentReferences(entry, env, schema, findings, [...path, i]));
  if (isSection(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, expandEnvironmentReferences(entry, env, schema, findings, [...path, key])]),
    );
  }
  if (typeof value !== 'string' || !value.includes('${')) return value;

  let firstVariable: string | undefined;
  const expanded = value.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
    if (name === undefined) return '${';
    firstVariable ??= name;
    const fromEnvironment = env[name];
    if (fromEnvironment !== undefined) return fromEnvironment;
    if (fallback !== undefined) return fallback;
    findings.error(path, `environment variable ${name} is not set — export it, or give a default as \${${name}:default}`);
    return match;
  });
  if (firstVariable === undefined) return expanded;
  findings.origins.set(path, { kind: 'expanded', variable: firstVariable });
  // `port: ${PORT}` must become a number, as it would had the number been written in the file.
  if (WHOLE_REFERENCE.test(value) && settingKind(schema, path) !== 'text') {
    try {
      return parseYaml(expanded) as unknown;
    } catch {
      return expanded;
    }
  }
  return expanded;
}
