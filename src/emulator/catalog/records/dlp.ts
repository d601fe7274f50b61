// DLP.All: policy matches on SharePoint/OneDrive files (RecordType 11) and Exchange mail (13).
import { stableGuid } from '../../random.js';
import type { AuditRecord } from '../../types.js';
import { DLP_SENSITIVE_TYPES } from '../dlp-sensitive-types.js';
import { between, chance, guid, hex, pick, type Draw } from '../draw.js';
import { somePerson, type TenantProfile } from '../tenant-profile.js';
import { auditRecord, USER_TYPE, type RecordContext } from './common.js';

interface Policy {
  name: string;
  types: readonly string[];
}

const POLICIES: readonly Policy[] = [
  { name: 'U.S. Financial Data', types: ['CreditCardNumber', 'USBankAccountNumber', 'ABARoutingNumber'] },
  { name: 'U.S. Personally Identifiable Information', types: ['USSocialSecurityNumber', 'USIndividualTaxpayerIdentificationNumber', 'USUKPassportNumber'] },
  { name: 'GDPR Enhanced', types: ['EUDebitCardNumber', 'EUNationalIdentificationNumber', 'EUDriversLicenseNumber', 'GermanyIdentityCardNumber', 'InternationalBankingAccountNumber'] },
  { name: 'U.K. Financial Data', types: ['UKNationalInsuranceNumber', 'SWIFTCode', 'InternationalBankingAccountNumber'] },
  { name: 'Commonwealth Identity Numbers', types: ['CanadaSocialInsuranceNumber', 'AustraliaTaxFileNumber'] },
];
const SEVERITIES = ['Low', 'Medium', 'High'] as const;
const FILES = ['Customers Financial Data.docx', 'Payroll.xlsx', 'Passport scans.pdf', 'Vendor bank details.xlsx', 'Onboarding form.docx'];
const SUBJECTS = ["Here's the data you asked for", 'Payment details', 'Employee records', 'Wire transfer'];

export function dlpRecord(context: RecordContext): AuditRecord {
  return chance(context.draw, 0.6) ? sharePointMatch(context) : exchangeMatch(context);
}

function sensitiveType(name: string): string {
  return DLP_SENSITIVE_TYPES.find((type) => type.name === name)?.id ?? '';
}

function policyDetails(draw: Draw, profile: TenantProfile, location: string | undefined): Record<string, unknown>[] {
  const policy = pick(draw, POLICIES);
  const severity = pick(draw, SEVERITIES);
  const matched = policy.types.filter(() => chance(draw, 0.5));
  const types = matched.length > 0 ? matched : [pick(draw, policy.types)];
  return [
    {
      PolicyId: stableGuid(profile.tenantId, 'dlp policy', policy.name),
      PolicyName: policy.name,
      Rules: [
        {
          RuleId: stableGuid(profile.tenantId, 'dlp rule', policy.name, severity),
          RuleName: `${severity === 'High' ? 'High' : 'Low'} volume of content detected ${policy.name}`,
          Severity: severity,
          RuleMode: 'Enable',
          Actions: severity === 'High' ? ['NotifyUser', 'GenerateAlert', 'BlockAccess'] : ['NotifyUser'],
          ActionParameters: severity === 'High' ? [`GenerateAlert:${profile.admins[0]?.upn ?? ''}`] : [],
          ConditionsMatched: {
            SensitiveInformation: types.map((type) => ({
              Count: between(draw, 1, severity === 'High' ? 60 : 9),
              Confidence: pick(draw, [75, 85]),
              ...(location ? { Location: location, UniqueCount: 1 } : {}),
              SensitiveType: sensitiveType(type),
            })),
            ...(chance(draw, 0.3) ? { OtherConditions: [{ Name: 'AccessScope', Value: 'IncludeExternalUsers' }] } : {}),
          },
        },
      ],
    },
  ];
}

function sharePointMatch(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const owner = somePerson(draw, profile);
  const onOneDrive = chance(draw, 0.35);
  const site = pick(draw, profile.sites);
  const siteUrl = onOneDrive ? owner.oneDriveUrl : site.url;
  const fileName = pick(draw, FILES);
  const uniqueId = guid(draw);
  const actor = onOneDrive ? 'DlpPolicyEventBasedAssistantOneDriveForBusiness' : 'DLPAgent';
  const created = context.creationTime - between(draw, 60_000, 3 * 86_400_000);
  return auditRecord(
    context,
    {
      Operation: 'DLPRuleMatch',
      RecordType: 11,
      UserKey: actor,
      UserType: USER_TYPE.system,
      Workload: onOneDrive ? 'OneDrive' : 'SharePoint',
      ObjectId: uniqueId,
      UserId: actor,
    },
    {
      IncidentId: guid(draw),
      SensitiveInfoDetectionIsIncluded: false,
      PolicyDetails: policyDetails(draw, profile, undefined),
      SharePointMetaData: {
        From: owner.upn,
        UniqueID: uniqueId,
        FilePathUrl: `${siteUrl}/${onOneDrive ? 'Documents' : 'Shared%20Documents'}/${encodeURIComponent(fileName)}`,
        ItemCreationTime: new Date(created).toISOString().slice(0, 19),
        ItemLastModifiedTime: new Date(context.creationTime - between(draw, 1_000, 60_000)).toISOString().slice(0, 19),
        SiteCollectionUrl: siteUrl,
        SiteCollectionGuid: onOneDrive ? stableGuid(profile.tenantId, 'onedrive', owner.upn) : site.siteId,
        FileSize: between(draw, 10_000, 5_000_000),
        IsViewableByExternalUsers: chance(draw, 0.2),
        FileOwner: owner.displayName,
        FileName: fileName,
      },
    },
  );
}

function exchangeMatch(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const sender = somePerson(draw, profile);
  const external = Array.from({ length: between(draw, 1, 3) }, () => `${pick(draw, ['finance', 'info', 'j.doe', 'sales'])}@${pick(draw, ['example.com', 'example.net', 'example.org'])}`);
  const messageId = `<${profile.serverPrefix}${between(draw, 1000, 9999)}${hex(draw, 24).toUpperCase()}@${profile.serverPrefix}${between(draw, 1000, 9999)}.prod.outlook.com>`;
  const attachment = chance(draw, 0.5);
  return auditRecord(
    context,
    {
      Operation: 'DlpRuleMatch',
      RecordType: 13,
      UserKey: String(between(draw, 1e9, 9e9)) + String(between(draw, 1e8, 9e8)),
      UserType: USER_TYPE.system,
      Workload: 'Exchange',
      ObjectId: messageId,
      UserId: 'DlpAgent',
    },
    {
      IncidentId: guid(draw),
      SensitiveInfoDetectionIsIncluded: false,
      PolicyDetails: policyDetails(draw, profile, attachment ? `Attachment: ${pick(draw, FILES)}` : 'Message Body'),
      ExchangeMetaData: {
        From: sender.upn,
        To: external.slice(0, 1),
        CC: external.slice(1),
        BCC: [],
        FileSize: between(draw, 5_000, 8_000_000),
        UniqueID: guid(draw),
        MessageID: messageId,
        RecipientCount: external.length,
        Sent: new Date(context.creationTime - 1000).toISOString().slice(0, 19),
        Subject: pick(draw, SUBJECTS),
      },
    },
  );
}
