// The ECS documents made from real-shaped audit records of every content type (the reference
// examples, copied into fixtures/ as a blob body .json and as JSON lines .jsonl).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTransformer } from '../../src/transform/index.js';
import { at, blobRecords, lineRecords, strings, WORKLOADS, type Workload } from './support.js';

const transformer = createTransformer();
const context = { tenantId: 'b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd', contentType: 'Audit.General' };

/** The document source of example `index` of a workload. */
function documentOf(workload: Workload, index: number): Record<string, unknown> {
  return transformer.transform(blobRecords(workload)[index], context).source as Record<string, unknown>;
}

describe('every example record', () => {
  for (const workload of WORKLOADS) {
    it(`${workload}: maps cleanly, keyed and dated by the record, the same from .json and .jsonl`, () => {
      const fromBlob = blobRecords(workload).map((record) => transformer.transform(record, context));
      const fromLines = lineRecords(workload).map((record) => transformer.transform(record, context));
      assert.deepEqual(fromLines, fromBlob);
      for (const [i, document] of fromBlob.entries()) {
        const record = blobRecords(workload)[i] as Record<string, unknown>;
        const source = document.source as Record<string, unknown>;
        assert.equal(document.id, record.Id);
        assert.equal(document.timestamp, Date.parse(`${record.CreationTime as string}Z`));
        assert.equal(source['@timestamp'], new Date(document.timestamp).toISOString());
        assert.equal(at(source, 'tags'), undefined, `unexpected problems: ${JSON.stringify(at(source, 'error'))}`);
        assert.equal(at(source, 'event.id'), record.Id);
        assert.equal(at(source, 'event.action'), record.Operation);
        assert.equal(at(source, 'event.provider'), record.Workload);
        assert.equal(at(source, 'event.module'), 'o365');
        assert.equal(at(source, 'event.dataset'), 'o365.audit');
        assert.ok(strings(source, 'event.category').length > 0);
        assert.ok(strings(source, 'event.type').length > 0);
        assert.match(String(at(source, 'event.outcome')), /^(success|failure|unknown)$/);
        assert.equal(at(source, 'organization.id'), (record.OrganizationId as string).toLowerCase());
        assert.equal(at(source, 'o365.audit.Id'), record.Id);
        assert.equal(at(source, 'event.original'), undefined);
      }
    });
  }
});

describe('Azure AD', () => {
  it('a successful sign-in is an authentication start by the UPN, from its client, with its browser', () => {
    const doc = documentOf('aad', 0);
    assert.equal(at(doc, 'event.code'), 'AzureActiveDirectoryStsLogon');
    assert.deepEqual(at(doc, 'event.category'), ['web', 'authentication']);
    assert.deepEqual(at(doc, 'event.type'), ['info', 'start']);
    assert.equal(at(doc, 'event.outcome'), 'success');
    assert.deepEqual(at(doc, 'user'), { id: 'asr@testsiem.onmicrosoft.com', email: 'asr@testsiem.onmicrosoft.com', name: 'asr', domain: 'testsiem.onmicrosoft.com' });
    assert.equal(at(doc, 'source.ip'), '83.57.233.151');
    assert.equal(at(doc, 'client.ip'), '83.57.233.151');
    assert.deepEqual(at(doc, 'related.ip'), ['83.57.233.151']);
    assert.equal(at(doc, 'user_agent.original'), 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.14; rv:72.0) Gecko/20100101 Firefox/72.0');
    assert.equal(at(doc, 'error'), undefined);
    assert.equal(at(doc, 'o365.audit.ExtendedProperties.RequestType'), 'OAuth2:Authorize');
  });

  it('a failed sign-in is a failure even though its ResultStatus says Success, with the AADSTS code and reason', () => {
    const doc = documentOf('aad', 1);
    assert.equal(at(doc, 'o365.audit.ResultStatus'), 'Success');
    assert.equal(at(doc, 'event.outcome'), 'failure');
    assert.equal(at(doc, 'error.code'), '50126');
    assert.equal(at(doc, 'error.message'), 'InvalidUserNameOrPassword');
    assert.equal(at(doc, 'tags'), undefined);
    assert.deepEqual(at(doc, 'o365.audit.DeviceProperties'), [
      { Name: 'OS', Value: 'Windows10' },
      { Name: 'BrowserType', Value: 'Edge' },
      { Name: 'IsCompliantAndManaged', Value: 'False' },
      { Name: 'SessionId', Value: '2a1fb8c4-ceb6-4fa0-826c-3d43f87de897' },
    ]);
  });

  it('adding a user is an IAM user creation aimed at the new user', () => {
    const doc = documentOf('aad', 2);
    assert.equal(at(doc, 'event.code'), 'AzureActiveDirectory');
    assert.deepEqual(at(doc, 'event.category'), ['web', 'iam']);
    assert.deepEqual(at(doc, 'event.type'), ['info', 'user', 'creation']);
    assert.equal(at(doc, 'event.outcome'), 'success');
    assert.equal(at(doc, 'user.email'), 'root@testsiem4.onmicrosoft.com');
    assert.deepEqual(at(doc, 'user.target'), {
      id: '3f6c9a1e-2b4d-4c8e-9f1a-5d7e3b2c1a90',
      email: 'eve@testsiem4.onmicrosoft.com',
      name: 'eve',
      domain: 'testsiem4.onmicrosoft.com',
    });
    assert.deepEqual(new Set(strings(doc, 'related.user')), new Set(['root', 'root@testsiem4.onmicrosoft.com', 'eve', 'eve@testsiem4.onmicrosoft.com']));
    assert.equal(at(doc, 'source'), undefined, 'an empty ClientIP is no address');
    assert.deepEqual(at(doc, 'o365.audit.ModifiedProperties.AccountEnabled'), { NewValue: [true], OldValue: [] });
    assert.equal(
      at(doc, 'o365.audit.ModifiedProperties.Included_Updated_Properties.NewValue'),
      'AccountEnabled, AssignedLicense, AssignedPlan, DisplayName, UserPrincipalName',
    );
    assert.deepEqual(at(doc, 'o365.audit.ExtendedProperties'), { additionalDetails: {}, extendedAuditEventCategory: 'User' });
  });
});

