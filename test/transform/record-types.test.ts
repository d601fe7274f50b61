// Record types and operations beyond the reference examples, built from the documented schemas.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTransformer } from '../../src/transform/index.js';
import { at, strings } from './support.js';

const transformer = createTransformer();
const context = { tenantId: 'b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd', contentType: 'Audit.General' };

function mapped(fields: Record<string, unknown>): Record<string, unknown> {
  const record = { Id: '0f1e2d3c-4b5a-4968-8776-655443322110', CreationTime: '2024-05-01T10:00:00', UserId: 'alice@contoso.com', ...fields };
  const source = transformer.transform(record, context).source as Record<string, unknown>;
  assert.equal(at(source, 'tags'), undefined, `unexpected problems: ${JSON.stringify(at(source, 'error'))}`);
  return source;
}

/** The record's own category/type: every document starts with Elastic's `web`/`info`, left out here unless it is all there is. */
function classification(source: Record<string, unknown>): string {
  const own = (path: string, base: string) => {
    const values = at(source, path) as string[];
    assert.equal(values[0], base, `${path} starts with ${base}`);
    return (values.length > 1 ? values.slice(1) : values).join(',');
  };
  return `${own('event.category', 'web')}/${own('event.type', 'info')}`;
}

describe('event.code', () => {
  it('names every documented record type, and keeps the number of an unknown one', () => {
    assert.equal(at(mapped({ RecordType: 261 }), 'event.code'), 'CopilotInteraction');
    assert.equal(at(mapped({ RecordType: 463 }), 'event.code'), 'VivaGlintAgenticCampaign');
    assert.equal(at(mapped({ RecordType: '15' }), 'event.code'), 'AzureActiveDirectoryStsLogon');
    assert.equal(at(mapped({ RecordType: 999 }), 'event.code'), '999');
    assert.equal(at(mapped({}), 'event.code'), undefined);
  });
});

describe('Azure AD directory changes', () => {
  const cases: Array<[string, string]> = [
    ['Add user.', 'iam/user,creation'],
    ['Update user.', 'iam/user,change'],
    ['Delete user.', 'iam/user,deletion'],
    ['Reset user password.', 'iam/user,change'],
    ['Add group.', 'iam/group,creation'],
    ['Add member to group.', 'iam/group,change'],
    ['Remove member from group.', 'iam/group,change'],
    ['Add member to role.', 'iam/admin,change'],
    ['Add service principal.', 'configuration/creation'],
    ['Update application.', 'configuration/change'],
    ['Consent to application.', 'configuration/change'],
    ['Set domain authentication.', 'configuration/change'],
  ];
  for (const [operation, expected] of cases) {
    it(`${operation} → ${expected}`, () => assert.equal(classification(mapped({ RecordType: 8, Operation: operation })), expected));
  }

  it('a group membership names the member as target user and the group', () => {
    const source = mapped({
      RecordType: 8,
      Operation: 'Add member to group.',
      ResultStatus: 'Success',
      ObjectId: 'bob@contoso.com',
      Target: [
        { ID: 'Group_6f1b2c3d-1111-4222-8333-944455566677', Type: 2 },
        { ID: 'User_0a1b2c3d-1111-4222-8333-944455566677', Type: 2 },
        { ID: 'User', Type: 2 },
        { ID: 'bob@contoso.com', Type: 5 },
      ],
      ModifiedProperties: [
        { Name: 'Group.ObjectID', NewValue: '6f1b2c3d-1111-4222-8333-944455566677', OldValue: '' },
        { Name: 'Group.DisplayName', NewValue: 'Finance', OldValue: '' },
      ],
    });
    assert.equal(at(source, 'user.target.id'), '0a1b2c3d-1111-4222-8333-944455566677');
    assert.equal(at(source, 'user.target.email'), 'bob@contoso.com');
    assert.equal(at(source, 'group.id'), '6f1b2c3d-1111-4222-8333-944455566677');
    assert.equal(at(source, 'group.name'), 'Finance');
    assert.equal(at(source, 'event.outcome'), 'success');
  });

  it('a failed change is a failure', () => {
    assert.equal(at(mapped({ RecordType: 8, Operation: 'Update user.', ResultStatus: 'Failure' }), 'event.outcome'), 'failure');
  });
});

