// Audit.AzureActiveDirectory: sign-ins (RecordType 15) and directory changes (RecordType 8).
import { FIRST_PARTY_APPS } from '../../../transform/enrich/first-party-apps.js';
import type { AuditRecord } from '../../types.js';
import { SCRIPTED_USER_AGENTS } from '../devices.js';
import { between, chance, guid, pick, weighted, type Draw } from '../draw.js';
import { PUBLIC_ADDRESSES } from '../public-addresses.js';
import { somePerson, type Person, type TenantProfile } from '../tenant-profile.js';
import { auditRecord, jsonArrayString, USER_TYPE, type RecordContext } from './common.js';

const WORKLOAD = 'AzureActiveDirectory';

/** Apps people sign in to, and the resources those sign-ins are for. */
const CLIENT_APPS = FIRST_PARTY_APPS.filter((app) =>
  ['OfficeHome', 'Microsoft Office', 'Microsoft Teams', 'Outlook Mobile', 'Azure Portal', 'Microsoft Azure CLI', 'OneDrive SyncEngine', 'My Apps'].includes(app.displayName),
);
const RESOURCE_APPS = FIRST_PARTY_APPS.filter((app) =>
  ['Microsoft Graph', 'Office 365 Exchange Online', 'Office 365 SharePoint Online', 'Windows Azure Active Directory'].includes(app.displayName),
);

/** AADSTS codes and the LogonError names the audit log gives them. */
const LOGON_ERRORS: ReadonlyArray<readonly [{ code: string; name: string }, number]> = [
  [{ code: '50126', name: 'InvalidUserNameOrPassword' }, 55],
  [{ code: '50076', name: 'UserStrongAuthClientAuthNRequiredInterrupt' }, 15],
  [{ code: '50074', name: 'UserStrongAuthClientAuthNRequired' }, 8],
  [{ code: '50053', name: 'IdsLocked' }, 8],
  [{ code: '50055', name: 'InvalidPasswordExpiredPassword' }, 4],
  [{ code: '50057', name: 'UserAccountDisabled' }, 3],
  [{ code: '53003', name: 'BlockedByConditionalAccess' }, 7],
];

