import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DLP_SENSITIVE_TYPES } from '../../src/emulator/catalog/index.js';
import { PUBLIC_ADDRESSES } from '../../src/emulator/catalog/public-addresses.js';
import { FIRST_PARTY_APPS } from '../../src/transform/enrich/first-party-apps.js';
import type { AuditRecord, ContentType } from '../../src/emulator/types.js';
import { allRecords, catalogOf, HOUR, START } from './catalog-fixtures.js';

const entries = allRecords(catalogOf({ events: 6000 }), START);
const records = entries.map((entry) => entry.record);
const ofType = (type: ContentType): AuditRecord[] => entries.filter((entry) => entry.blob.contentType === type).map((entry) => entry.record);
const share = (items: readonly unknown[], test: (item: never) => boolean): number =>
  items.filter((item) => test(item as never)).length / items.length;

/** RecordType → Workloads allowed, per content type (contract §5.1). */
const PAIRS: Record<ContentType, Record<number, string[]>> = {
  'Audit.AzureActiveDirectory': { 8: ['AzureActiveDirectory'], 15: ['AzureActiveDirectory'] },
  'Audit.Exchange': { 1: ['Exchange'], 2: ['Exchange'], 3: ['Exchange'], 50: ['Exchange'] },
  'Audit.SharePoint': { 6: ['SharePoint', 'OneDrive'], 14: ['SharePoint', 'OneDrive'] },
  'Audit.General': { 18: ['SecurityComplianceCenter'], 20: ['PowerBI'], 22: ['Yammer'], 25: ['MicrosoftTeams'], 40: ['SecurityComplianceCenter'] },
  'DLP.All': { 11: ['SharePoint', 'OneDrive'], 13: ['Exchange'] },
};