describe('Exchange', () => {
  it('an admin cmdlet is a configuration change with its parameters as a map and its server name', () => {
    const doc = documentOf('exchange', 0);
    assert.equal(at(doc, 'event.code'), 'ExchangeAdmin');
    assert.deepEqual(at(doc, 'event.category'), ['web', 'configuration']);
    assert.deepEqual(at(doc, 'event.type'), ['info', 'change']);
    assert.equal(at(doc, 'event.outcome'), 'success', 'ResultStatus "True"');
    assert.equal(at(doc, 'user.id'), 'NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)');
    assert.equal(at(doc, 'user.email'), undefined, 'a system account is no address');
    assert.equal(at(doc, 'server.domain'), 'HE1PR0102MB3228');
    assert.equal(at(doc, 'server.address'), '15.20.2707.017');
    assert.equal(at(doc, 'server.ip'), undefined, 'the parenthesised Exchange build is no IP');
    assert.equal(at(doc, 'organization.name'), 'testsiem.onmicrosoft.com');
    assert.deepEqual(at(doc, 'o365.audit.Parameters'), {
      DomainController: '',
      Identity: 'EURPR01A002.prod.outlook.com/Microsoft Exchange Hosted Organizations/testsiem.onmicrosoft.com/DiscoverySearchMailbox{D919BA05-46A6-415f-80AD-7E09334BB852}',
    });
  });

  it('a sent message is an email event with its subject, message id and mailbox owner', () => {
    const doc = documentOf('exchange', 1);
    assert.equal(at(doc, 'event.code'), 'ExchangeItem');
    assert.deepEqual(at(doc, 'event.category'), ['web', 'email']);
    assert.equal(at(doc, 'email.subject'), 'Hello There');
    assert.equal(at(doc, 'email.message_id'), '<CY5PR05MB9143EE143E6008D69C9391F5DD319@CY5PR05MB9143.namprd05.prod.outlook.com>');
    assert.equal(at(doc, 'user.target.email'), 'nelson@o365.devcooks.com');
    assert.equal(at(doc, 'client.ip'), '68.160.247.154');
    assert.equal(at(doc, 'server.domain'), 'CY5PR05MB9143');
  });

  it('MailItemsAccessed lists every message id of every folder, and keeps its operation properties as a list', () => {
    const doc = documentOf('exchange', 2);
    assert.equal(at(doc, 'event.code'), 'ExchangeItemAggregated');
    assert.deepEqual(at(doc, 'email.message_id'), [
      '<ceafc3fa-fd0a-46ba-9754-e033ee56ce75@az.westcentralus.production.microsoft.com>',
      '<ae042a57-4cd4-466a-adf0-417549c30a96@az.westeurope.production.microsoft.com>',
      '<CY5PR05MB91439309823940F866A9629EDD2E9@CY5PR05MB9143.namprd05.prod.outlook.com>',
    ]);
    assert.deepEqual(at(doc, 'o365.audit.OperationProperties'), [
      { Name: 'MailAccessType', Value: 'Bind' },
      { Name: 'IsThrottled', Value: 'False' },
    ]);
  });
});

