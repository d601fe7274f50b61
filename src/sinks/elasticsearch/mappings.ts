// The index mapping: the ECS fields the transform and its enrichers write (src/transform/, listed in
// docs/ecs-mapping.md) with their ECS types, and the raw record under `o365.audit` as one field that
// indexes its whole tree. Mapping that tree key by key would let a few busy record types (Parameters,
// ModifiedProperties, ExtendedProperties) exhaust the index's field limit, after which Elastic's own
// integration drops ECS fields silently; as a single flattened/flat_object field it costs one field.
import type { Engine } from './engine.js';
import { objectTreeType } from './engine.js';

type FieldMapping = Record<string, unknown>;

const KEYWORD: FieldMapping = { type: 'keyword', ignore_above: 1024 };
const TEXT: FieldMapping = { type: 'text' };
const DATE: FieldMapping = { type: 'date' };
const LONG: FieldMapping = { type: 'long' };
const IP: FieldMapping = { type: 'ip' };
const GEO_POINT: FieldMapping = { type: 'geo_point' };
/** Kept in `_source` for reading, not indexed: ECS's mapping of event.original. */
const STORED_ONLY: FieldMapping = { type: 'keyword', index: false, doc_values: false };

function endpoint(prefix: string): Record<string, FieldMapping> {
  return {
    [`${prefix}.address`]: KEYWORD,
    [`${prefix}.ip`]: IP,
    [`${prefix}.port`]: LONG,
    [`${prefix}.domain`]: KEYWORD,
    [`${prefix}.geo.location`]: GEO_POINT,
    [`${prefix}.geo.continent_name`]: KEYWORD,
    [`${prefix}.geo.country_iso_code`]: KEYWORD,
    [`${prefix}.geo.country_name`]: KEYWORD,
    [`${prefix}.geo.region_iso_code`]: KEYWORD,
    [`${prefix}.geo.region_name`]: KEYWORD,
    [`${prefix}.geo.city_name`]: KEYWORD,
    [`${prefix}.as.number`]: LONG,
    [`${prefix}.as.organization.name`]: KEYWORD,
  };
}

function userFields(prefix: string): Record<string, FieldMapping> {
  return {
    [`${prefix}.id`]: KEYWORD,
    [`${prefix}.name`]: KEYWORD,
    [`${prefix}.email`]: KEYWORD,
    [`${prefix}.domain`]: KEYWORD,
    [`${prefix}.full_name`]: KEYWORD,
  };
}

/** ECS fields by dotted path. */
const ECS_FIELDS: Record<string, FieldMapping> = {
  '@timestamp': DATE,
  'ecs.version': KEYWORD,
  message: TEXT,
  tags: KEYWORD,
  'event.id': KEYWORD,
  'event.kind': KEYWORD,
  'event.module': KEYWORD,
  'event.dataset': KEYWORD,
  'event.action': KEYWORD,
  'event.code': KEYWORD,
  'event.provider': KEYWORD,
  'event.outcome': KEYWORD,
  'event.category': KEYWORD,
  'event.type': KEYWORD,
  'event.severity': LONG,
  'event.original': STORED_ONLY,
  'data_stream.type': KEYWORD,
  'data_stream.dataset': KEYWORD,
  'error.code': KEYWORD,
  'error.message': TEXT,
  ...userFields('user'),
  ...userFields('user.target'),
  'user.target.group.name': KEYWORD,
  ...endpoint('source'),
  ...endpoint('client'),
  ...endpoint('server'),
  'destination.ip': IP,
  'host.id': KEYWORD,
  'host.name': KEYWORD,
  'network.type': KEYWORD,
  'related.ip': IP,
  'related.user': KEYWORD,
  'organization.id': KEYWORD,
  'organization.name': KEYWORD,
  'user_agent.original': KEYWORD,
  'user_agent.name': KEYWORD,
  'user_agent.version': KEYWORD,
  'user_agent.device.name': KEYWORD,
  'user_agent.os.name': KEYWORD,
  'user_agent.os.version': KEYWORD,
  'user_agent.os.full': KEYWORD,
  'user_agent.os.family': KEYWORD,
  'user_agent.os.platform': KEYWORD,
  'url.original': KEYWORD,
  'url.domain': KEYWORD,
  'url.path': KEYWORD,
  'url.scheme': KEYWORD,
  'file.name': KEYWORD,
  'file.directory': KEYWORD,
  'file.extension': KEYWORD,
  'file.owner': KEYWORD,
  'file.type': KEYWORD,
  'file.size': LONG,
  'file.created': DATE,
  'file.mtime': DATE,
  'email.from.address': KEYWORD,
  'email.to.address': KEYWORD,
  'email.cc.address': KEYWORD,
  'email.bcc.address': KEYWORD,
  'email.message_id': KEYWORD,
  'email.local_id': KEYWORD,
  'email.sender.address': KEYWORD,
  'email.subject': KEYWORD,
  'email.origination_timestamp': DATE,
  'group.id': KEYWORD,
  'group.name': KEYWORD,
  'process.name': KEYWORD,
  'rule.id': KEYWORD,
  'rule.name': KEYWORD,
  'rule.category': KEYWORD,
  'rule.ruleset': KEYWORD,
  'rule.reference': KEYWORD,
  'threat.software.name': KEYWORD,
};

/** The ECS part of the mapping, the same on every engine. */
export function ecsMappings(): Record<string, unknown> {
  return {
    // Dates in unknown strings are not guessed: one odd value would fix the field's type for the index.
    date_detection: false,
    dynamic_templates: [{ strings_as_keyword: { match_mapping_type: 'string', mapping: KEYWORD } }],
    properties: nest(ECS_FIELDS),
  };
}

/** The `o365.*` part: the raw record, whose type depends on what the engine offers. */
export function auditMappings(engine: Engine): Record<string, unknown> {
  const treeType = objectTreeType(engine);
  // Without a tree type (OpenSearch before 2.7, Elasticsearch OSS) the record is kept but not searchable.
  const audit = treeType === undefined ? { type: 'object', enabled: false } : { type: treeType };
  return { properties: nest({ 'o365.content_type': KEYWORD, 'o365.audit': audit }) };
}

/** `{ 'a.b': m }` → `{ a: { properties: { b: m } } }`. */
function nest(fields: Record<string, FieldMapping>): Record<string, unknown> {
  const root: Record<string, FieldMapping> = {};
  for (const [path, mapping] of Object.entries(fields)) {
    const segments = path.split('.');
    let properties = root;
    for (const segment of segments.slice(0, -1)) {
      const parent = (properties[segment] ??= { properties: {} }) as { properties: Record<string, FieldMapping> };
      properties = parent.properties;
    }
    properties[segments.at(-1) as string] = mapping;
  }
  return root;
}
