// Settings given outside the YAML file: `O365_ELK_*` environment variables (single values only) and
// `-E key=value` command-line overrides, the latter winning. Text settings take the value as written;
// everything else is parsed as YAML, so `-E output.file.enabled=false` is a boolean and
// `-E output.elasticsearch.hosts=["http://127.0.0.1:9200"]` a list. `${VAR}` and `${VAR:default}` in
// -E values expand as they do in the file.
import type { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { expandEnvironmentReferences } from './expand-env.js';
import type { Findings } from './findings.js';
import { environmentSettingPath, settingKind } from './schema-walk.js';
import { setAtPath, type Tree } from './tree.js';

export const ENVIRONMENT_PREFIX = 'O365_ELK_';

export function applyEnvironmentOverrides(root: Tree, env: NodeJS.ProcessEnv, schema: z.ZodType, findings: Findings): void {
  for (const [variable, value] of Object.entries(env)) {
    // Empty counts as unset, as container tooling tends to pass every variable it knows, set or not.
    if (!variable.startsWith(ENVIRONMENT_PREFIX) || value === undefined || value === '') continue;
    const words = variable.slice(ENVIRONMENT_PREFIX.length).toLowerCase().split('_');
    const path = environmentSettingPath(schema, words);
    // Not a setting: such variables are often the ones holding secrets that the file references.
    if (!path) continue;
    const problem = setAtPath(root, path, settingKind(schema, path) === 'text' ? value : parseValue(value));
    if (problem) findings.error([], `environment variable ${variable}: ${problem}`);
    else findings.origins.set(path, { kind: 'environment', variable });
  }
}

export function applyCommandLineOverrides(root: Tree, overrides: readonly string[], env: NodeJS.ProcessEnv, schema: z.ZodType, findings: Findings): void {
  for (const override of overrides) {
    const separator = override.indexOf('=');
    const key = separator > 0 ? override.slice(0, separator).trim() : '';
    const path = key.split('.');
    if (key === '' || path.includes('')) {
      // Only the part before `=` is quoted: the value may be a secret.
      const shown = separator >= 0 ? `${override.slice(0, separator)}=…` : override;
      findings.error([], `-E ${shown}: expected key=value with a dotted key — write e.g. -E output.file.enabled=false`);
      continue;
    }
    const written = override.slice(separator + 1);
    // Set first, so that a problem found while expanding names -E; a value taken from ${VAR} then says so instead.
    findings.origins.set(path, { kind: 'command-line' });
    let value: unknown = null;
    if (written.trim() !== '') {
      // Parsed, then expanded, in the order the YAML file is: `-E password='${ES_PASSWORD}'` reads the variable.
      const parsed = settingKind(schema, path) === 'text' ? textValue(written) : parseValue(written);
      value = expandEnvironmentReferences(parsed, env, schema, findings, path);
    }
    const problem = setAtPath(root, path, value);
    if (problem) findings.error([], `-E ${key}: ${problem}`);
  }
}

/** A YAML value, or the text itself when it is not valid YAML (the schema then says what was expected). */
function parseValue(written: string): unknown {
  try {
    return parseYaml(written) as unknown;
  } catch {
    return written;
  }
}

/** Quotes may be used around text (`-E tenants.0.name="Contoso EU"`); otherwise text is taken as written, so a password `0123` stays `0123`. */
function textValue(written: string): string {
  const parsed = parseValue(written);
  return typeof parsed === 'string' ? parsed : written;
}