describe('Exchange', () => {
  const cmdlets: Array<[string, string]> = [
    ['New-InboxRule', 'configuration/creation'],
    ['Set-Mailbox', 'configuration/change'],
    ['Remove-MailboxPermission', 'configuration/deletion'],
    ['Get-Mailbox', 'configuration/access'],
    ['Enable-OrganizationCustomization', 'configuration/change'],
  ];
  for (const [operation, expected] of cmdlets) {
    it(`${operation} → ${expected}`, () => assert.equal(classification(mapped({ RecordType: 1, Operation: operation, ResultStatus: 'True' })), expected));
  }

  it('a failed cmdlet ("False") is a failure, and the user it grants access to is related', () => {
    const source = mapped({
      RecordType: 1,
      Operation: 'Add-MailboxPermission',
      ResultStatus: 'False',
      Parameters: [
        { Name: 'Identity', Value: 'ceo' },
        { Name: 'User', Value: 'mallory@contoso.com' },
        { Name: 'AccessRights', Value: 'FullAccess' },
      ],
    });
    assert.equal(at(source, 'event.outcome'), 'failure');
    assert.ok(strings(source, 'related.user').includes('mallory@contoso.com'));
  });

  it("a delegate reading someone's mailbox: the reader is the user, the mailbox owner the target", () => {
    const source = mapped({
      RecordType: 2,
      Operation: 'MessageBind',
      UserId: 'assistant@contoso.com',
      MailboxOwnerUPN: 'ceo@contoso.com',
      LogonType: 2,
      LogonUserDisplayName: 'Executive Assistant',
      ClientProcessName: 'OUTLOOK.EXE',
      ClientIPAddress: '[2001:db8::7]:50123',
      Item: { Subject: 'Q3 numbers', InternetMessageId: '<q3@contoso.com>' },
    });
    assert.equal(at(source, 'user.email'), 'assistant@contoso.com');
    assert.equal(at(source, 'user.full_name'), 'Executive Assistant');
    assert.equal(at(source, 'user.target.email'), 'ceo@contoso.com');
    assert.equal(at(source, 'process.name'), 'OUTLOOK.EXE');
    assert.equal(at(source, 'source.ip'), '2001:db8::7');
    assert.equal(at(source, 'email.subject'), 'Q3 numbers');
    assert.deepEqual(new Set(strings(source, 'related.user')), new Set(['assistant', 'assistant@contoso.com', 'ceo', 'ceo@contoso.com']));
  });

  it('a mailbox sign-in is an authentication; an inbox rule update a configuration change', () => {
    assert.equal(classification(mapped({ RecordType: 2, Operation: 'MailboxLogin' })), 'authentication/start');
    assert.equal(classification(mapped({ RecordType: 2, Operation: 'UpdateInboxRules' })), 'configuration/change');
    assert.equal(classification(mapped({ RecordType: 3, Operation: 'HardDelete' })), 'email/info');
  });

  it('a record without UserId falls back to the logon SID', () => {
    assert.equal(at(mapped({ RecordType: 2, Operation: 'Send', UserId: undefined, LogonUserSid: 'S-1-5-21-1-2-3-500' }), 'user.id'), 'S-1-5-21-1-2-3-500');
  });
});

