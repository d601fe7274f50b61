// The fields every audit record shares (the common schema): who, from where, what, with which result.
import { cmdletEventType } from './activity.js';
import { parseClientAddress, parseHostName, type ClientAddress } from './address.js';
import { asRecord, classify, field, firstText, put, read, text, type Doc } from './fields.js';
import { putUpn } from './identity.js';
import type { Mapping } from './mapping.js';
import { resultStatusOutcome } from './outcome.js';
import { excerpt, type Problems } from './problems.js';
import { recordTypeName } from './record-types.js';
import { severityNumber } from './severity.js';
import { putUrl } from './url.js';

/** Where records put the client's address, most specific first (Exchange's ClientIPAddress is the mailbox client). */
const CLIENT_ADDRESS_FIELDS = ['ClientIPAddress', 'ClientIP', 'ActorIpAddress'] as const;

export function mapCommon({ doc, audit, operation, recordType, problems }: Mapping): void {
  put(doc, 'event.action', operation);
  if (recordType !== undefined) put(doc, 'event.code', recordTypeName(recordType) ?? String(recordType));
  put(doc, 'event.provider', text(audit.Workload));
  // Power BI reports its result as IsSuccess instead.
  put(doc, 'event.outcome', resultStatusOutcome(audit.ResultStatus ?? audit.IsSuccess));
  put(doc, 'event.severity', severityNumber(audit.Severity));
  const cmdletType = cmdletEventType(operation);
  if (cmdletType !== undefined) classify(doc, ['configuration'], [cmdletType]);
  else classify(doc, ['web'], ['info']);

  const userId = text(audit.UserId);
  put(doc, 'user.id', userId);
  putUpn(doc, 'user', userId);

  mapClientAddress(doc, audit, problems);
  put(doc, 'user_agent.original', text(audit.UserAgent) ?? firstText(field(asRecord(audit.ExtendedProperties), 'UserAgent')));
  putUrl(doc, text(audit.ObjectId));
}

/**
 * Every record is `web` / `info` first, as in Elastic's integration, whose rules filter on
 * `event.category:web`; the category and type of the record's own kind follow.
 */
export function putElasticClassification(doc: Doc): void {
  for (const [path, value] of [['event.category', 'web'], ['event.type', 'info']] as const) {
    const current = read(doc, path);
    const others = Array.isArray(current) ? current.filter((item) => item !== value) : [];
    put(doc, path, [value, ...others]);
  }
}

function mapClientAddress(doc: Doc, audit: Record<string, unknown>, problems: Problems): void {
  for (const name of CLIENT_ADDRESS_FIELDS) {
    const value = audit[name];
    if (value === undefined || value === null || value === '') continue;
    const raw = typeof value === 'string' ? value.trim() : undefined;
    // Blanks mean no address, which is not a problem.
    if (raw === '') continue;
    const address = raw === undefined ? undefined : parseClientAddress(raw);
    if (address !== undefined) {
      putClientIp(doc, raw as string, address);
      return;
    }
    // A client named by host name (`host`, `host:port`, `host (ip)`) is not a malformed address.
    const host = raw === undefined ? undefined : parseHostName(raw);
    if (host === undefined) {
      problems.add('o365_audit_invalid_ip', `${name} ${excerpt(value)} is not an IP address`);
      continue;
    }
    put(doc, 'client.domain', host.domain);
    if (host.ip !== undefined) {
      putClientIp(doc, raw as string, { ip: host.ip });
      return;
    }
  }
}

function putClientIp(doc: Doc, raw: string, address: ClientAddress): void {
  put(doc, 'client.address', raw);
  put(doc, 'client.ip', address.ip);
  put(doc, 'client.port', address.port);
  put(doc, 'source.ip', address.ip);
  put(doc, 'source.port', address.port);
  put(doc, 'network.type', address.ip.includes(':') ? 'ipv6' : 'ipv4');
}
