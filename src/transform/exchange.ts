// Exchange Online: admin cmdlets (RecordType 1) and mailbox audit (2: one item, 3: several items,
// 19: aggregated operations, 50: MailItemsAccessed).
import { parseClientAddress, splitNamedAddress } from './address.js';
import { append, asList, asRecord, classify, field, firstText, put, putValues, read, text, type Doc } from './fields.js';
import { putUpn } from './identity.js';
import type { Mapping } from './mapping.js';

export function mapExchangeAdmin({ doc, audit }: Mapping): void {
  putOriginatingServer(doc, audit);
  // Permission cmdlets (Add-MailboxPermission -User …) name the user who gains access.
  append(doc, 'related.user', [firstText(field(asRecord(audit.Parameters), 'User'))]);
}

export function mapMailboxAudit({ doc, audit, operation }: Mapping): void {
  if (operation === 'MailboxLogin') classify(doc, ['authentication'], ['start']);
  else if (/Permission|Delegat|InboxRule|Forwarding|AuditBypass/.test(operation ?? '')) classify(doc, ['configuration'], ['change']);
  else classify(doc, ['email'], ['info']);

  if (read(doc, 'user.id') === undefined) put(doc, 'user.id', text(audit.LogonUserSid));
  put(doc, 'user.full_name', text(audit.LogonUserDisplayName));
  // The mailbox acted on; it differs from the actor when a delegate or an admin opens someone's mailbox.
  putUpn(doc, 'user.target', text(audit.MailboxOwnerUPN));
  put(doc, 'process.name', text(audit.ClientProcessName));
  putOriginatingServer(doc, audit);

  const items = mailItems(audit);
  putValues(doc, 'email.subject', items.map((item) => text(field(item, 'Subject'))));
  putValues(doc, 'email.message_id', items.map((item) => text(field(item, 'InternetMessageId'))));
}

/** The messages a record names: `Item` (one), `AffectedItems` (several), `Folders[].FolderItems` (MailItemsAccessed). */
function mailItems(audit: Record<string, unknown>): Record<string, unknown>[] {
  const items: unknown[] = [audit.Item, ...asList(audit.AffectedItems)];
  for (const folder of asList(audit.Folders)) items.push(...asList(field(asRecord(folder), 'FolderItems')));
  return items.map(asRecord).filter((item): item is Record<string, unknown> => item !== undefined);
}

/**
 * `OriginatingServer` reads `HE1PR0102MB3228 (15.20.2707.017)\r\n`: the server's name, then, in
 * parentheses, what Elastic's integration takes for its address. Exchange Online writes its build
 * number there, which is no IP, so `server.ip` (and `destination.ip`) appear only when it is one.
 */
function putOriginatingServer(doc: Doc, audit: Record<string, unknown>): void {
  const server = text(typeof audit.OriginatingServer === 'string' ? audit.OriginatingServer.replace(/[\r\n]/g, '') : undefined);
  if (server === undefined) return;
  const named = splitNamedAddress(server);
  const address = named?.inParentheses ?? server;
  put(doc, 'server.domain', named?.name);
  put(doc, 'server.address', address);
  const ip = parseClientAddress(address)?.ip;
  put(doc, 'server.ip', ip);
  put(doc, 'destination.ip', ip);
}
