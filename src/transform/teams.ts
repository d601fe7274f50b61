// Microsoft Teams (RecordType 25): teams, channels, membership, settings, sessions.
import { append, asList, asRecord, classify, field, put, putValues, text } from './fields.js';
import { splitUpn } from './identity.js';
import type { Mapping } from './mapping.js';

type Classification = [categories: string[], types: string[]];

const CLASSIFICATION_BY_OPERATION: ReadonlyMap<string, Classification> = new Map([
  ['TeamCreated', [['iam'], ['group', 'creation']]],
  ['TeamDeleted', [['iam'], ['group', 'deletion']]],
  ['MemberAdded', [['iam'], ['group', 'change']]],
  ['MemberRemoved', [['iam'], ['group', 'change']]],
  ['MemberRoleChanged', [['iam'], ['group', 'change']]],
  ['ChannelAdded', [['configuration'], ['creation']]],
  ['ChannelDeleted', [['configuration'], ['deletion']]],
  ['TeamsSessionStarted', [['authentication'], ['start']]],
]);

export function mapTeams({ doc, audit, operation }: Mapping): void {
  const classification = operation === undefined ? undefined : CLASSIFICATION_BY_OPERATION.get(operation);
  if (classification !== undefined) classify(doc, ...classification);
  else if (/SettingChanged$/.test(operation ?? '')) classify(doc, ['configuration'], ['change']);

  put(doc, 'group.name', text(audit.TeamName));
  put(doc, 'group.id', text(audit.TeamGuid));

  const members = asList(audit.Members).map((member) => text(field(asRecord(member), 'UPN')));
  append(doc, 'related.user', members);
  if (operation?.startsWith('Member')) {
    // The members listed on a membership change are the users it targets.
    const upns = members.map(splitUpn).filter((upn) => upn !== undefined);
    putValues(doc, 'user.target.email', upns.map((upn) => upn.email));
    putValues(doc, 'user.target.name', upns.map((upn) => upn.name));
    putValues(doc, 'user.target.domain', upns.map((upn) => upn.domain));
  }
}
