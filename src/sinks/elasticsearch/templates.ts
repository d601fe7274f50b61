// Index management at open(): two component templates (ECS fields; the raw record) and a composable
// index template for the configured index, versioned so that each o365-elk release installs its own
// once and never downgrades a newer one. The priority beats Elasticsearch's built-in `logs` template
// (100) and Elastic's o365 integration (200), whose mappings would otherwise apply to `logs-*-*`.
import type { Logger } from '../../util/logger.js';
import { engineErrorText, type EngineConnection } from './connection.js';
import type { Engine } from './engine.js';
import type { IndexTarget } from './index-target.js';
import { auditMappings, ecsMappings } from './mappings.js';

/** Raise with every change to the templates or mappings. */
export const TEMPLATE_VERSION = 2;
export const TEMPLATE_PRIORITY = 250;
export const ECS_COMPONENT = 'o365-elk-ecs-mappings';
export const AUDIT_COMPONENT = 'o365-elk-audit-mappings';

const META = { managed_by: 'o365-elk', version: TEMPLATE_VERSION };

type TemplateKind = '_component_template' | '_index_template';

export async function installTemplates(connection: EngineConnection, engine: Engine, target: IndexTarget, logger: Logger): Promise<void> {
  const ecs = ecsMappings();
  const audit = auditMappings(engine);
  await ensureTemplate(connection, logger, '_component_template', ECS_COMPONENT, { template: { mappings: ecs }, version: TEMPLATE_VERSION, _meta: META });
  await ensureTemplate(connection, logger, '_component_template', AUDIT_COMPONENT, { template: { mappings: audit }, version: TEMPLATE_VERSION, _meta: META });
  const installed = await ensureTemplate(connection, logger, '_index_template', target.templateName, {
    index_patterns: [target.templatePattern],
    ...(target.dataStream ? { data_stream: {} } : {}),
    composed_of: [ECS_COMPONENT, AUDIT_COMPONENT],
    priority: TEMPLATE_PRIORITY,
    version: TEMPLATE_VERSION,
    _meta: META,
  });
  if (installed) await updateExistingIndices(connection, target, [ecs, audit], logger);
  await warnIfOverridden(connection, target, logger);
}

/**
 * An index template of higher priority matching the same indices decides their mappings instead of
 * ours, and the ECS fields quietly lose their types. The engine says which templates an index would
 * have passed over; ours among them means another one wins.
 */
async function warnIfOverridden(connection: EngineConnection, target: IndexTarget, logger: Logger): Promise<void> {
  const index = target.indexFor(Date.now());
  const response = await connection.request({ method: 'POST', path: `/_index_template/_simulate_index/${encodeURIComponent(index)}` });
  // Engines without the simulation API (Elasticsearch before 7.9) cannot tell: nothing to report.
  if (response.status < 200 || response.status >= 300) return;
  const passedOver = (response.body as { overlapping?: { name?: unknown }[] } | undefined)?.overlapping ?? [];
  if (!passedOver.some((template) => template.name === target.templateName)) return;
  logger.warn(
    { index, template: target.templateName },
    `another index template with a priority above ${TEMPLATE_PRIORITY} matches ${index}, so o365-elk's mappings do not apply to it — lower that template's priority or narrow its index_patterns`,
  );
}

/** Installs the template unless one of this version or newer is there; returns whether it did. */
async function ensureTemplate(connection: EngineConnection, logger: Logger, kind: TemplateKind, name: string, body: Record<string, unknown>): Promise<boolean> {
  const path = `/${kind}/${encodeURIComponent(name)}`;
  const existing = await connection.request({ method: 'GET', path });
  if (existing.status !== 404) {
    check(existing.status, existing.body, existing.host, kind, name);
    const version = installedVersion(existing.body, kind);
    if (version !== undefined && version >= TEMPLATE_VERSION) return false;
  }
  const response = await connection.request({ method: 'PUT', path, body: JSON.stringify(body) });
  check(response.status, response.body, response.host, kind, name);
  logger.info({ template: name, version: TEMPLATE_VERSION }, `installed ${kind === '_index_template' ? 'index' : 'component'} template ${name}`);
  return true;
}

function installedVersion(body: unknown, kind: TemplateKind): number | undefined {
  const list = kind === '_index_template'
    ? (body as { index_templates?: { index_template?: { version?: unknown } }[] } | undefined)?.index_templates?.map((t) => t.index_template)
    : (body as { component_templates?: { component_template?: { version?: unknown } }[] } | undefined)?.component_templates?.map((t) => t.component_template);
  const version = list?.[0]?.version;
  return typeof version === 'number' ? version : undefined;
}

/**
 * A new template applies to indices created from then on; the data stream or indices already there get
 * the new fields too, so an upgrade takes effect without waiting for a rollover. A field whose type
 * changed cannot be updated in place: those indices keep their mapping until they roll over.
 */
async function updateExistingIndices(connection: EngineConnection, target: IndexTarget, mappings: Record<string, unknown>[], logger: Logger): Promise<void> {
  for (const mapping of mappings) {
    const response = await connection.request({
      method: 'PUT',
      path: `/${encodeURIComponent(target.templatePattern).replace(/%2A/g, '*')}/_mapping?allow_no_indices=true&ignore_unavailable=true`,
      body: JSON.stringify(mapping),
    });
    if (response.status === 404 || (response.status >= 200 && response.status < 300)) continue;
    logger.warn(
      { index: target.templatePattern, status: response.status, error: engineErrorText(response.body) },
      `existing indices matching ${target.templatePattern} keep their previous mapping until they roll over — roll them over (POST ${target.templatePattern}/_rollover for a data stream) to apply o365-elk's mapping`,
    );
    return;
  }
}

function check(status: number, body: unknown, host: string, kind: TemplateKind, name: string): void {
  if (status >= 200 && status < 300) return;
  const what = `the ${kind === '_index_template' ? 'index' : 'component'} template ${name}`;
  const reason = engineErrorText(body) ?? `status ${status}`;
  if (status === 401) throw new Error(`${host} refused the credentials while installing ${what} (401: ${reason}) — check output.elasticsearch username/password, api_key or bearer_token`);
  if (status === 403) {
    throw new Error(`${host} does not let these credentials install ${what} (403: ${reason}) — grant the manage_index_templates cluster privilege`);
  }
  throw new Error(`${host} refused ${what} (${status}: ${reason}) — see the engine's log for details`);
}