describe('catalog records', () => {
  it('carry the common schema: Id, CreationTime without offset, Operation, tenant, user and workload', () => {
    const tenantIds = new Set(entries.map((entry) => entry.blob.tenantId));
    for (const { blob, record } of entries) {
      assert.match(record.Id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.match(record.CreationTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      assert.equal(record.OrganizationId, blob.tenantId);
      assert.ok(tenantIds.has(String(record.OrganizationId)));
      for (const field of ['Operation', 'UserKey', 'UserId', 'Workload']) {
        assert.equal(typeof record[field], 'string', `${field} of ${JSON.stringify(record)}`);
      }
      assert.ok(Number.isInteger(Number(record.RecordType)) && Number.isInteger(Number(record.UserType)));
      assert.equal(record.Version, 1);
    }
    assert.equal(new Set(records.map((record) => record.Id)).size, records.length, 'Ids are unique without duplicate faults');
  });

  it('pair RecordType and Workload as each content type does, covering every kind', () => {
    for (const [type, pairs] of Object.entries(PAIRS) as Array<[ContentType, Record<number, string[]>]>) {
      const seen = new Set<number>();
      for (const record of ofType(type)) {
        const recordType = Number(record.RecordType);
        seen.add(recordType);
        assert.ok(pairs[recordType]?.includes(String(record.Workload)), `${type}: RecordType ${recordType} with ${record.Workload}`);
      }
      assert.deepEqual([...seen].sort((a, b) => a - b), Object.keys(pairs).map(Number), `${type} covers every record type`);
    }
  });

  it('happened minutes to hours before their blob, out of order inside it', () => {
    const delays = entries.map(({ blob, record }) => blob.contentCreated - Date.parse(`${record.CreationTime}Z`));
    assert.ok(delays.every((delay) => delay > 0 && delay <= 12 * HOUR + 1000));
    assert.ok(share(delays, (delay: number) => delay >= HOUR && delay <= 1.5 * HOUR + 1000) > 0.6, 'mostly 60–90 minutes');
    assert.ok(delays.some((delay) => delay > 4 * HOUR));
    const blobs = new Map<string, string[]>();
    for (const { blob, record } of entries) blobs.set(blob.contentId, [...(blobs.get(blob.contentId) ?? []), record.CreationTime]);
    const unsorted = [...blobs.values()].filter((times) => times.some((time, i) => i > 0 && time < (times[i - 1] ?? '')));
    assert.ok(unsorted.length > blobs.size / 2, 'most blobs are out of event order');
  });

  it('sign people in from real public addresses, mostly from home, with 10–15 % failures', () => {
    const signIns = ofType('Audit.AzureActiveDirectory').filter((record) => Number(record.RecordType) === 15);
    const failed = signIns.filter((record) => record.Operation === 'UserLoginFailed');
    const failureShare = failed.length / signIns.length;
    assert.ok(failureShare >= 0.08 && failureShare <= 0.17, `failure share ${failureShare}`);
    for (const record of failed) {
      assert.equal(record.ResultStatus, 'Success', 'the wire says Success even on a failed sign-in');
      assert.match(String(record.ErrorNumber), /^5\d{4}$/);
      assert.equal(typeof record.LogonError, 'string');
    }
    assert.ok(failed.some((record) => record.ErrorNumber === '50126' && record.LogonError === 'InvalidUserNameOrPassword'));
    const appIds = new Set(FIRST_PARTY_APPS.map((app) => app.appId));
    const byUser = new Map<string, string[]>();
    for (const record of signIns) {
      assert.ok(PUBLIC_ADDRESSES.includes(String(record.ClientIP)), `${record.ClientIP} is a known public address`);
      assert.ok(appIds.has(String(record.ApplicationId)));
      const names = (record.ExtendedProperties as Array<{ Name: string }>).map((property) => property.Name);
      assert.ok(names.includes('UserAgent') && names.includes('RequestType') && names.includes('ResultStatusDetail'));
      assert.ok(Array.isArray(record.DeviceProperties));
      byUser.set(String(record.UserId), [...(byUser.get(String(record.UserId)) ?? []), String(record.ClientIP)]);
    }
    assert.ok(new Set(signIns.map((record) => record.ClientIP)).size >= 20, 'from many places');
    let fromHome = 0;
    for (const [user, addresses] of byUser) {
      const counts = new Map<string, number>();
      for (const address of addresses) counts.set(address, (counts.get(address) ?? 0) + 1);
      const home = Math.max(...counts.values());
      if (addresses.length >= 20) assert.ok(home / addresses.length > 0.6, `${user} signs in mostly from home`);
      fromHome += home;
    }
    const homeShare = fromHome / signIns.length;
    assert.ok(homeShare > 0.75 && homeShare < 0.95, `people sign in from home ${homeShare} of the time, and sometimes from elsewhere`);
  });

  it('name DLP sensitive types by the ids /resources/dlpSensitiveTypes resolves', () => {
    const known = new Set(DLP_SENSITIVE_TYPES.map((type) => type.id));
    const dlp = ofType('DLP.All');
    assert.ok(dlp.length > 0);
    for (const record of dlp) {
      const policies = record.PolicyDetails as Array<{ Rules: Array<{ ConditionsMatched: { SensitiveInformation: Array<{ SensitiveType: string }> } }> }>;
      const types = policies.flatMap((policy) => policy.Rules.flatMap((rule) => rule.ConditionsMatched.SensitiveInformation.map((info) => info.SensitiveType)));
      assert.ok(types.length > 0 && types.every((type) => known.has(type)), JSON.stringify(types));
      assert.ok(record.SharePointMetaData || record.ExchangeMetaData);
    }
  });

  it('keep the wire-format traps a parser must survive', () => {
    const ips = records.map((record) => String(record.ClientIP ?? ''));
    assert.ok(records.some((record) => typeof record.RecordType === 'string'), 'RecordType as a string');
    assert.ok(records.some((record) => typeof record.UserType === 'string'), 'UserType as a string');
    assert.ok(ips.some((ip) => /^\d+\.\d+\.\d+\.\d+:\d+$/.test(ip)), 'IPv4 with port');
    assert.ok(ips.some((ip) => /^\[[0-9a-f:]+\]:\d+$/.test(ip)), 'bracketed IPv6 with port');
    assert.ok(ips.some((ip) => /^::ffff:\d+\.\d+\.\d+\.\d+$/.test(ip)), 'IPv4-mapped IPv6');
    assert.ok(ips.some((ip) => /^[0-9a-f]*:[0-9a-f:]+$/.test(ip) && !ip.startsWith('::ffff:')), 'plain IPv6');
    const directory = ofType('Audit.AzureActiveDirectory').filter((record) => Number(record.RecordType) === 8);
    assert.ok(directory.length > 0 && directory.every((record) => record.ClientIP === ''), 'empty ClientIP on directory audits');
    const modified = directory.flatMap((record) => record.ModifiedProperties as Array<{ NewValue: string; OldValue: string }>);
    assert.ok(modified.every((property) => typeof property.NewValue === 'string' && typeof property.OldValue === 'string'));
    assert.ok(modified.some((property) => property.NewValue.startsWith('[\r\n')), 'JSON inside a string');
    assert.ok(modified.some((property) => property.OldValue === '<null>'), '"<null>" values');
    assert.ok(records.some((record) => String(record.OriginatingServer ?? '').endsWith('\r\n')), 'OriginatingServer ending in CRLF');
    const general = ofType('Audit.General');
    assert.ok(general.some((record) => Number(record.RecordType) === 18 && typeof record.Parameters === 'string'), 'S&C Parameters as one string');
    assert.ok(ofType('Audit.Exchange').some((record) => Number(record.RecordType) === 1 && Array.isArray(record.Parameters)));
    assert.ok(ofType('Audit.SharePoint').every((record) => typeof record.ItemType === 'string'), 'ItemType as a name');
    assert.ok(general.some((record) => Number(record.RecordType) === 22 && /:\d+$/.test(String(record.ClientIP))), 'Yammer ClientIP with port');
  });

  it('use the documented operations of each workload', () => {
    const operations = new Set(records.map((record) => `${Number(record.RecordType)} ${record.Operation}`));
    for (const expected of [
      '15 UserLoggedIn', '15 UserLoginFailed', '8 Add user.', '8 Update user.', '8 Add member to role.', '8 Update application.',
      '2 Send', '3 MoveToDeletedItems', '50 MailItemsAccessed', '6 FileAccessed', '14 SharingSet', '25 MemberAdded',
      '22 GroupCreation', '40 AlertTriggered', '20 ViewReport', '11 DLPRuleMatch', '13 DlpRuleMatch',
    ]) {
      assert.ok(operations.has(expected), expected);
    }
    for (const record of ofType('Audit.Exchange').filter((r) => Number(r.RecordType) === 1)) {
      assert.ok(['True', 'False'].includes(String(record.ResultStatus)));
    }
    for (const record of ofType('Audit.Exchange').filter((r) => Number(r.RecordType) === 50)) {
      assert.ok(Array.isArray(record.OperationProperties) && Array.isArray(record.Folders) && typeof record.ClientInfoString === 'string');
    }
  });
});