describe('SharePoint and OneDrive', () => {
  it('a file access names the file, its directory and URL', () => {
    const doc = documentOf('sharepoint', 0);
    assert.equal(at(doc, 'event.code'), 'SharePointFileOperation');
    assert.deepEqual(at(doc, 'event.category'), ['web', 'file']);
    assert.deepEqual(at(doc, 'event.type'), ['info', 'access']);
    assert.deepEqual(at(doc, 'file'), { name: 'All.aspx', extension: 'aspx', directory: 'Documents/Forms', type: 'file' });
    assert.equal(at(doc, 'url.original'), 'https://testsiem-my.sharepoint.com/personal/asr_testsiem_onmicrosoft_com/Documents/Forms/All.aspx');
    assert.equal(at(doc, 'url.domain'), 'testsiem-my.sharepoint.com');
    assert.equal(at(doc, 'user_agent.original'), 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.14; rv:72.0) Gecko/20100101 Firefox/72.0');
    assert.equal(at(doc, 'source.ip'), '81.2.69.143');
  });

  it('an upload is a file creation', () => {
    const doc = documentOf('sharepoint', 1);
    assert.deepEqual(at(doc, 'event.type'), ['info', 'creation']);
    assert.equal(at(doc, 'file.name'), 'Screenshot.png');
  });

  it('sharing changes a file, names the group it was shared with, and keeps the directory apart from the file name', () => {
    const doc = documentOf('sharepoint', 2);
    assert.equal(at(doc, 'event.code'), 'SharePointSharingOperation');
    assert.deepEqual(at(doc, 'event.category'), ['web', 'file']);
    assert.deepEqual(at(doc, 'event.type'), ['info', 'change']);
    assert.equal(at(doc, 'file.directory'), 'Documents', 'SourceRelativeUrl is Documents/Screenshot.png here');
    assert.equal(at(doc, 'user.target.group.name'), '4da1e7f54501bb99b6e0ab2ff8749842152ac02ff8c0c8017b0e40e6b67fecdd');
  });
});

describe('Audit.General', () => {
  it('a Teams membership change is an IAM group change naming the team and the added members', () => {
    const doc = documentOf('general', 0);
    assert.equal(at(doc, 'event.code'), 'MicrosoftTeams');
    assert.deepEqual(at(doc, 'event.category'), ['web', 'iam']);
    assert.deepEqual(at(doc, 'event.type'), ['info', 'group', 'change']);
    assert.equal(at(doc, 'group.name'), 'SIEMTest');
    assert.equal(at(doc, 'group.id'), '19:5ad83cb367fc48358e759dccff238f46@thread.skype');
    assert.deepEqual(at(doc, 'user.target.email'), ['david@testsiem.onmicrosoft.com', 'alice@testsiem.onmicrosoft.com']);
    for (const user of ['david@testsiem.onmicrosoft.com', 'alice@testsiem.onmicrosoft.com', 'asr']) assert.ok(strings(doc, 'related.user').includes(user), user);
  });

  it('a Viva Engage group creation keeps the client port and takes "TRUE" for success', () => {
    const doc = documentOf('general', 1);
    assert.equal(at(doc, 'event.code'), 'Yammer');
    assert.deepEqual(at(doc, 'event.category'), ['web', 'iam']);
    assert.deepEqual(at(doc, 'event.type'), ['info', 'group', 'creation']);
    assert.equal(at(doc, 'event.outcome'), 'success');
    assert.equal(at(doc, 'group.name'), 'Sales');
    assert.equal(at(doc, 'source.ip'), '79.159.10.151');
    assert.equal(at(doc, 'source.port'), 12345);
    assert.equal(at(doc, 'client.address'), '79.159.10.151:12345');
  });

  it('a Security & Compliance cmdlet keeps its string Parameters under Parameters._raw', () => {
    const doc = documentOf('general', 2);
    assert.equal(at(doc, 'event.code'), 'SecurityComplianceCenterEOPCmdlet');
    assert.deepEqual(at(doc, 'event.category'), ['web', 'configuration']);
    assert.deepEqual(at(doc, 'event.type'), ['info', 'access']);
    assert.deepEqual(at(doc, 'o365.audit.Parameters'), { _raw: '-Export "True"' });
    assert.equal(at(doc, 'o365.audit.NonPIIParameters'), '-Export "<SNIP-PII>"');
  });
});

