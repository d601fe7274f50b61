// Audit.General: Teams (RecordType 25), Viva Engage/Yammer (22), Security & Compliance cmdlets (18),
// alerts (40) and Power BI (20).
import type { AuditRecord } from '../../types.js';
import { between, chance, guid, pick, weighted } from '../draw.js';
import { withPort } from '../public-addresses.js';
import { somePerson } from '../tenant-profile.js';
import { auditRecord, USER_TYPE, type RecordContext } from './common.js';

export function generalRecord(context: RecordContext): AuditRecord {
  const kind = weighted(context.draw, [
    [teams, 45],
    [yammer, 15],
    [complianceCmdlet, 15],
    [alert, 10],
    [powerBi, 15],
  ] as const);
  return kind(context);
}

function teams(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const person = somePerson(draw, profile);
  const team = pick(draw, profile.teams);
  const operation = weighted(draw, [
    ['TeamsSessionStarted', 50],
    ['MemberAdded', 15],
    ['ChannelAdded', 10],
    ['MemberRemoved', 5],
    ['TeamCreated', 3],
  ] as const);
  const common = {
    Operation: operation,
    RecordType: 25,
    UserKey: person.objectId,
    UserType: USER_TYPE.regular,
    Workload: 'MicrosoftTeams',
    UserId: person.upn,
  };
  if (operation === 'TeamsSessionStarted') {
    return auditRecord(
      context,
      { ...common, ClientIP: person.homeAddress, ObjectId: 'Teams' },
      { AppAccessContext: { ClientAppId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', ClientAppName: 'Microsoft Teams' } },
    );
  }
  const member = somePerson(draw, profile);
  return auditRecord(context, common, {
    CommunicationType: 'Team',
    TeamName: team.name,
    TeamGuid: team.teamGuid,
    ItemName: team.name,
    ...(operation === 'ChannelAdded'
      ? { ChannelName: pick(draw, team.channels), ChannelType: 'Standard', ChannelGuid: `19:${guid(draw).replaceAll('-', '')}@thread.tacv2` }
      : {}),
    ...(operation.startsWith('Member') ? { Members: [{ Role: 1, UPN: member.upn, DisplayName: member.displayName }] } : {}),
  });
}

function yammer(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const person = somePerson(draw, profile);
  const group = pick(draw, ['Sales', 'All Company', 'Engineering', 'Social Club']);
  const operation = pick(draw, ['MessageCreated', 'MessageCreated', 'FileVisited', 'GroupCreation', 'MessageUpdated']);
  return auditRecord(
    context,
    {
      Operation: operation,
      RecordType: 22,
      ResultStatus: 'TRUE',
      UserKey: person.puid.toLowerCase(),
      UserType: USER_TYPE.regular,
      Workload: 'Yammer',
      // Viva Engage reports the client with its source port.
      ClientIP: withPort(person.homeAddress, between(draw, 1024, 65535)),
      ObjectId: group,
      UserId: person.upn,
    },
    {
      ActorUserId: person.upn,
      ActorYammerUserId: person.yammerId,
      GroupName: group,
      YammerNetworkId: profile.yammerNetworkId,
      ...(operation === 'GroupCreation' ? {} : { MessageId: between(draw, 1e9, 9e9) }),
    },
  );
}

function complianceCmdlet(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const admin = pick(draw, profile.admins);
  const [operation, parameters] = pick(draw, [
    ['Get-ComplianceSearch', '-Identity "Legal hold review"'],
    ['New-ComplianceSearch', '-Name "Legal hold review" -ExchangeLocation "All"'],
    ['Get-ComplianceSearchAction', '-Export "True"'],
    ['Get-DlpCompliancePolicy', ''],
    ['Set-RetentionCompliancePolicy', '-Identity "Default retention" -Enabled "True"'],
  ] as const);
  return auditRecord(
    context,
    {
      Operation: operation,
      RecordType: 18,
      ResultStatus: 'Success',
      UserKey: admin.upn,
      UserType: USER_TYPE.admin,
      Workload: 'SecurityComplianceCenter',
      ObjectId: '',
      UserId: admin.upn,
    },
    {
      SecurityComplianceCenterEventType: 0,
      ClientApplication: 'EMC',
      CmdletVersion: '',
      EffectiveOrganization: profile.domain,
      // Security & Compliance writes the parameters as one string, unlike Exchange's name/value list.
      NonPIIParameters: parameters.replace(/"[^"]*"/g, '"<SNIP-PII>"'),
      Parameters: parameters,
      StartTime: new Date(context.creationTime).toISOString().slice(0, 19),
      UserServicePlan: '',
    },
  );
}

function alert(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const person = somePerson(draw, profile);
  const [name, category, severity] = pick(draw, [
    ['Email messages containing malicious URL removed after delivery', 'ThreatManagement', 'Informational'],
    ['A potentially malicious URL click was detected', 'ThreatManagement', 'High'],
    ['Suspicious email sending patterns detected', 'ThreatManagement', 'Medium'],
    ['Creation of forwarding/redirect rule', 'ThreatManagement', 'Informational'],
    ['User restricted from sending email', 'ThreatManagement', 'High'],
  ] as const);
  const operation = chance(draw, 0.6) ? 'AlertTriggered' : 'AlertEntityGenerated';
  const alertId = guid(draw);
  const data = JSON.stringify({ etype: 'User', eid: person.upn, op: operation, tdc: '1', ts: new Date(context.creationTime).toISOString() });
  return auditRecord(
    context,
    {
      Operation: operation,
      RecordType: 40,
      ResultStatus: 'Succeeded',
      UserKey: 'SecurityComplianceAlerts',
      UserType: USER_TYPE.system,
      Workload: 'SecurityComplianceCenter',
      ObjectId: alertId,
      UserId: 'SecurityComplianceAlerts',
    },
    {
      AlertId: alertId,
      AlertType: 'System',
      Name: name,
      PolicyId: guid(draw),
      Status: operation === 'AlertTriggered' ? 'Active' : 'Investigating',
      Severity: severity,
      Category: category,
      Source: 'Office 365 Security & Compliance',
      Comments: 'New alert',
      // Alert details arrive as JSON inside a string.
      Data: data,
      AlertEntityId: person.upn,
      EntityType: 'User',
    },
  );
}

function powerBi(context: RecordContext): AuditRecord {
  const { draw, profile } = context;
  const person = somePerson(draw, profile);
  const operation = weighted(draw, [
    ['ViewReport', 60],
    ['ViewDashboard', 25],
    ['ExportReport', 15],
  ] as const);
  const report = pick(draw, ['Sales pipeline', 'Headcount', 'Support backlog', 'Cloud spend']);
  const workspace = pick(draw, ['Finance', 'Sales', 'Operations']);
  return auditRecord(
    context,
    {
      Operation: operation,
      RecordType: 20,
      UserKey: person.puid,
      UserType: USER_TYPE.regular,
      Workload: 'PowerBI',
      ClientIP: person.homeAddress,
      ObjectId: report,
      UserId: person.upn,
    },
    {
      UserAgent: person.device.userAgent,
      Activity: operation,
      ItemName: report,
      WorkSpaceName: workspace,
      ReportName: report,
      WorkspaceId: guid(draw),
      ReportId: guid(draw),
      DatasetName: report,
      DatasetId: guid(draw),
      RequestId: guid(draw),
      ActivityId: guid(draw),
      IsSuccess: true,
      ...(operation === 'ExportReport' ? { ExportEventStartDateTimeUTC: new Date(context.creationTime).toISOString(), ExportedArtifactInfo: { ExportType: 'PDF' } } : {}),
    },
  );
}
