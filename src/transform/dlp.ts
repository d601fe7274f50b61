// Data loss prevention: a policy rule matched sensitive content in a file (SharePoint, OneDrive,
// devices, on-premises scanners) or a message (Exchange). The record's own user is the DLP agent; the
// person who created, shared or sent the content is in the metadata and becomes `user`.
import { append, asList, asRecord, classify, field, put, putValues, text, texts, wholeNumber, type Doc } from './fields.js';
import { extensionOf } from './file-name.js';
import { putUpn } from './identity.js';
import type { Mapping } from './mapping.js';
import { severityNumber } from './severity.js';
import { parseAuditTime } from './timestamp.js';
import { putUrl } from './url.js';

/** The action that makes a DLP event a failure in Elastic's integration, whose outcome o365-elk follows. */
const BLOCKING_ACTION = 'BlockAccess';

export function mapDlp({ doc, audit, operation }: Mapping): void {
  if (operation?.toLowerCase() === 'dlprulematch') put(doc, 'event.kind', 'alert');
  const message = asRecord(audit.ExchangeMetaData);
  if (message !== undefined) {
    classify(doc, ['email'], ['info']);
    putMessage(doc, message);
  } else {
    classify(doc, ['file'], ['access']);
    const file = asRecord(audit.SharePointMetaData);
    if (file !== undefined) putSharePointFile(doc, file);
  }
  putRules(doc, audit, operation);
}

function putActor(doc: Doc, from: string | undefined): void {
  if (from === undefined) return;
  // Replaces what the common mapping took from UserId, the DLP agent.
  delete doc.user;
  put(doc, 'user.id', from);
  putUpn(doc, 'user', from);
}

function putMessage(doc: Doc, message: Record<string, unknown>): void {
  const from = text(message.From);
  putActor(doc, from);
  put(doc, 'email.from.address', from);
  put(doc, 'email.to.address', texts(message.To));
  put(doc, 'email.cc.address', texts(message.CC));
  put(doc, 'email.bcc.address', texts(message.BCC));
  put(doc, 'email.subject', text(message.Subject));
  put(doc, 'email.message_id', text(message.MessageID));
  const sent = parseAuditTime(message.Sent);
  put(doc, 'email.origination_timestamp', sent === undefined ? undefined : new Date(sent).toISOString());
}

function putSharePointFile(doc: Doc, file: Record<string, unknown>): void {
  putActor(doc, text(file.From));
  const name = text(file.FileName);
  put(doc, 'file.name', name);
  put(doc, 'file.extension', name === undefined ? undefined : extensionOf(name));
  put(doc, 'file.owner', text(file.FileOwner));
  put(doc, 'file.size', wholeNumber(file.FileSize));
  putTime(doc, 'file.mtime', file.ItemLastModifiedTime ?? file.LastModifiedTime);
  putTime(doc, 'file.created', file.ItemCreationTime ?? file.itemCreationTime);
  putUrl(doc, text(file.FilePathUrl));
  append(doc, 'related.user', [text(file.FileOwner), text(file.DocumentLastModifier), text(file.DocumentSharer)]);
}

function putTime(doc: Doc, path: string, value: unknown): void {
  const time = parseAuditTime(value);
  put(doc, path, time === undefined ? undefined : new Date(time).toISOString());
}

/**
 * Policies become `rule.ruleset`, their rules `rule.id`/`rule.name`; the highest rule severity is the
 * event's.
 */
function putRules(doc: Doc, audit: Record<string, unknown>, operation: string | undefined): void {
  const policies: string[] = [];
  const ruleIds: string[] = [];
  const ruleNames: string[] = [];
  const actions: string[] = [];
  const sensitiveTypes: string[] = [];
  let severity: number | undefined;
  let blocked = false;
  for (const policyItem of asList(audit.PolicyDetails)) {
    const policy = asRecord(policyItem);
    addText(policies, field(policy, 'PolicyName'));
    for (const ruleItem of asList(field(policy, 'Rules'))) {
      const rule = asRecord(ruleItem);
      addText(ruleIds, field(rule, 'RuleId'));
      addText(ruleNames, field(rule, 'RuleName'));
      const ruleActions = texts(field(rule, 'Actions'));
      actions.push(...ruleActions);
      if (ruleActions.includes(BLOCKING_ACTION)) blocked = true;
      const ruleSeverity = severityNumber(field(rule, 'Severity'));
      if (ruleSeverity !== undefined && (severity === undefined || ruleSeverity > severity)) severity = ruleSeverity;
      const conditions = asRecord(field(rule, 'ConditionsMatched'));
      for (const infoItem of asList(field(conditions, 'SensitiveInformation'))) {
        const info = asRecord(infoItem);
        addText(sensitiveTypes, text(field(info, 'SensitiveInformationTypeName')) ?? field(info, 'SensitiveType'));
      }
    }
  }
  putValues(doc, 'rule.ruleset', policies);
  putValues(doc, 'rule.id', ruleIds);
  putValues(doc, 'rule.name', ruleNames);
  put(doc, 'event.severity', severity);
  put(doc, 'o365.dlp.actions', [...new Set(actions)]);
  put(doc, 'o365.dlp.sensitive_info_types', [...new Set(sensitiveTypes)]);
  put(doc, 'event.outcome', dlpOutcome(blocked, operation, asRecord(audit.ExceptionInfo)));
}

/**
 * As Elastic's integration decides it: a rule that blocked nothing is a success; so is undoing a rule's
 * action (`DlpRuleUndo`); a false-positive report on a block (`DlpInfo`) leaves the block a failure;
 * otherwise a block is a failure unless the user overrode it (`ExceptionInfo` says why).
 */
function dlpOutcome(blocked: boolean, operation: string | undefined, exception: Record<string, unknown> | undefined): 'success' | 'failure' {
  if (!blocked) return 'success';
  switch (operation?.toLowerCase()) {
    case 'dlpruleundo':
      return 'success';
    case 'dlpinfo':
      return 'failure';
    default:
      return exception !== undefined && Object.keys(exception).length > 0 ? 'success' : 'failure';
  }
}

function addText(list: string[], value: unknown): void {
  const t = text(value);
  if (t !== undefined) list.push(t);
}