describe('DLP', () => {
  it('an Exchange rule match is an alert about the message, with its rule, policy and severity', () => {
    const doc = documentOf('dlp', 0);
    assert.equal(at(doc, 'event.code'), 'ComplianceDLPExchange');
    assert.equal(at(doc, 'event.kind'), 'alert');
    assert.deepEqual(at(doc, 'event.category'), ['web', 'email']);
    assert.equal(at(doc, 'event.severity'), 2);
    assert.equal(at(doc, 'event.outcome'), 'success', 'NotifyUser blocks nothing');
    assert.equal(at(doc, 'user.email'), 'asr@testsiem2.onmicrosoft.com', 'the sender, not the DLP agent');
    assert.equal(at(doc, 'email.from.address'), 'asr@testsiem2.onmicrosoft.com');
    assert.deepEqual(at(doc, 'email.to.address'), ['asr@example.org']);
    assert.deepEqual(at(doc, 'email.cc.address'), ['asr@example.net']);
    assert.equal(at(doc, 'email.bcc'), undefined);
    assert.equal(at(doc, 'email.subject'), "Here's the phony data");
    assert.equal(at(doc, 'email.origination_timestamp'), '2020-02-24T20:11:14.000Z');
    assert.equal(at(doc, 'rule.name'), 'Low volume of content detected test');
    assert.equal(at(doc, 'rule.id'), '8398c03a-a00d-42bb-8f80-ead0ad04e1df');
    assert.equal(at(doc, 'rule.ruleset'), 'test');
    assert.deepEqual(at(doc, 'o365.dlp.sensitive_info_types'), ['419f449f-6d9d-4be1-a154-b531f7a91b41', 'b8fe86d1-c056-453b-bfaa-9fe698699ecc']);
    assert.deepEqual(at(doc, 'o365.dlp.actions'), ['NotifyUser']);
  });

  it('a SharePoint rule match describes the file and takes the highest rule severity', () => {
    const doc = documentOf('dlp', 1);
    assert.equal(at(doc, 'event.code'), 'ComplianceDLPSharePoint');
    assert.equal(at(doc, 'event.kind'), 'alert');
    assert.deepEqual(at(doc, 'event.category'), ['web', 'file']);
    assert.equal(at(doc, 'event.severity'), 4);
    assert.equal(at(doc, 'user.id'), 'alice@testsiem2.onmicrosoft.com');
    assert.deepEqual(at(doc, 'file'), {
      name: 'Document.docx',
      extension: 'docx',
      owner: 'alice@testsiem2.onmicrosoft.com',
      size: 35920,
      mtime: '2020-02-26T09:56:12.000Z',
      created: '2020-02-26T09:55:38.000Z',
    });
    assert.equal(at(doc, 'url.original'), 'https://testsiem2.sharepoint.com/sites/Internalcommunications/Shared%20Documents/Document.docx');
    assert.deepEqual(at(doc, 'o365.dlp.actions'), ['NotifyUser', 'GenerateAlert']);
  });

  it('a OneDrive rule match replaces the DLP agent by the content author', () => {
    const doc = documentOf('dlp', 2);
    assert.equal(at(doc, 'o365.audit.UserId'), 'DlpPolicyEventBasedAssistantOneDriveForBusiness');
    assert.deepEqual(at(doc, 'user'), { id: 'ASR@TESTSIEM2.ONMICROSOFT.COM', email: 'ASR@TESTSIEM2.ONMICROSOFT.COM', name: 'ASR', domain: 'TESTSIEM2.ONMICROSOFT.COM' });
    assert.equal(at(doc, 'file.owner'), 'Alan Smithee');
    assert.equal(at(doc, 'rule.ruleset'), 'U.S. Financial Data');
  });
});
