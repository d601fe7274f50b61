// One audit record, generated from its stream position alone: the same ordinal always yields the same
// record, whichever blob it is served in and however often.
import { seededRandom, seedOf, stableGuid } from '../../random.js';
import type { AuditRecord, ContentType } from '../../types.js';
import type { Draw } from '../draw.js';
import type { TenantProfile } from '../tenant-profile.js';
import { aadRecord } from './aad.js';
import type { RecordContext } from './common.js';
import { dlpRecord } from './dlp.js';
import { exchangeRecord } from './exchange.js';
import { generalRecord } from './general.js';
import { sharePointRecord } from './sharepoint.js';

const GENERATORS: Readonly<Record<ContentType, (context: RecordContext) => AuditRecord>> = {
  'Audit.AzureActiveDirectory': aadRecord,
  'Audit.Exchange': exchangeRecord,
  'Audit.SharePoint': sharePointRecord,
  'Audit.General': generalRecord,
  'DLP.All': dlpRecord,
};

/** Share of records whose numeric fields arrive as strings (`"RecordType":"15"`), as the wire sometimes has. */
const STRINGLY_NUMBERS_RATE = 0.02;

export type RecordFactory = (ordinal: number, blobCreated: number) => AuditRecord;

export function createRecordFactory(seed: number, profile: TenantProfile, contentType: ContentType): RecordFactory {
  const generate = GENERATORS[contentType];
  return (ordinal, blobCreated) => {
    const draw = seededRandom(seedOf(seed, 'record', profile.tenantId, contentType, ordinal));
    const creationTime = blobCreated - publicationDelay(draw);
    const stringly = draw() < STRINGLY_NUMBERS_RATE;
    const record = generate({ profile, id: stableGuid(seed, 'record id', profile.tenantId, contentType, ordinal), creationTime, draw });
    return stringly ? withStringNumbers(record) : record;
  };
}

/**
 * How long before its blob an event happened: mostly the documented 60–90 minutes, sometimes minutes,
 * sometimes up to about 12 hours.
 */
function publicationDelay(draw: Draw): number {
  const kind = draw();
  const minute = 60_000;
  const spread = draw();
  if (kind < 0.1) return (2 + spread * 58) * minute;
  if (kind < 0.88) return (60 + spread * 30) * minute;
  return (90 + spread * spread * 630) * minute;
}

function withStringNumbers(record: AuditRecord): AuditRecord {
  const copy: AuditRecord = { ...record, RecordType: String(record.RecordType), UserType: String(record.UserType) };
  if (Array.isArray(record.Actor)) {
    copy.Actor = (record.Actor as Array<{ ID: string; Type: number }>).map((actor) => ({ ...actor, Type: String(actor.Type) }));
  }
  return copy;
}
