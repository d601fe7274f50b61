// Audit.Exchange: admin cmdlets (RecordType 1), mail sent (2), items moved (3), mail read (50).
import type { AuditRecord } from '../../types.js';
import { EXCHANGE_CLIENTS } from '../devices.js';
import { between, chance, guid, hex, pick, weighted, type Draw } from '../draw.js';
import { ipv4Mapped, withPort } from '../public-addresses.js';
import { somePerson, type Person, type TenantProfile } from '../tenant-profile.js';
import { auditRecord, originatingServer, USER_TYPE, type RecordContext } from './common.js';

const WORKLOAD = 'Exchange';
const EXCHANGE_ONLINE_APP = '00000002-0000-0ff1-ce00-000000000000';
const SYSTEM_ACTOR = 'NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)';
const SUBJECTS = ['Quarterly numbers', 'Re: Contract draft', 'Team offsite', 'Invoice 4471', 'FW: Security notice', 'Lunch?', 'Hello There'];
interface Folder {
  path: string;
  code: string;
}
const FOLDERS: readonly Folder[] = [
  { path: '\\Inbox', code: 'AAAAAAEMAAAB' },
  { path: '\\Sent Items', code: 'AAAAAAEJAAAB' },
  { path: '\\Drafts', code: 'AAAAAAEPAAAB' },
  { path: '\\Archive', code: 'AAAAAAFaAAAB' },
];

export function exchangeRecord(context: RecordContext): AuditRecord {
  const kind = weighted(context.draw, [
    [mailItemsAccessed, 50],
    [send, 25],
    [moveToDeletedItems, 10],
    [adminCmdlet, 15],
  ] as const);
  return kind(context);
}

/** Where a mailbox client connected from, in one of the several forms Exchange logs it. */
function clientAddress(draw: Draw, person: Person): string {
  const form = draw();
  if (form < 0.15) return withPort(person.homeAddress, between(draw, 1024, 65535));
  if (form < 0.25) return ipv4Mapped(person.homeAddress);
  return person.homeAddress;
}

function folderId(draw: Draw, folder: Folder): string {
  return `LgAAAAA${hex(draw, 28)}${folder.code}`;
}

function internetMessageId(draw: Draw, profile: TenantProfile): string {
  return `<${profile.serverPrefix}${between(draw, 1000, 9999)}${hex(draw, 24).toUpperCase()}@${profile.serverPrefix}${between(draw, 1000, 9999)}.${profile.forest.slice(0, 3).toLowerCase()}prd05.prod.outlook.com>`;
}

function mailboxFields(draw: Draw, profile: TenantProfile, person: Person, address: string): Record<string, unknown> {
  return {
    AppId: EXCHANGE_ONLINE_APP,
    ClientAppId: '',
    ClientIPAddress: address,
    ClientInfoString: pick(draw, EXCHANGE_CLIENTS),
    ExternalAccess: false,
    InternalLogonType: 0,
    LogonType: 0,
    LogonUserSid: person.sid,
    MailboxGuid: person.mailboxGuid,
    MailboxOwnerSid: person.sid,
    MailboxOwnerUPN: person.upn,
    OrganizationName: profile.domain,
    OriginatingServer: originatingServer(draw, profile),
    SessionId: guid(draw),
  };
}

function mailboxCommon(person: Person, operation: string, recordType: number, address: string) {
  return {
    Operation: operation,
    RecordType: recordType,
    ResultStatus: 'Succeeded',
    UserKey: person.puid,
    UserType: USER_TYPE.regular,
    Workload: WORKLOAD,
    ClientIP: address,
    UserId: person.upn,
  };
}

function mailItemsAccessed(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const person = somePerson(draw, profile);
  const address = clientAddress(draw, person);
  const folders = FOLDERS.slice(0, between(draw, 1, 3)).map((folder) => ({
    FolderItems: Array.from({ length: between(draw, 1, 4) }, () => ({ InternetMessageId: internetMessageId(draw, profile) })),
    Id: folderId(draw, folder),
    Path: folder.path,
  }));
  const { ClientIP: _omitted, ...common } = mailboxCommon(person, 'MailItemsAccessed', 50, address);
  return auditRecord(context, common, {
    ...mailboxFields(draw, profile, person, address),
    OperationProperties: [
      { Name: 'MailAccessType', Value: chance(draw, 0.7) ? 'Bind' : 'Sync' },
      { Name: 'IsThrottled', Value: 'False' },
    ],
    Folders: folders,
    OperationCount: folders.reduce((sum, folder) => sum + folder.FolderItems.length, 0),
  });
}

