// The values Elastic's o365 integration gives where its rules and dashboards read them, one test per
// field family (docs/ecs-mapping.md, "Where this mapping differs from Elastic's integration").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTransformer } from '../../src/transform/index.js';
import { at } from './support.js';

const TENANT = 'b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd';
const transformer = createTransformer();

function mapped(fields: Record<string, unknown>, tenantName?: string): Record<string, unknown> {
  const record = { Id: '3c2b1a09-8f7e-4d6c-9b5a-493827160504', CreationTime: '2026-03-02T10:00:00', OrganizationId: TENANT, UserId: 'alice@contoso.com', ...fields };
  return transformer.transform(record, { tenantId: TENANT, contentType: 'Audit.General', ...(tenantName === undefined ? {} : { tenantName }) }).source;
}

describe("Elastic's values where its rules and dashboards read them", () => {
  it('every document is web/info first, then its own category and type', () => {
    const cmdlet = mapped({ RecordType: 1, Workload: 'Exchange', Operation: 'New-TransportRule' });
    assert.deepEqual(at(cmdlet, 'event.category'), ['web', 'configuration']);
    assert.deepEqual(at(cmdlet, 'event.type'), ['info', 'creation']);
    const signIn = mapped({ RecordType: 15, Workload: 'AzureActiveDirectory', Operation: 'UserLoggedIn' });
    assert.deepEqual(at(signIn, 'event.category'), ['web', 'authentication']);
    assert.deepEqual(at(signIn, 'event.type'), ['info', 'start']);
    const other = mapped({ RecordType: 20, Workload: 'PowerBI', Operation: 'ViewReport' });
    assert.deepEqual(at(other, 'event.category'), ['web']);
    assert.deepEqual(at(other, 'event.type'), ['info']);
  });

  it('names the data stream the rules select: data_stream.dataset o365.audit', () => {
    assert.deepEqual(at(mapped({ RecordType: 1, Operation: 'Set-Mailbox' }), 'data_stream'), { type: 'logs', dataset: 'o365.audit' });
  });

  it('splits OriginatingServer "HOST (address)" into server.domain and server.address, and an IP into server.ip, destination.ip and related.ip', () => {
    const build = mapped({ RecordType: 1, Operation: 'Set-Mailbox', OriginatingServer: 'HE1PR0102MB3228 (15.20.2707.017)\r\n' });
    assert.equal(at(build, 'server.domain'), 'HE1PR0102MB3228');
    assert.equal(at(build, 'server.address'), '15.20.2707.017');
    assert.equal(at(build, 'server.ip'), undefined);
    const address = mapped({ RecordType: 2, Operation: 'Send', OriginatingServer: 'EXCH01 (10.20.30.40)', ClientIPAddress: '81.2.69.144' });
    assert.equal(at(address, 'server.domain'), 'EXCH01');
    assert.equal(at(address, 'server.ip'), '10.20.30.40');
    assert.equal(at(address, 'destination.ip'), '10.20.30.40');
    assert.deepEqual(at(address, 'related.ip'), ['81.2.69.144', '10.20.30.40']);
  });

  it('gives ThreatIntelligence and MailSubmission records email.* fields, and the sender address to related.ip', () => {
    const threat = mapped({
      RecordType: 28,
      Workload: 'ThreatIntelligence',
      Operation: 'TIMailData',
      UserId: 'ThreatIntel',
      InternetMessageId: '<a1@mail.example>',
      NetworkMessageId: '0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e',
      P1Sender: 'billing@fabrikam.example',
      Recipients: ['alice@contoso.com', 'bob@contoso.com'],
      SenderIp: '203.0.113.9',
      Subject: 'Invoice overdue',
    });
    assert.equal(at(threat, 'event.code'), 'ThreatIntelligence');
    assert.equal(at(threat, 'email.message_id'), '<a1@mail.example>');
    assert.equal(at(threat, 'email.local_id'), '0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e');
    assert.equal(at(threat, 'email.sender.address'), 'billing@fabrikam.example');
    assert.deepEqual(at(threat, 'email.to.address'), ['alice@contoso.com', 'bob@contoso.com']);
    assert.equal(at(threat, 'email.subject'), 'Invoice overdue');
    assert.deepEqual(at(threat, 'related.ip'), ['203.0.113.9']);
    const submission = mapped({ RecordType: 29, Workload: 'Exchange', Operation: 'UserSubmission', SenderIP: '198.51.100.7', P1Sender: 'x@fabrikam.example', Subject: 'Reported' });
    assert.equal(at(submission, 'event.code'), 'MailSubmission');
    assert.equal(at(submission, 'email.sender.address'), 'x@fabrikam.example');
    assert.deepEqual(at(submission, 'related.ip'), ['198.51.100.7']);
  });

  it('a DLP rule undo is a success and a false-positive report on a block a failure, whatever the exception says', () => {
    const dlp = (operation: string, extra: Record<string, unknown> = {}) =>
      mapped({
        RecordType: 11,
        Operation: operation,
        UserId: 'DlpAgent',
        PolicyDetails: [{ PolicyId: 'p1', PolicyName: 'PCI', Rules: [{ RuleId: 'r1', RuleName: 'Cards', Severity: 'High', Actions: ['BlockAccess'] }] }],
        ...extra,
      });
    assert.equal(at(dlp('DlpRuleUndo'), 'event.outcome'), 'success');
    assert.equal(at(dlp('DlpInfo', { ExceptionInfo: { Reason: 'FalsePositive' } }), 'event.outcome'), 'failure');
    assert.equal(at(dlp('DlpRuleMatch', { ExceptionInfo: '{"FalsePositive":true}' }), 'event.outcome'), 'success');
    assert.equal(at(dlp('DlpRuleMatch'), 'event.outcome'), 'failure');
  });

  it('names RecordType 22 Yammer, as the rules and dashboards know it', () => {
    assert.equal(at(mapped({ RecordType: 22, Workload: 'Yammer', Operation: 'GroupCreation' }), 'event.code'), 'Yammer');
  });

  it('puts every alert link into rule.reference', () => {
    const alert = mapped({
      RecordType: 40,
      Operation: 'AlertTriggered',
      UserId: 'SecurityComplianceAlerts',
      AlertLinks: [
        { AlertLinkText: 'View', AlertLinkHref: 'https://security.microsoft.com/alerts/1' },
        { AlertLinkText: 'Investigate', AlertLinkHref: 'https://security.microsoft.com/investigation/2' },
        { AlertLinkText: 'Empty' },
      ],
    });
    assert.deepEqual(at(alert, 'rule.reference'), ['https://security.microsoft.com/alerts/1', 'https://security.microsoft.com/investigation/2']);
  });

  it('names the tenant as the host: host.id the tenant id, host.name its name, else the user domain', () => {
    const named = mapped({ RecordType: 1, Operation: 'Set-Mailbox' }, 'Contoso');
    assert.equal(at(named, 'host.id'), TENANT);
    assert.equal(at(named, 'host.name'), 'Contoso');
    assert.equal(at(mapped({ RecordType: 8, Operation: 'Add user.' }), 'host.name'), 'contoso.com');
  });

  it('a client named by host name gives client.domain, with the address in parentheses as client.ip', () => {
    const named = mapped({ ClientIP: 'mail.fabrikam.example (203.0.113.5)' });
    assert.equal(at(named, 'client.domain'), 'mail.fabrikam.example');
    assert.equal(at(named, 'client.ip'), '203.0.113.5');
    assert.equal(at(named, 'source.ip'), '203.0.113.5');
    const bare = mapped({ ClientIP: 'mail.fabrikam.example:443', ActorIpAddress: '203.0.113.6' });
    assert.equal(at(bare, 'client.domain'), 'mail.fabrikam.example');
    assert.equal(at(bare, 'client.ip'), '203.0.113.6');
    assert.equal(at(bare, 'tags'), undefined);
  });

  it('keeps DeviceProperties and OperationProperties as the lists of pairs the rules query', () => {
    const pairs = [{ Name: 'IsCompliant', Value: 'False' }];
    const doc = mapped({ RecordType: 15, Operation: 'UserLoggedIn', DeviceProperties: pairs, OperationProperties: JSON.stringify(pairs) });
    assert.deepEqual(at(doc, 'o365.audit.DeviceProperties'), pairs);
    assert.deepEqual(at(doc, 'o365.audit.OperationProperties'), pairs);
  });
});
