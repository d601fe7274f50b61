// Content ids shaped like the service's modern ones,
//   20200703091246475115498$20200703091246475115498$audit_exchange$Audit_Exchange$emea0036
// The 23 digits are the blob's contentCreated to the millisecond plus six digits of its stream position,
// so an id parses back to its stream and a handful of candidate blobs without any lookup table.
import { CONTENT_TYPES, type ContentType } from '../types.js';

const WORKLOAD_TAGS: Readonly<Record<ContentType, string>> = {
  'Audit.AzureActiveDirectory': 'audit_azureactivedirectory$Audit_AzureActiveDirectory',
  'Audit.Exchange': 'audit_exchange$Audit_Exchange',
  'Audit.SharePoint': 'audit_sharepoint$Audit_SharePoint',
  'Audit.General': 'audit_general$Audit_General',
  'DLP.All': 'dlp_all$DLP_All',
};

const POSITION_DIGITS = 6;
const POSITION_MODULUS = 10 ** POSITION_DIGITS;

export function formatContentId(contentType: ContentType, contentCreated: number, index: number, location: string): string {
  const stamp = new Date(contentCreated).toISOString().replace(/\D/g, '').slice(0, 17);
  const prefix = stamp + String(index % POSITION_MODULUS).padStart(POSITION_DIGITS, '0');
  return `${prefix}$${prefix}$${WORKLOAD_TAGS[contentType]}$${location}`;
}

export interface ParsedContentId {
  contentType: ContentType;
  contentCreated: number;
  /** The blob's index modulo 10^6. */
  indexTail: number;
}

const CONTENT_ID_PATTERN = /^(\d{17})(\d{6})\$\1\2\$([a-z_]+\$[A-Za-z_]+)\$[a-z]+\d{4}$/;

export function parseContentId(contentId: string): ParsedContentId | undefined {
  const match = CONTENT_ID_PATTERN.exec(contentId);
  if (!match) return undefined;
  const [, stamp = '', tail = '', tag] = match;
  const contentType = CONTENT_TYPES.find((type) => WORKLOAD_TAGS[type] === tag);
  if (!contentType) return undefined;
  const contentCreated = Date.UTC(
    Number(stamp.slice(0, 4)),
    Number(stamp.slice(4, 6)) - 1,
    Number(stamp.slice(6, 8)),
    Number(stamp.slice(8, 10)),
    Number(stamp.slice(10, 12)),
    Number(stamp.slice(12, 14)),
    Number(stamp.slice(14, 17)),
  );
  return { contentType, contentCreated, indexTail: Number(tail) };
}

export function indexTail(index: number): number {
  return index % POSITION_MODULUS;
}
