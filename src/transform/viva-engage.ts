// Viva Engage, formerly Yammer (RecordType 22; the records still say Workload `Yammer`).
import { fileEventType } from './activity.js';
import { classify, put, read, text } from './fields.js';
import { putUpn } from './identity.js';
import type { Mapping } from './mapping.js';

export function mapVivaEngage({ doc, audit, operation }: Mapping): void {
  const op = operation ?? '';
  if (/^File/.test(op)) classify(doc, ['file'], [fileEventType(op)]);
  else if (/^Group/.test(op)) classify(doc, ['iam'], ['group', /Creat/.test(op) ? 'creation' : /Delet/.test(op) ? 'deletion' : 'change']);
  else if (/Suspen/.test(op)) classify(doc, ['iam'], ['user', 'change']);
  else if (/Updated$|Toggled$|Configuration/.test(op)) classify(doc, ['configuration'], ['change']);

  if (read(doc, 'user.email') === undefined) putUpn(doc, 'user', text(audit.ActorUserId));
  put(doc, 'group.name', text(audit.GroupName));
  put(doc, 'file.name', text(audit.FileName));
  putUpn(doc, 'user.target', text(audit.TargetUserId));
  put(doc, 'user.target.id', text(audit.TargetObjectId) ?? text(audit.TargetYammerUserId));
}
