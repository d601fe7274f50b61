// Audit.SharePoint: file operations (RecordType 6) and sharing (14), on team sites and OneDrive.
import type { AuditRecord } from '../../types.js';
import { between, chance, guid, pick, weighted, type Draw } from '../draw.js';
import { somePerson, type Person, type TenantProfile } from '../tenant-profile.js';
import { auditRecord, USER_TYPE, type RecordContext } from './common.js';

const FILES = [
  'Budget 2024.xlsx', 'Board deck.pptx', 'Contract draft.docx', 'Customer list.csv', 'Roadmap.pptx',
  'Screenshot.png', 'Invoice 4471.pdf', 'Meeting notes.docx', 'Design spec.docx', 'Payroll.xlsx',
];
const FOLDERS = ['', 'General', 'Projects', 'Archive', 'Reports/2024'];
const FILE_OPERATIONS: ReadonlyArray<readonly [string, number]> = [
  ['FileAccessed', 40],
  ['FilePreviewed', 12],
  ['FileModified', 14],
  ['FileDownloaded', 10],
  ['FileUploaded', 8],
  ['FileSyncDownloadedFull', 4],
  ['FileDeleted', 3],
  ['FileRecycled', 2],
  ['FolderCreated', 3],
];
const SHARING_OPERATIONS: ReadonlyArray<readonly [{ operation: string; eventData: string; targetType: string }, number]> = [
  [{ operation: 'SharingSet', eventData: '<Permissions granted>System.LimitedEdit</Permissions granted>', targetType: 'SecurityGroup' }, 3],
  [{ operation: 'SharingInvitationCreated', eventData: '<Type>Edit</Type><MembersCanShare>true</MembersCanShare>', targetType: 'Guest' }, 2],
  [{ operation: 'AnonymousLinkCreated', eventData: '<Type>View</Type>', targetType: 'Member' }, 1],
  [{ operation: 'SecureLinkCreated', eventData: '<Permission>Read</Permission><SharingLinkScope>Organization</SharingLinkScope>', targetType: 'Member' }, 2],
  [{ operation: 'AddedToSecureLink', eventData: '<Permission>Read</Permission>', targetType: 'Member' }, 2],
];
const GEO_BY_REGION = { namr: 'NAM', emea: 'EUR', apac: 'APC' } as const;

interface Location {
  workload: 'SharePoint' | 'OneDrive';
  siteUrl: string;
  siteId: string;
  webId: string;
  listId: string;
  library: string;
}

export function sharePointRecord(context: RecordContext): AuditRecord {
  return chance(context.draw, 0.85) ? fileOperation(context) : sharingOperation(context);
}

function location(draw: Draw, profile: TenantProfile, person: Person): Location {
  if (chance(draw, 0.35)) {
    return {
      workload: 'OneDrive',
      siteUrl: `${person.oneDriveUrl}/`,
      siteId: guid(draw),
      webId: guid(draw),
      listId: guid(draw),
      library: 'Documents',
    };
  }
  const site = pick(draw, profile.sites);
  return { workload: 'SharePoint', siteUrl: `${site.url}/`, siteId: site.siteId, webId: site.webId, listId: site.listId, library: site.library };
}

function userKey(person: Person): string {
  return `i:0h.f|membership|${person.puid.toLowerCase()}@live.com`;
}

function sharePointFields(draw: Draw, profile: TenantProfile, person: Person, where: Location, fileName: string, folder: string): Record<string, unknown> {
  const relative = folder ? `${where.library}/${folder}` : where.library;
  return {
    CorrelationId: guid(draw),
    EventSource: 'SharePoint',
    ItemType: 'File',
    ListId: where.listId,
    ListItemUniqueId: guid(draw),
    Site: where.siteId,
    UserAgent: person.device.userAgent,
    WebId: where.webId,
    GeoLocation: GEO_BY_REGION[profile.region],
    IsManagedDevice: chance(draw, 0.4),
    Platform: person.device.platform,
    BrowserName: person.device.browser,
    BrowserVersion: person.device.browserVersion,
    SourceFileExtension: fileName.slice(fileName.lastIndexOf('.') + 1),
    SiteUrl: where.siteUrl,
    SourceFileName: fileName,
    SourceRelativeUrl: relative,
  };
}

function fileOperation(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const person = somePerson(draw, profile);
  const where = location(draw, profile, person);
  const operation = weighted(draw, FILE_OPERATIONS);
  const folder = pick(draw, FOLDERS);
  const fileName = pick(draw, FILES);
  const relative = folder ? `${where.library}/${folder}` : where.library;
  const fields = sharePointFields(draw, profile, person, where, fileName, folder);
  const isFolder = operation === 'FolderCreated';
  return auditRecord(
    context,
    {
      Operation: operation,
      RecordType: 6,
      ResultStatus: 'Succeeded',
      UserKey: userKey(person),
      UserType: USER_TYPE.regular,
      Workload: where.workload,
      ClientIP: person.homeAddress,
      ObjectId: isFolder ? `${where.siteUrl}${relative}/${folder || 'New Folder'}` : `${where.siteUrl}${relative}/${fileName}`,
      UserId: person.upn,
    },
    isFolder
      ? { ...fields, ItemType: 'Folder', SourceFileName: folder || 'New Folder', SourceFileExtension: '' }
      : { ...fields, ...(operation === 'FileUploaded' ? { ImplicitShare: 'No' } : {}) },
  );
}

function sharingOperation(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const person = somePerson(draw, profile);
  const where = location(draw, profile, person);
  const sharing = weighted(draw, SHARING_OPERATIONS);
  const fileName = pick(draw, FILES);
  const folder = pick(draw, FOLDERS);
  const relative = folder ? `${where.library}/${folder}` : where.library;
  const recipient = somePerson(draw, profile);
  const target =
    sharing.targetType === 'Guest'
      ? `${pick(draw, ['partner', 'auditor', 'consultant'])}${between(draw, 1, 99)}@${pick(draw, ['example.com', 'example.net', 'example.org'])}`
      : sharing.targetType === 'SecurityGroup'
        ? `${profile.name} Members`
        : recipient.upn;
  return auditRecord(
    context,
    {
      Operation: sharing.operation,
      RecordType: 14,
      ResultStatus: 'Succeeded',
      UserKey: userKey(person),
      UserType: USER_TYPE.regular,
      Workload: where.workload,
      ClientIP: person.homeAddress,
      ObjectId: `${where.siteUrl}${relative}/${fileName}`,
      UserId: person.upn,
    },
    {
      ...sharePointFields(draw, profile, person, where, fileName, folder),
      EventData: sharing.eventData,
      TargetUserOrGroupName: target,
      TargetUserOrGroupType: sharing.targetType,
      UniqueSharingId: guid(draw),
    },
  );
}
