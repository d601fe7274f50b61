// Which mapper adds the fields of which record type. Types without one get the common mapping only.
import { mapAlert, mapComplianceAlert } from './alerts.js';
import { mapDirectoryAudit, mapStsLogon } from './azure-ad.js';
import { mapDlp } from './dlp.js';
import { mapExchangeAdmin, mapMailboxAudit } from './exchange.js';
import type { Mapper } from './mapping.js';
import { RecordType } from './record-types.js';
import { mapSharePoint } from './sharepoint.js';
import { mapTeams } from './teams.js';
import { mapVivaEngage } from './viva-engage.js';

const MAPPER_BY_RECORD_TYPE: ReadonlyMap<number, Mapper> = new Map([
  [RecordType.ExchangeAdmin, mapExchangeAdmin],
  [RecordType.ExchangeItem, mapMailboxAudit],
  [RecordType.ExchangeItemGroup, mapMailboxAudit],
  [RecordType.ExchangeAggregatedOperation, mapMailboxAudit],
  [RecordType.ExchangeItemAggregated, mapMailboxAudit],
  [RecordType.AzureActiveDirectory, mapDirectoryAudit],
  [RecordType.AzureActiveDirectoryAccountLogon, mapStsLogon],
  [RecordType.AzureActiveDirectoryStsLogon, mapStsLogon],
  [RecordType.SharePoint, mapSharePoint],
  [RecordType.SharePointFileOperation, mapSharePoint],
  [RecordType.OneDrive, mapSharePoint],
  [RecordType.SharePointSharingOperation, mapSharePoint],
  [RecordType.SharePointListOperation, mapSharePoint],
  [RecordType.SharePointCommentOperation, mapSharePoint],
  [RecordType.SharePointListItemOperation, mapSharePoint],
  [RecordType.SharePointContentTypeOperation, mapSharePoint],
  [RecordType.SharePointFieldOperation, mapSharePoint],
  [RecordType.ComplianceDLPSharePoint, mapDlp],
  [RecordType.ComplianceDLPExchange, mapDlp],
  [RecordType.ComplianceDLPSharePointClassification, mapDlp],
  [RecordType.DLPEndpoint, mapDlp],
  [RecordType.OnPremisesFileShareScannerDlp, mapDlp],
  [RecordType.OnPremisesSharePointScannerDlp, mapDlp],
  [RecordType.ComplianceDLPExchangeClassification, mapDlp],
  [RecordType.VivaEngage, mapVivaEngage],
  [RecordType.MicrosoftTeams, mapTeams],
  [RecordType.SecurityComplianceAlerts, mapComplianceAlert],
  [RecordType.WDATPAlerts, mapAlert],
  [RecordType.MCASAlerts, mapAlert],
  [RecordType.PurviewInsiderRiskAlerts, mapAlert],
]);

export function mapperFor(recordType: number | undefined): Mapper | undefined {
  return recordType === undefined ? undefined : MAPPER_BY_RECORD_TYPE.get(recordType);
}
