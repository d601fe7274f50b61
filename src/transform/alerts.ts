// Alerts raised inside Microsoft 365: Security & Compliance alert policies and Defender for Cloud Apps
// (RecordType 40), and the other alert feeds (Defender for Endpoint, Cloud App Security, insider risk).
import { append, asList, asRecord, classify, field, put, text, texts } from './fields.js';
import { putUpn } from './identity.js';
import type { Mapping } from './mapping.js';
import { severityNumber } from './severity.js';

/** Alert records whose shape is not documented: they are alerts, and nothing more is assumed. */
export function mapAlert({ doc }: Mapping): void {
  put(doc, 'event.kind', 'alert');
  classify(doc, ['intrusion_detection'], ['info']);
}

const CATEGORY_BY_ALERT_CATEGORY: ReadonlyMap<string, string> = new Map([
  ['accessgovernance', 'iam'],
  ['datagovernance', 'file'],
  ['datalossprevention', 'file'],
  ['informationgovernance', 'file'],
  ['mailflow', 'email'],
]);

/** RecordType 40. `UserId` is always `SecurityComplianceAlerts`; the entity an alert is about becomes the user, sender or malware. */
export function mapComplianceAlert({ doc, audit }: Mapping): void {
  put(doc, 'event.kind', 'alert');
  const category = text(audit.Category);
  classify(doc, [CATEGORY_BY_ALERT_CATEGORY.get(category?.toLowerCase() ?? '') ?? 'intrusion_detection'], ['info']);
  put(doc, 'event.severity', severityNumber(audit.Severity));
  put(doc, 'rule.name', text(audit.Name));
  put(doc, 'rule.id', text(audit.PolicyId));
  put(doc, 'rule.category', category);
  put(doc, 'rule.reference', texts(asList(audit.AlertLinks).map((link) => field(asRecord(link), 'AlertLinkHref'))));

  const entity = text(audit.AlertEntityId);
  switch (text(audit.EntityType)?.toLowerCase()) {
    case 'user':
      delete doc.user;
      put(doc, 'user.id', entity);
      putUpn(doc, 'user', entity);
      break;
    case 'sender':
      put(doc, 'email.from.address', entity);
      break;
    case 'recipients':
      put(doc, 'email.to.address', texts([entity]));
      break;
    case 'malwarefamily':
      put(doc, 'threat.software.name', entity);
      break;
  }
  // `Data` is the alert's detail; `f3u` in it names the user the alert is about.
  append(doc, 'related.user', [text(field(asRecord(audit.Data), 'f3u'))]);
}
