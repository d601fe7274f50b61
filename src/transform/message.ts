// The message a record is about, whatever its type: Defender for Office 365 (ThreatIntelligence, 28),
// user submissions (MailSubmission, 29), quarantine and alert records name it at the top level or in
// the alert's `Data`. These become ECS `email.*`, with the same sources as Elastic's integration.
import { asRecord, field, put, read, text, texts } from './fields.js';
import { splitUpn } from './identity.js';
import type { Mapping } from './mapping.js';

export function mapMessage({ doc, audit }: Mapping): void {
  const data = asRecord(audit.Data);
  put(doc, 'email.message_id', text(audit.InternetMessageId));
  if (read(doc, 'email.message_id') === undefined) put(doc, 'email.message_id', text(field(data, 'imsgid')));
  put(doc, 'email.local_id', text(audit.NetworkMessageId) ?? text(field(data, 'aii')));
  put(doc, 'email.sender.address', text(field(data, 'tsd')) ?? text(audit.P1Sender));
  put(doc, 'email.to.address', texts(audit.Recipients));
  if (read(doc, 'email.to.address') === undefined) put(doc, 'email.to.address', texts([field(data, 'trc')]));
  put(doc, 'email.subject', text(field(data, 'ms')) ?? text(audit.Subject));
  // An alert's `f3u` is the user it is about; it names the user when the record names none.
  const alertUser = text(field(data, 'f3u'));
  if (read(doc, 'user.email') === undefined && splitUpn(alertUser) !== undefined) put(doc, 'user.email', alertUser);
}
