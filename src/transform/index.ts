// The transform stage: one Management Activity API audit record in, one ECS document out. It is
// synchronous and total: any input, however malformed, yields a document with an id, a usable
// timestamp and a JSON-serialisable source; what was wrong is tagged (`tags`, `error.message`).
// docs/ecs-mapping.md lists every field produced.
import { createHash, randomUUID } from 'node:crypto';
import type { OutputDocument } from '../sinks/types.js';
import { parseClientAddress } from './address.js';
import { auditRecordOf } from './audit-record.js';
import { mapCommon, putElasticClassification } from './common.js';
import { contentHash, usableRecordId } from './document-id.js';
import { append, asRecord, put, read, text, wholeNumber, type Doc } from './fields.js';
import { toJsonSafe } from './json-safe.js';
import { mapperFor } from './mappers.js';
import { mapMessage } from './message.js';
import { excerpt, Problems } from './problems.js';
import { isUsableTime, parseAuditTime } from './timestamp.js';

export interface TransformContext {
  tenantId: string;
  tenantName?: string;
  contentType: string;
  /**
   * Epoch ms to date a record whose CreationTime is unusable. The pipeline passes the blob's
   * contentCreated, which a replay sees again, so the document lands in the same dated index.
   */
  fallbackTimestamp?: number;
}

/** Adds fields after the mapping (GeoIP, user agent parsing, application names). */
export interface Enricher {
  /** `doc` is the document source; `record` the audit record as stored under `o365.audit`. */
  enrich(doc: Record<string, unknown>, record: Record<string, unknown>): void;
}

export interface TransformerOptions {
  enrichers?: Enricher[];
  /** Also keep the record's JSON text in `event.original`. */
  keepOriginal?: boolean;
  /** Tenant id → display name, for `organization.name`. */
  tenantNames?: Record<string, string>;
}

export interface Transformer {
  transform(record: unknown, context: TransformContext): OutputDocument;
}

export const ECS_VERSION = '8.11.0';

interface Settings {
  enrichers: Enricher[];
  keepOriginal: boolean;
  namesByTenant: ReadonlyMap<string, string>;
}

export function createTransformer(options: TransformerOptions = {}): Transformer {
  const { enrichers = [], keepOriginal = false, tenantNames = {} } = options;
  const settings: Settings = {
    enrichers,
    keepOriginal,
    namesByTenant: new Map(Object.entries(tenantNames).map(([id, name]) => [id.toLowerCase(), name])),
  };
  return {
    transform(record, context) {
      try {
        return mapRecord(record, context, settings);
      } catch (error) {
        return unmappableDocument(record, context, error);
      }
    },
  };
}

function mapRecord(record: unknown, context: TransformContext, settings: Settings): OutputDocument {
  const problems = new Problems();
  const object = asRecord(record);
  const audit = object === undefined ? undefined : auditRecordOf(object, problems);
  if (audit === undefined) problems.add('o365_audit_not_an_object', `the record is ${kindOf(record)}, not an object; it is kept in event.original`);
  const fields = audit ?? {};

  const recordId = usableRecordId(fields.Id);
  const safeRecord = audit ?? toJsonSafe(record, problems);
  const id = recordId ?? contentHash(safeRecord);
  if (recordId === undefined) {
    const why = fields.Id === undefined ? 'the record has no Id' : `its Id ${excerpt(fields.Id)} cannot serve as a document id`;
    problems.add('o365_audit_missing_id', `${why}; the document id is the SHA-256 of its content`);
  }
  const timestamp = recordTime(fields.CreationTime, context, problems);

  const doc = baseDocument(timestamp);
  // Something that is not even a record is an ingestion problem, not an event.
  if (audit === undefined) put(doc, 'event.kind', 'pipeline_error');
  put(doc, 'event.id', recordId);
  const mapping = { doc, audit: fields, operation: text(fields.Operation), recordType: wholeNumber(fields.RecordType), problems };
  mapCommon(mapping);
  mapperFor(mapping.recordType)?.(mapping);
  mapMessage(mapping);
  putElasticClassification(doc);
  putOrganization(doc, fields, context, settings.namesByTenant);
  collectRelated(doc, fields);
  put(doc, 'o365.content_type', text(context.contentType));
  put(doc, 'o365.audit', audit);
  if (settings.keepOriginal || audit === undefined) put(doc, 'event.original', originalJson(record, safeRecord));

  for (const enricher of settings.enrichers) {
    try {
      enricher.enrich(doc, fields);
    } catch (error) {
      problems.add('o365_audit_enrichment_failed', `an enricher failed: ${error instanceof Error ? error.message : 'it threw a non-Error value'}`);
    }
  }
  putProblems(doc, problems);
  return { id, timestamp, source: doc };
}

