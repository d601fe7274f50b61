// The fields every audit record shares (the common schema): who, from where, what, with which result.
import { cmdletEventType } from './activity.js';
import { parseClientAddress } from './address.js';
import { asRecord, classify, field, firstText, put, text, type Doc } from './fields.js';
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

function mapClientAddress(doc: Doc, audit: Record<string, unknown>, problems: Problems): void {
  for (const name of CLIENT_ADDRESS_FIELDS) {
    const value = audit[name];
    if (value === undefined || value === null || value === '') continue;
    const raw = typeof value === 'string' ? value.trim() : undefined;
    const address = raw === undefined || raw === '' ? undefined : parseClientAddress(raw);
    if (address === undefined) {
      if (raw !== '') problems.add('o365_audit_invalid_ip', `${name} ${excerpt(value)} is not an IP address`);
      continue;
    }
    put(doc, 'client.address', raw);
    put(doc, 'client.ip', address.ip);
    put(doc, 'client.port', address.port);
    put(doc, 'source.ip', address.ip);
    put(doc, 'source.port', address.port);
    put(doc, 'network.type', address.ip.includes(':') ? 'ipv6' : 'ipv4');
    return;
  }
}
