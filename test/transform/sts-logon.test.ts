// Sign-in outcomes. On STS logon records ResultStatus says whether the STS handled the request, not
// whether the user got in; the real result is the operation and the error fields. (Elastic's pipeline
// takes ResultStatus, so a wrong password shows as a success there.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTransformer } from '../../src/transform/index.js';
import { at } from './support.js';

const transformer = createTransformer();
const context = { tenantId: 'b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd', contentType: 'Audit.AzureActiveDirectory' };

interface Row {
  operation: string;
  resultStatus?: string;
  errorNumber?: unknown;
  errorCode?: unknown;
  logonError?: string;
  recordType?: number;
  outcome: 'success' | 'failure' | 'unknown';
  code?: string;
  message?: string;
}

const TABLE: Row[] = [
  { operation: 'UserLoggedIn', resultStatus: 'Succeeded', outcome: 'success' },
  { operation: 'UserLoggedIn', resultStatus: 'Success', errorNumber: '0', outcome: 'success' },
  { operation: 'UserLoggedIn', resultStatus: 'Failed', outcome: 'success' },
  { operation: 'UserLoggedIn', resultStatus: 'Succeeded', errorNumber: '', logonError: '', outcome: 'success' },
  { operation: 'UserLoginFailed', resultStatus: 'Success', errorNumber: '50126', logonError: 'InvalidUserNameOrPassword', outcome: 'failure', code: '50126', message: 'InvalidUserNameOrPassword' },
  { operation: 'UserLoginFailed', resultStatus: 'Succeeded', outcome: 'failure' },
  { operation: 'UserLoggedIn', resultStatus: 'Succeeded', errorNumber: '50074', outcome: 'failure', code: '50074' },
  { operation: 'UserLoggedIn', resultStatus: 'Success', errorCode: 50053, outcome: 'failure', code: '50053' },
  { operation: 'UserLoggedIn', resultStatus: 'Success', errorNumber: '0', errorCode: '50126', outcome: 'failure', code: '50126' },
  { operation: 'UserLoggedIn', resultStatus: 'Success', errorNumber: '0', logonError: 'IdsLocked', outcome: 'failure', message: 'IdsLocked' },
  { operation: 'UserLoggedIn', resultStatus: 'Success', errorCode: 0, outcome: 'success' },
  { operation: 'UserLoginFailed', errorNumber: '50053', logonError: 'IdsLocked', recordType: 9, outcome: 'failure', code: '50053', message: 'IdsLocked' },
  { operation: 'SomeOtherStsOperation', resultStatus: 'Failed', outcome: 'failure' },
  { operation: 'SomeOtherStsOperation', resultStatus: 'Succeeded', outcome: 'success' },
  { operation: 'SomeOtherStsOperation', resultStatus: 'Redirect', outcome: 'unknown' },
];

function signIn(row: Row): Record<string, unknown> {
  const record: Record<string, unknown> = {
    Id: '5c1f8b0e-3a7d-4e2a-9b61-0f4d2c7e9a13',
    CreationTime: '2020-02-12T10:57:41',
    RecordType: row.recordType ?? 15,
    Workload: 'AzureActiveDirectory',
    Operation: row.operation,
    UserId: 'asr@testsiem.onmicrosoft.com',
    ClientIP: '79.159.10.151',
  };
  if (row.resultStatus !== undefined) record.ResultStatus = row.resultStatus;
  if (row.errorNumber !== undefined) record.ErrorNumber = row.errorNumber;
  if (row.errorCode !== undefined) record.ErrorCode = row.errorCode;
  if (row.logonError !== undefined) record.LogonError = row.logonError;
  return record;
}

describe('sign-in outcome', () => {
  for (const row of TABLE) {
    const { outcome, code, message, recordType, ...given } = row;
    it(`${JSON.stringify(given)}${recordType === undefined ? '' : ` (RecordType ${recordType})`} → ${outcome}`, () => {
      const doc = transformer.transform(signIn(row), context).source as Record<string, unknown>;
      assert.equal(at(doc, 'event.outcome'), outcome);
      assert.equal(at(doc, 'error.code'), code);
      assert.equal(at(doc, 'error.message'), message);
      assert.deepEqual(at(doc, 'event.category'), ['web', 'authentication']);
      assert.deepEqual(at(doc, 'event.type'), row.operation.startsWith('User') ? ['info', 'start'] : ['info']);
      assert.equal(at(doc, 'tags'), undefined);
    });
  }
});
