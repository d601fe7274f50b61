// The KQL evaluator the detection-rule test relies on (test/support/kql.ts): Kibana's syntax,
// precedence and escapes, and keyword matching semantics.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesKql } from '../support/kql.js';

const doc = {
  event: { action: 'New-InboxRule', category: ['web', 'configuration'], severity: 3 },
  user: { id: 'NT AUTHORITY\\SYSTEM (w3wp)', email: 'it.helpdesk@fabrikam.example' },
  user_agent: { original: 'Mozilla/5.0 WindowsPowerShell/5.1' },
  o365: { audit: { Target: [{ ID: 'a', Type: 0 }, { ID: 'b', Type: 5 }], Parameters: { Enabled: 'False', Body: '\u0000' }, Flag: true, Count: '20' } },
};
const flattened = { flattenedPrefixes: ['o365.audit'] };
const matches = (query: string) => matchesKql(query, doc, flattened);

describe('KQL evaluator', () => {
  it('matches field:value, quoted or not, exactly and case-sensitively', () => {
    assert.ok(matches('event.action:New-InboxRule'));
    assert.ok(matches('event.action:"New-InboxRule"'));
    assert.ok(!matches('event.action:new-inboxrule'));
    assert.ok(!matches('event.action:New'));
  });

  it('matches any value of a multi-valued field, numbers and booleans by their text', () => {
    assert.ok(matches('event.category:configuration'));
    assert.ok(matches('o365.audit.Target.Type:5 and o365.audit.Target.ID:b'));
    assert.ok(matches('o365.audit.Flag:true and event.severity:3'));
    assert.ok(!matches('o365.audit.Flag:false'));
  });

  it('gives not precedence over and, and over or; parentheses regroup', () => {
    assert.ok(matches('event.action:x or event.action:New-InboxRule and event.severity:3'));
    assert.ok(!matches('(event.action:x or event.action:New-InboxRule) and event.severity:4'));
    assert.ok(matches('not event.action:x and event.severity:3'));
    assert.ok(!matches('not (event.action:x or event.severity:3)'));
  });

  it('reads value lists with or, and and not inside', () => {
    assert.ok(matches('event.action:(Set-Mailbox or New-InboxRule)'));
    assert.ok(matches('user.email:(* and not "x@y")'));
    assert.ok(!matches('user.email:(* and not (*helpdesk* or other))'));
  });

  it('takes * as a wildcard in values and field names, and alone as exists', () => {
    assert.ok(matches('user_agent.original:*PowerShell*'));
    assert.ok(!matches('user_agent.original:*powershell*'));
    assert.ok(matches('user.*:*helpdesk*'));
    assert.ok(matches('o365.audit.Parameters.Enabled:*'));
    assert.ok(!matches('o365.audit.Parameters.Missing:*'));
    assert.ok(matches('event.action:"New-*" or event.action:New-*'));
    assert.ok(!matches('event.action:"New-*"'), 'a quoted * is literal');
  });

  it('reads escapes: \\uXXXX and \\" in phrases, a backslash before other letters literally', () => {
    assert.ok(matches('o365.audit.Parameters.Body:"\\u0000"'));
    assert.ok(matches('user.id:"NT AUTHORITY\\SYSTEM (w3wp)"'));
    assert.ok(matches('user.id:*\\(w3wp\\)'), 'escaped parentheses in an unquoted value');
    assert.ok(!matches('event.action:New-Inbox\\*'), 'an escaped * is literal');
  });

  it('compares ranges numerically for numbers, and as text inside a flattened field', () => {
    assert.ok(matches('event.severity >= 3 and event.severity < 4'));
    assert.ok(!matches('event.severity > 3'));
    // "20" >= "100" as text: Elasticsearch's flattened fields compare ranges as keywords.
    assert.ok(matches('o365.audit.Count >= 100'));
  });

  it('refuses what it does not evaluate: nested queries and a value without a field', () => {
    assert.throws(() => matches('o365.audit.Target:{ ID:a }'), /nested/);
    assert.throws(() => matches('New-InboxRule'), /without a field/);
    assert.throws(() => matches('event.action:"open'), /unterminated/);
  });
});
