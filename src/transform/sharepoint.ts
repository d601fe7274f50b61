// SharePoint and OneDrive: file and folder operations, sharing, lists and site activity.
import { fileEventType } from './activity.js';
import { append, classify, put, text, type Doc } from './fields.js';
import { extensionOf } from './file-name.js';
import { putUpn } from './identity.js';
import type { Mapping } from './mapping.js';
import { RecordType } from './record-types.js';

const SHARING = /Shar(ing|ed)|Link(Created|Used|Updated|Removed)|SecureLink|AccessRequest|Invitation/;
const USER_TARGET_TYPES = new Set(['Member', 'Guest', 'Partner']);

export function mapSharePoint({ doc, audit, operation, recordType }: Mapping): void {
  const op = operation ?? '';
  if (/^Set|Settings?(Changed|Updated)$|Policy(Changed|Updated)$/.test(op)) {
    classify(doc, ['configuration'], ['change']);
  } else if (recordType === RecordType.SharePointSharingOperation || SHARING.test(op)) {
    // Sharing changes who may open a file; only using a link opens it.
    classify(doc, ['file'], [/Used$/.test(op) ? 'access' : 'change']);
  } else if (/^(File|Folder)/.test(op)) {
    classify(doc, ['file'], [fileEventType(op)]);
  } else if (/Viewed$|Accessed$|Performed$/.test(op)) {
    classify(doc, ['web'], ['access']);
  }
  putFile(doc, audit);
  putSharingTarget(doc, audit);
}

function putFile(doc: Doc, audit: Record<string, unknown>): void {
  const name = text(audit.SourceFileName);
  if (name === undefined) return;
  put(doc, 'file.name', name);
  put(doc, 'file.extension', text(audit.SourceFileExtension) ?? extensionOf(name));
  put(doc, 'file.directory', directoryOf(text(audit.SourceRelativeUrl), name));
  const itemType = text(audit.ItemType);
  put(doc, 'file.type', itemType === 'Folder' ? 'dir' : itemType === 'File' ? 'file' : undefined);
}

/** Sharing records put the file name at the end of SourceRelativeUrl, file operations do not; the directory is what precedes it. */
function directoryOf(relativeUrl: string | undefined, name: string): string | undefined {
  if (relativeUrl === undefined) return undefined;
  if (relativeUrl === name) return undefined;
  return relativeUrl.endsWith(`/${name}`) ? relativeUrl.slice(0, -(name.length + 1)) : relativeUrl;
}

function putSharingTarget(doc: Doc, audit: Record<string, unknown>): void {
  const name = text(audit.TargetUserOrGroupName) ?? text(audit.UserSharedWith);
  if (name === undefined) return;
  const type = text(audit.TargetUserOrGroupType);
  if (type === undefined || USER_TARGET_TYPES.has(type)) {
    if (!putUpn(doc, 'user.target', name)) put(doc, 'user.target.name', name);
    append(doc, 'related.user', [name]);
  } else {
    put(doc, 'user.target.group.name', name);
  }
}
