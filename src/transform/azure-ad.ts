// Azure AD (Entra ID): directory changes (RecordType 8) and sign-ins through the Secure Token Service
// (RecordType 15, and the retired 9).
import { asList, asRecord, classify, field, firstText, put, text, wholeNumber } from './fields.js';
import { putUpn, splitUpn } from './identity.js';
import type { Mapping } from './mapping.js';
import { resultStatusOutcome, type Outcome } from './outcome.js';

const LOGON_OPERATIONS = new Set(['UserLoggedIn', 'UserLoginFailed']);

/**
 * Sign-ins. `ResultStatus` on these records reports whether the STS handled the request, not whether
 * the user got in: a wrong password arrives as `UserLoginFailed` with `ResultStatus: Success`. The
 * outcome therefore comes from the operation and the error fields.
 */
export function mapStsLogon({ doc, audit, operation }: Mapping): void {
  classify(doc, ['authentication'], [operation !== undefined && LOGON_OPERATIONS.has(operation) ? 'start' : 'info']);
  const errorCode = failingErrorCode(audit);
  const logonError = text(audit.LogonError);
  put(doc, 'event.outcome', stsLogonOutcome(operation, errorCode, logonError, audit.ResultStatus));
  put(doc, 'error.code', errorCode);
  put(doc, 'error.message', logonError);
}

function stsLogonOutcome(operation: string | undefined, errorCode: string | undefined, logonError: string | undefined, resultStatus: unknown): Outcome {
  if (operation === 'UserLoginFailed' || errorCode !== undefined || logonError !== undefined) return 'failure';
  if (operation === 'UserLoggedIn') return 'success';
  return resultStatusOutcome(resultStatus);
}

/** The AADSTS error code, unless it is absent or `0` (success). The wire calls it ErrorNumber; the schema, ErrorCode. */
function failingErrorCode(audit: Record<string, unknown>): string | undefined {
  for (const name of ['ErrorNumber', 'ErrorCode']) {
    const code = text(audit[name]);
    if (code !== undefined && !/^0+$/.test(code)) return code;
  }
  return undefined;
}

/** Directory changes: users, groups, roles, applications, policies. */
export function mapDirectoryAudit({ doc, audit, operation }: Mapping): void {
  const [categories, types] = directoryClassification(operation ?? '');
  classify(doc, categories, types);

  const target = targetIdentities(audit);
  if (target.isUser || types.includes('user')) {
    put(doc, 'user.target.id', target.userObjectId);
    // For user operations ObjectId is the target's UPN; putUpn ignores it when it is not one.
    putUpn(doc, 'user.target', target.upn ?? text(audit.ObjectId));
  }
  put(doc, 'group.id', target.groupObjectId);
  put(doc, 'group.name', newValueOf(audit, 'Group_DisplayName'));
}

/** The NewValue of a changed property (`ModifiedProperties` is already a map of Name → {NewValue, OldValue}). */
function newValueOf(audit: Record<string, unknown>, property: string): string | undefined {
  const change = asRecord(field(asRecord(audit.ModifiedProperties), property));
  return firstText(field(change, 'NewValue'));
}

type Classification = [categories: string[], types: string[]];

function directoryClassification(operation: string): Classification {
  const op = operation.toLowerCase();
  const membership = /\b(member|owner)\b/.test(op);
  let action = 'change';
  if (!membership && /^(add|create|register)\b/.test(op)) action = 'creation';
  else if (!membership && /^(delete|hard delete|remove)\b/.test(op)) action = 'deletion';
  if (/\brole\b/.test(op)) return [['iam'], ['admin', action]];
  if (/\bgroup\b/.test(op)) return [['iam'], ['group', action]];
  if (/\b(user|account|password)\b/.test(op)) return [['iam'], ['user', action]];
  if (/\b(application|service principal|policy|domain|company|tenant|settings?|partner|credentials?|certificates?|consent)\b/.test(op)) {
    return [['configuration'], [action]];
  }
  return [['iam'], [action]];
}

interface TargetIdentities {
  isUser: boolean;
  upn?: string;
  userObjectId?: string;
  groupObjectId?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPED_OBJECT_ID = /^(User|Group)_([0-9a-f-]{36})$/i;
const IDENTITY_TYPE_UPN = 5;

/**
 * The `Target` list describes one object several ways: `User_<guid>`, the bare `<guid>`, the class
 * name `User`, the UPN (Type 5) and the PUID (Type 3). Group memberships add the group the same way.
 */
function targetIdentities(audit: Record<string, unknown>): TargetIdentities {
  const found: TargetIdentities = { isUser: false };
  let bareGuid: string | undefined;
  for (const item of asList(audit.Target)) {
    const entry = asRecord(item);
    const id = text(field(entry, 'ID'));
    if (id === undefined) continue;
    const typed = TYPED_OBJECT_ID.exec(id);
    if (typed !== null) {
      if ((typed[1] as string).toLowerCase() === 'user') {
        found.isUser = true;
        found.userObjectId ??= typed[2];
      } else {
        found.groupObjectId ??= typed[2];
      }
    } else if (id === 'User') {
      found.isUser = true;
    } else if (wholeNumber(field(entry, 'Type')) === IDENTITY_TYPE_UPN && splitUpn(id) !== undefined) {
      found.isUser = true;
      found.upn ??= id;
    } else if (GUID.test(id)) {
      bareGuid ??= id;
    }
  }
  if (found.isUser && found.userObjectId === undefined && found.groupObjectId === undefined) found.userObjectId = bareGuid;
  return found;
}