const ROLES = [
  { name: 'Global Administrator', templateId: '62e90394-69f5-4237-9190-012177145e10', wellKnown: 'TenantAdmins' },
  { name: 'Exchange Administrator', templateId: '29232cdf-9323-42fd-ade2-1d097af3e4de', wellKnown: 'ExchangeServiceAdministrator' },
  { name: 'SharePoint Administrator', templateId: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c', wellKnown: 'SharePointServiceAdministrator' },
  { name: 'Security Reader', templateId: '5d6b6bb7-de71-4623-b4af-96380a352509', wellKnown: 'SecurityReader' },
];

export function aadRecord(context: RecordContext): AuditRecord {
  return chance(context.draw, 0.82) ? signIn(context) : directoryChange(context);
}

function signIn(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const person = somePerson(draw, profile);
  const away = chance(draw, 0.15);
  const address = away ? pick(draw, PUBLIC_ADDRESSES) : person.homeAddress;
  // Failures cluster on sign-ins from unusual places: sprays, travellers, stale passwords.
  const failed = chance(draw, away ? 0.4 : 0.08);
  const error = failed ? weighted(draw, LOGON_ERRORS) : undefined;
  const scripted = failed && away && chance(draw, 0.5);
  const userAgent = scripted ? pick(draw, SCRIPTED_USER_AGENTS) : person.device.userAgent;
  const client = pick(draw, CLIENT_APPS);
  const resource = pick(draw, RESOURCE_APPS);
  const requestType = failed ? pick(draw, ['Login:login', 'OAuth2:Token']) : pick(draw, ['OAuth2:Authorize', 'OAuth2:Token', 'Login:login', 'Login:reprocess', 'Cmsi:Cmsi', 'SAS:ProcessAuth']);
  const extended = [
    { Name: 'ResultStatusDetail', Value: failed ? 'UserError' : pick(draw, ['Success', 'Success', 'Redirect']) },
    { Name: 'UserAgent', Value: userAgent },
    { Name: 'UserAuthenticationMethod', Value: pick(draw, ['1', '1', '9', '16']) },
    { Name: 'RequestType', Value: requestType },
    ...(requestType === 'Login:login' ? [{ Name: 'KeepMeSignedIn', Value: chance(draw, 0.3) ? 'True' : 'False' }] : []),
  ];
  const device = [
    ...(chance(draw, 0.4) ? [{ Name: 'Id', Value: guid(draw) }, { Name: 'DisplayName', Value: `${profile.name.toUpperCase()}-${between(draw, 1000, 9999)}` }] : []),
    { Name: 'OS', Value: person.device.os },
    { Name: 'BrowserType', Value: person.device.browser },
    { Name: 'IsCompliantAndManaged', Value: chance(draw, 0.4) ? 'True' : 'False' },
    { Name: 'SessionId', Value: guid(draw) },
  ];
  return auditRecord(
    context,
    {
      Operation: failed ? 'UserLoginFailed' : 'UserLoggedIn',
      RecordType: 15,
      // The status of the HTTP operation, not of the sign-in: failures say Success too (LogonError tells).
      ResultStatus: 'Success',
      UserKey: `${person.puid}@${profile.domain}`,
      UserType: USER_TYPE.regular,
      Workload: WORKLOAD,
      ClientIP: address,
      ObjectId: resource.appId,
      UserId: person.upn,
    },
    {
      AzureActiveDirectoryEventType: 1,
      ExtendedProperties: extended,
      ModifiedProperties: [],
      Actor: [
        { ID: person.objectId, Type: 0 },
        { ID: person.upn, Type: 5 },
      ],
      ActorContextId: profile.tenantId,
      ActorIpAddress: address,
      InterSystemsId: guid(draw),
      IntraSystemId: guid(draw),
      SupportTicketId: '',
      Target: [{ ID: resource.appId, Type: 0 }],
      TargetContextId: profile.tenantId,
      ApplicationId: client.appId,
      DeviceProperties: device,
      ErrorNumber: error ? error.code : '0',
      ...(error ? { LogonError: error.name } : {}),
    },
  );
}

interface Change {
  operation: string;
  objectId: string;
  target: Array<{ ID: string; Type: number }>;
  modified: Array<{ Name: string; NewValue: string; OldValue: string }>;
  category: string;
}

function directoryChange(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const admin = pick(draw, profile.admins);
  const change = pick(draw, [addUser, updateUser, addMemberToRole, updateApplication])(draw, profile);
  return auditRecord(
    context,
    {
      Operation: change.operation,
      RecordType: 8,
      ResultStatus: 'Success',
      UserKey: `${admin.puid}@${profile.domain}`,
      UserType: USER_TYPE.regular,
      Workload: WORKLOAD,
      // Directory audits carry no client address: the field is there, empty.
      ClientIP: '',
      ObjectId: change.objectId,
      UserId: admin.upn,
    },
    {
      AzureActiveDirectoryEventType: 1,
      ExtendedProperties: [
        { Name: 'additionalDetails', Value: '{}' },
        { Name: 'extendedAuditEventCategory', Value: change.category },
      ],
      ModifiedProperties: change.modified,
      Actor: [
        { ID: admin.upn, Type: 5 },
        { ID: admin.puid, Type: 3 },
        { ID: `User_${admin.objectId}`, Type: 2 },
        { ID: admin.objectId, Type: 2 },
        { ID: 'User', Type: 2 },
      ],
      ActorContextId: profile.tenantId,
      ActorIpAddress: '',
      InterSystemsId: guid(draw),
      IntraSystemId: guid(draw),
      SupportTicketId: '',
      Target: change.target,
      TargetContextId: profile.tenantId,
    },
  );
}

function userTarget(person: Person): Change['target'] {
  return [
    { ID: `User_${person.objectId}`, Type: 2 },
    { ID: person.objectId, Type: 2 },
    { ID: 'User', Type: 2 },
    { ID: person.upn, Type: 5 },
    { ID: person.puid, Type: 3 },
  ];
}

function addUser(draw: Draw, profile: TenantProfile): Change {
  const person = somePerson(draw, profile);
  return {
    operation: 'Add user.',
    objectId: person.upn,
    target: userTarget(person),
    category: 'User',
    modified: [
      { Name: 'AccountEnabled', NewValue: jsonArrayString([true]), OldValue: '[]' },
      { Name: 'DisplayName', NewValue: jsonArrayString([person.displayName]), OldValue: '[]' },
      { Name: 'UserPrincipalName', NewValue: jsonArrayString([person.upn]), OldValue: '[]' },
      { Name: 'Included Updated Properties', NewValue: 'AccountEnabled, DisplayName, UserPrincipalName', OldValue: '' },
    ],
  };
}

function updateUser(draw: Draw, profile: TenantProfile): Change {
  const person = somePerson(draw, profile);
  const [name, value] = pick(draw, [
    ['Department', pick(draw, ['Sales', 'Finance', 'Engineering', 'Legal'])],
    ['JobTitle', pick(draw, ['Analyst', 'Engineer', 'Manager', 'Director'])],
    ['MobilePhone', `+1 425 555 0${between(draw, 100, 199)}`],
  ] as const);
  // A property set for the first time shows its old value as the literal string "<null>".
  const firstTime = chance(draw, 0.4);
  return {
    operation: 'Update user.',
    objectId: person.upn,
    target: userTarget(person),
    category: 'User',
    modified: [
      { Name: name, NewValue: jsonArrayString([value]), OldValue: firstTime ? '<null>' : jsonArrayString(['(previous)']) },
      { Name: 'Included Updated Properties', NewValue: name, OldValue: '' },
      { Name: 'TargetId.UserType', NewValue: 'Member', OldValue: '' },
    ],
  };
}

function addMemberToRole(draw: Draw, profile: TenantProfile): Change {
  const person = somePerson(draw, profile);
  const role = pick(draw, ROLES);
  return {
    operation: 'Add member to role.',
    objectId: person.upn,
    target: userTarget(person),
    category: 'RoleManagement',
    modified: [
      { Name: 'Role.ObjectID', NewValue: guid(draw), OldValue: '' },
      { Name: 'Role.DisplayName', NewValue: role.name, OldValue: '' },
      { Name: 'Role.TemplateId', NewValue: role.templateId, OldValue: '' },
      { Name: 'Role.WellKnownObjectName', NewValue: role.wellKnown, OldValue: '' },
    ],
  };
}

function updateApplication(draw: Draw, profile: TenantProfile): Change {
  const appId = guid(draw);
  const objectId = guid(draw);
  const displayName = pick(draw, ['HR Portal', 'Expense Sync', 'Build Agent', 'Reporting Connector']);
  const keyId = guid(draw);
  return {
    operation: 'Update application.',
    objectId,
    target: [
      { ID: `Application_${objectId}`, Type: 2 },
      { ID: objectId, Type: 2 },
      { ID: 'Application', Type: 2 },
      { ID: displayName, Type: 1 },
      { ID: appId, Type: 2 },
    ],
    category: 'Application',
    modified: [
      {
        Name: 'KeyDescription',
        NewValue: jsonArrayString([`[KeyIdentifier=${keyId},KeyType=Password,KeyUsage=Verify,DisplayName=${profile.name} secret]`]),
        OldValue: '[]',
      },
      { Name: 'Included Updated Properties', NewValue: 'KeyDescription', OldValue: '' },
    ],
  };
}