function send(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const person = somePerson(draw, profile);
  const address = clientAddress(draw, person);
  const folder = pick(draw, FOLDERS.slice(1, 3));
  return auditRecord(context, mailboxCommon(person, 'Send', 2, address), {
    ...mailboxFields(draw, profile, person, address),
    Item: {
      Id: 'Unknown',
      InternetMessageId: internetMessageId(draw, profile),
      ParentFolder: { Id: folderId(draw, folder), Path: folder.path },
      SizeInBytes: between(draw, 2_000, 2_000_000),
      Subject: pick(draw, SUBJECTS),
    },
  });
}

/** Moving or deleting items acts on a group of items: ExchangeItemGroup (RecordType 3). */
function moveToDeletedItems(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const person = somePerson(draw, profile);
  const address = clientAddress(draw, person);
  const inbox = FOLDERS[0] as Folder;
  return auditRecord(context, mailboxCommon(person, 'MoveToDeletedItems', 3, address), {
    ...mailboxFields(draw, profile, person, address),
    CrossMailboxOperation: false,
    DestFolder: { Id: `LgAAAAA${hex(draw, 28)}AAAAAAEKAAAB`, Path: '\\Deleted Items' },
    Folder: { Id: folderId(draw, inbox), Path: inbox.path },
    AffectedItems: Array.from({ length: between(draw, 1, 3) }, () => ({
      Id: `RgAAAAA${hex(draw, 40)}`,
      InternetMessageId: internetMessageId(draw, profile),
      ParentFolder: { Id: folderId(draw, inbox), Path: inbox.path },
      Subject: pick(draw, SUBJECTS),
    })),
  });
}

function adminCmdlet(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const bySystem = chance(draw, 0.3);
  const admin = pick(draw, profile.admins);
  const target = somePerson(draw, profile);
  const identity = `${profile.forest.replace('.prod.outlook.com', '')}.prod.outlook.com/Microsoft Exchange Hosted Organizations/${profile.domain}/${target.upn.split('@')[0]}`;
  const [operation, parameters] = pick(draw, [
    ['Set-Mailbox', [{ Name: 'Identity', Value: identity }, { Name: 'AuditEnabled', Value: 'True' }]],
    ['Add-MailboxPermission', [{ Name: 'Identity', Value: identity }, { Name: 'User', Value: admin.upn }, { Name: 'AccessRights', Value: 'FullAccess' }, { Name: 'InheritanceType', Value: 'All' }]],
    ['New-InboxRule', [{ Name: 'Mailbox', Value: identity }, { Name: 'Name', Value: 'Move newsletters' }, { Name: 'MoveToFolder', Value: 'Newsletters' }, { Name: 'StopProcessingRules', Value: 'True' }]],
    ['Set-CASMailbox', [{ Name: 'Identity', Value: identity }, { Name: 'PopEnabled', Value: 'False' }]],
    ['Set-OrganizationConfig', [{ Name: 'Identity', Value: profile.domain }, { Name: 'AuditDisabled', Value: 'False' }]],
  ] as const);
  const actor = bySystem ? SYSTEM_ACTOR : admin.upn;
  return auditRecord(
    context,
    {
      Operation: operation,
      RecordType: 1,
      ResultStatus: chance(draw, 0.97) ? 'True' : 'False',
      UserKey: bySystem ? SYSTEM_ACTOR : admin.puid,
      UserType: bySystem ? USER_TYPE.dcAdmin : USER_TYPE.admin,
      Workload: WORKLOAD,
      ...(bySystem ? {} : { ClientIP: withPort(admin.homeAddress, between(draw, 1024, 65535)) }),
      ObjectId: identity,
      UserId: actor,
    },
    {
      AppId: bySystem ? '' : 'fb78d390-0c51-40cd-8e17-fdbfab77341b',
      ClientAppId: '',
      ExternalAccess: bySystem,
      OrganizationName: profile.domain,
      OriginatingServer: originatingServer(draw, profile).trimEnd(),
      Parameters: parameters.map((parameter) => ({ ...parameter })),
      ...(bySystem ? {} : { ModifiedObjectResolvedName: target.displayName }),
    },
  );
}
