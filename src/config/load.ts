// Builds the configuration from its sources, lowest precedence first: defaults, the YAML file,
// O365_ELK_* environment variables, then -E overrides. Every problem is collected before anything is
// thrown, so one run shows the user all of them.
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { formatDuration } from './duration.js';
import { ConfigError } from './errors.js';
import { expandEnvironmentReferences } from './expand-env.js';
import { Findings } from './findings.js';
import { genericIssueText, reportIssues } from './issues.js';
import { fillEmptyOutputSections, resolveOutput, selectOutput, type OutputConfig } from './outputs.js';
import { applyCommandLineOverrides, applyEnvironmentOverrides } from './overrides.js';
import { createConfigSchema, type ConfigSchema, type ParsedConfig, type ParsedTenant } from './schema.js';
import { resolveTenant, type TenantConfig } from './tenants.js';
import { dropNulls, isSection, type Tree } from './tree.js';
import { readConfigFile } from './yaml-file.js';

/** The Management Activity API serves 7 days of content; asking for more returns errors, not data. */
export const RETENTION_MS = 7 * 86_400_000;

/** The validated configuration. Durations are in milliseconds; paths are absolute. */
export interface Config extends Omit<ParsedConfig, 'tenants' | 'output'> {
  tenants: TenantConfig[];
  output: OutputConfig;
  /** Things that work but deserve attention (secrets in the file, TLS checks off, …), one line each, for the log. */
  warnings: string[];
}

export interface LoadConfigOptions {
  /** The YAML file (`-c`). Without one, settings come from the environment and overrides only. */
  file?: string;
  /** `-E key=value` overrides, in command-line order. */
  overrides?: readonly string[];
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Loads and validates the configuration, resolving secrets. Throws ConfigError listing every problem. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file === undefined ? undefined : resolve(options.file);
  const schema = createConfigSchema(file === undefined ? process.cwd() : dirname(file));
  const findings = new Findings();

  const fromFile = file === undefined ? {} : readConfigFile(file, findings);
  if (fromFile === undefined) throw new ConfigError(findings.errors);
  const root = expandEnvironmentReferences(fromFile, env, schema, findings) as Tree;
  applyEnvironmentOverrides(root, env, schema, findings);
  applyCommandLineOverrides(root, options.overrides ?? [], env, schema, findings);
  fillEmptyOutputSections(root);
  const raw = dropNulls(root) as Tree;

  const outputType = selectOutput(raw.output, findings);
  const parsed = schema.safeParse(raw, { error: genericIssueText });
  if (!parsed.success) reportIssues(parsed.error.issues, schema, findings);

  // Tenants and the output are resolved even when something else is wrong, so that missing files and
  // secrets are reported in the same run as typos elsewhere.
  const tenants = parsedTenants(raw, schema, parsed).map((tenant, index) => tenant && resolveTenant(tenant, index, env, findings));
  const outputs = parsed.success ? parsed.data.output : schema.shape.output.safeParse(raw.output).data;
  const output = outputType && outputs && resolveOutput(outputs, outputType, findings);
  if (parsed.success) checkAcrossSettings(parsed.data, findings);

  if (findings.errors.length > 0 || !parsed.success || !output) throw new ConfigError(findings.errors);
  return {
    ...parsed.data,
    tenants: tenants as TenantConfig[],
    poll: { ...parsed.data.poll, since: Math.min(parsed.data.poll.since, RETENTION_MS) },
    output,
    warnings: findings.warnings,
  };
}

function parsedTenants(raw: Tree, schema: ConfigSchema, parsed: z.ZodSafeParseResult<ParsedConfig>): (ParsedTenant | undefined)[] {
  if (parsed.success) return parsed.data.tenants;
  if (!Array.isArray(raw.tenants)) return [];
  return raw.tenants.map((tenant: unknown) => (isSection(tenant) ? schema.shape.tenants.element.safeParse(tenant).data : undefined));
}

function checkAcrossSettings(config: ParsedConfig, findings: Findings): void {
  const seen = new Map<string, number>();
  config.tenants.forEach((tenant, index) => {
    const first = seen.get(tenant.tenant_id);
    if (first === undefined) seen.set(tenant.tenant_id, index);
    else findings.error(['tenants', index, 'tenant_id'], `${tenant.tenant_id} is already tenants[${first}] — list each tenant once (give it all its content_types there)`);
  });
  if (config.poll.since > RETENTION_MS) {
    findings.warn(['poll', 'since'], `${formatDuration(config.poll.since)} reaches past the API's 7-day retention — using 7d`);
  }
  if (config.poll.lookback > RETENTION_MS) {
    findings.error(['poll', 'lookback'], `${formatDuration(config.poll.lookback)} reaches past the API's 7-day retention — set it to 7d or less`);
  }
}