describe('SharePoint and OneDrive', () => {
  const operations: Array<[string, string]> = [
    ['FileDownloaded', 'file/access'],
    ['FilePreviewed', 'file/access'],
    ['FileSyncDownloadedFull', 'file/access'],
    ['FileUploaded', 'file/creation'],
    ['FileCopied', 'file/creation'],
    ['FolderCreated', 'file/creation'],
    ['FileModified', 'file/change'],
    ['FileRenamed', 'file/change'],
    ['FileMoved', 'file/change'],
    ['FileRestored', 'file/change'],
    ['FileDeleted', 'file/deletion'],
    ['FileRecycled', 'file/deletion'],
    ['FileDeletedFirstStageRecycleBin', 'file/deletion'],
    ['AnonymousLinkCreated', 'file/change'],
    ['AnonymousLinkUsed', 'file/access'],
    ['SharingInvitationCreated', 'file/change'],
    ['PageViewed', 'web/access'],
    ['SearchQueryPerformed', 'web/access'],
    ['SharingPolicyChanged', 'configuration/change'],
    ['ComplianceSettingChanged', 'configuration/change'],
    ['ListItemCreated', 'web/info'],
  ];
  for (const [operation, expected] of operations) {
    it(`${operation} → ${expected}`, () => assert.equal(classification(mapped({ RecordType: 6, Operation: operation })), expected));
  }

  it('a folder is a directory; a name without extension has none', () => {
    const source = mapped({ RecordType: 6, Operation: 'FolderCreated', ItemType: 'Folder', SourceFileName: 'Reports', SourceRelativeUrl: 'Shared Documents' });
    assert.deepEqual(at(source, 'file'), { name: 'Reports', directory: 'Shared Documents', type: 'dir' });
  });

  it('sharing with a guest names the guest as target user', () => {
    const source = mapped({ RecordType: 14, Operation: 'SharingInvitationCreated', TargetUserOrGroupName: 'partner@fabrikam.com', TargetUserOrGroupType: 'Guest' });
    assert.equal(at(source, 'user.target.email'), 'partner@fabrikam.com');
    assert.ok(strings(source, 'related.user').includes('partner@fabrikam.com'));
  });
});

describe('DLP', () => {
  function dlpMatch(rule: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    return mapped({
      RecordType: 11,
      Operation: 'DlpRuleMatch',
      UserId: 'DlpAgent',
      PolicyDetails: [{ PolicyId: 'p1', PolicyName: 'PCI', Rules: [{ RuleId: 'r1', RuleName: 'Cards', Severity: 'Medium', ...rule }] }],
      SharePointMetaData: { From: 'bob@contoso.com', FileName: 'cards.xlsx', FileOwner: 'bob@contoso.com', DocumentSharer: 'eve@contoso.com' },
      ...extra,
    });
  }

  it('a rule that blocked access makes the outcome a failure', () => {
    assert.equal(at(dlpMatch({ Actions: ['NotifyUser', 'BlockAccess'] }), 'event.outcome'), 'failure');
  });

  it('a block the user overrode, or justified, is no failure', () => {
    assert.equal(at(dlpMatch({ Actions: ['BlockAccess'] }, { ExceptionInfo: '{"Reason":"Override","Justification":"Business need"}' }), 'event.outcome'), 'success');
  });

  it('names sensitive information types by name when the record has it', () => {
    const source = dlpMatch({ ConditionsMatched: { SensitiveInformation: [{ SensitiveType: '50842eb7-edc8-4019-85dd-5a5c1f2bb085', SensitiveInformationTypeName: 'Credit Card Number', Count: 3 }] } });
    assert.deepEqual(at(source, 'o365.dlp.sensitive_info_types'), ['Credit Card Number']);
    assert.equal(at(source, 'event.severity'), 3);
    assert.ok(strings(source, 'related.user').includes('eve@contoso.com'));
  });

  it('an undone rule is an event, not an alert', () => {
    assert.equal(at(mapped({ RecordType: 11, Operation: 'DlpRuleUndo' }), 'event.kind'), 'event');
  });
});