function baseDocument(timestamp: number): Doc {
  return {
    '@timestamp': new Date(timestamp).toISOString(),
    ecs: { version: ECS_VERSION },
    event: { kind: 'event', module: 'o365', dataset: 'o365.audit' },
    // Elastic's o365 rules select their documents by data stream; Fleet writes these fields, so o365-elk does too.
    data_stream: { type: 'logs', dataset: 'o365.audit' },
  };
}

function recordTime(creationTime: unknown, context: TransformContext, problems: Problems): number {
  const parsed = parseAuditTime(creationTime);
  if (parsed !== undefined) return parsed;
  const fallback = isUsableTime(context.fallbackTimestamp) ? context.fallbackTimestamp : undefined;
  const used = fallback === undefined ? 'the time it was transformed' : "its content blob's creation time";
  const why = creationTime === undefined ? 'the record has no CreationTime' : `CreationTime ${excerpt(creationTime)} is not a valid time`;
  problems.add('o365_audit_invalid_timestamp', `${why}; @timestamp is ${used}`);
  return fallback ?? Date.now();
}

function putOrganization(doc: Doc, fields: Record<string, unknown>, context: TransformContext, namesByTenant: ReadonlyMap<string, string>): void {
  const contextTenant = text(context.tenantId)?.toLowerCase();
  const organizationId = text(fields.OrganizationId)?.toLowerCase() ?? contextTenant;
  put(doc, 'organization.id', organizationId);
  const configuredName = organizationId === undefined ? undefined : namesByTenant.get(organizationId);
  const contextName = organizationId === contextTenant ? text(context.tenantName) : undefined;
  const organizationName = configuredName ?? contextName ?? text(fields.OrganizationName);
  put(doc, 'organization.name', organizationName);
  // Elastic's integration names the tenant as the host, so its host-based dashboards and rules see each tenant.
  put(doc, 'host.id', organizationId);
  put(doc, 'host.name', organizationName ?? read(doc, 'user.domain'));
}

const RELATED_USER_FIELDS = [
  'user.name',
  'user.email',
  'user.target.name',
  'user.target.email',
  'file.owner',
  'email.from.address',
  'email.sender.address',
  'email.to.address',
  'email.cc.address',
  'email.bcc.address',
];

/** Addresses of the sending server, in records about a message (ThreatIntelligence, MailSubmission). */
const SENDER_ADDRESS_FIELDS = ['SenderIp', 'SenderIP'] as const;

function collectRelated(doc: Doc, fields: Record<string, unknown>): void {
  append(doc, 'related.ip', textsAt(doc, ['client.ip', 'server.ip']));
  append(doc, 'related.ip', SENDER_ADDRESS_FIELDS.map((name) => senderAddress(fields[name])));
  append(doc, 'related.user', textsAt(doc, RELATED_USER_FIELDS));
}

function senderAddress(value: unknown): string | undefined {
  const raw = text(value);
  return raw === undefined ? undefined : parseClientAddress(raw)?.ip;
}

function textsAt(doc: Doc, paths: string[]): string[] {
  const found: string[] = [];
  for (const path of paths) {
    const value = read(doc, path);
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') found.push(item);
  }
  return found;
}

function putProblems(doc: Doc, problems: Problems): void {
  if (problems.tags.length === 0) return;
  append(doc, 'tags', problems.tags);
  // error.message may already hold the record's own error (a sign-in's LogonError).
  const existing = read(doc, 'error.message');
  const messages = [...(typeof existing === 'string' ? [existing] : []), ...problems.notes];
  put(doc, 'error.message', messages.length === 1 ? messages[0] : messages);
}

/** The record's JSON text. A record that JSON cannot encode as received is given as its JSON-safe copy. */
function originalJson(record: unknown, safeRecord: unknown): string {
  if (asRecord(record) !== undefined) {
    try {
      return JSON.stringify(record);
    } catch {
      // Cycles or BigInts: only the JSON-safe copy can be written.
    }
  }
  return JSON.stringify(safeRecord) ?? 'null';
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/**
 * The document for a record the mapping itself failed on (say, an object whose getters throw): the
 * record's JSON text if it has one, and a tag. Without JSON text there is nothing stable to hash, so
 * the id is random rather than shared with every other such record.
 */
function unmappableDocument(record: unknown, context: TransformContext, error: unknown): OutputDocument {
  let original: string | undefined;
  try {
    original = JSON.stringify(record);
  } catch {
    original = undefined;
  }
  const id = original === undefined ? randomUUID() : createHash('sha256').update(original).digest('hex');
  const timestamp = isUsableTime(context.fallbackTimestamp) ? context.fallbackTimestamp : Date.now();
  const reason = error instanceof Error ? excerpt(error.message) : 'a non-Error value was thrown';
  const source = baseDocument(timestamp);
  put(source, 'event.kind', 'pipeline_error');
  put(source, 'tags', ['o365_audit_transform_failed']);
  put(source, 'error.message', `the record could not be mapped: ${reason}`);
  put(source, 'event.original', original);
  return { id, timestamp, source };
}