describe('Security & Compliance alerts', () => {
  const alert = {
    RecordType: 40,
    Operation: 'AlertEntityGenerated',
    UserId: 'SecurityComplianceAlerts',
    Name: 'Email messages containing malware removed after delivery',
    PolicyId: '1b8c3f4e-aaaa-4bbb-8ccc-0ddd1eee2fff',
    Category: 'ThreatManagement',
    Severity: 'Informational',
    AlertLinks: [{ AlertLinkHref: 'https://security.microsoft.com/alerts/1' }],
  };

  it('is an alert with its rule, category and severity', () => {
    const source = mapped({ ...alert, EntityType: 'MalwareFamily', AlertEntityId: 'Trojan:Win32/Emotet' });
    assert.equal(at(source, 'event.kind'), 'alert');
    assert.equal(classification(source), 'intrusion_detection/info');
    assert.equal(at(source, 'event.severity'), 1);
    assert.equal(at(source, 'rule.name'), alert.Name);
    assert.equal(at(source, 'rule.id'), alert.PolicyId);
    assert.equal(at(source, 'rule.category'), 'ThreatManagement');
    assert.deepEqual(at(source, 'rule.reference'), ['https://security.microsoft.com/alerts/1']);
    assert.equal(at(source, 'threat.software.name'), 'Trojan:Win32/Emotet');
  });

  it('the entity becomes the user, the sender or the recipients', () => {
    const user = mapped({ ...alert, EntityType: 'User', AlertEntityId: 'victim@contoso.com' });
    assert.deepEqual(at(user, 'user'), { id: 'victim@contoso.com', email: 'victim@contoso.com', name: 'victim', domain: 'contoso.com' });
    assert.equal(at(mapped({ ...alert, EntityType: 'Sender', AlertEntityId: 'spam@evil.example' }), 'email.from.address'), 'spam@evil.example');
    assert.deepEqual(at(mapped({ ...alert, EntityType: 'Recipients', AlertEntityId: 'bob@contoso.com' }), 'email.to.address'), ['bob@contoso.com']);
  });

  it('the category maps to the ECS category', () => {
    assert.equal(classification(mapped({ ...alert, Category: 'AccessGovernance' })), 'iam/info');
    assert.equal(classification(mapped({ ...alert, Category: 'DataLossPrevention' })), 'file/info');
    assert.equal(classification(mapped({ ...alert, Category: 'MailFlow' })), 'email/info');
  });

  it('other alert feeds are alerts too', () => {
    assert.equal(at(mapped({ RecordType: 78, Operation: 'AlertTriggered' }), 'event.kind'), 'alert');
  });
});

describe('Teams and Viva Engage', () => {
  const teams: Array<[string, string]> = [
    ['TeamCreated', 'iam/group,creation'],
    ['TeamDeleted', 'iam/group,deletion'],
    ['MemberRemoved', 'iam/group,change'],
    ['ChannelAdded', 'configuration/creation'],
    ['TeamSettingChanged', 'configuration/change'],
    ['TeamsSessionStarted', 'authentication/start'],
    ['MessageSent', 'web/info'],
  ];
  for (const [operation, expected] of teams) {
    it(`Teams ${operation} → ${expected}`, () => assert.equal(classification(mapped({ RecordType: 25, Operation: operation })), expected));
  }

  const engage: Array<[string, string]> = [
    ['FileVisited', 'file/access'],
    ['FileDeleted', 'file/deletion'],
    ['GroupDeletion', 'iam/group,deletion'],
    ['NetworkSecurityConfigurationUpdated', 'configuration/change'],
    ['MessageCreated', 'web/info'],
  ];
  for (const [operation, expected] of engage) {
    it(`Viva Engage ${operation} → ${expected}`, () => assert.equal(classification(mapped({ RecordType: 22, Operation: operation, ResultStatus: 'TRUE' })), expected));
  }

  it('Viva Engage names the target user and file', () => {
    const source = mapped({ RecordType: 22, Operation: 'FileVisited', FileName: 'plan.docx', TargetUserId: 'bob@contoso.com', TargetYammerUserId: 1234 });
    assert.equal(at(source, 'file.name'), 'plan.docx');
    assert.equal(at(source, 'user.target.email'), 'bob@contoso.com');
    assert.equal(at(source, 'user.target.id'), '1234');
  });
});

describe('other workloads', () => {
  it("Power BI's IsSuccess stands in for ResultStatus", () => {
    assert.equal(at(mapped({ RecordType: 20, Operation: 'ExportReport', IsSuccess: false }), 'event.outcome'), 'failure');
    assert.equal(at(mapped({ RecordType: 20, Operation: 'ViewReport', IsSuccess: true }), 'event.outcome'), 'success');
  });

  it('an unrecognised ResultStatus is unknown rather than assumed a success', () => {
    assert.equal(at(mapped({ RecordType: 20, ResultStatus: 'Pending' }), 'event.outcome'), 'unknown');
  });
});
