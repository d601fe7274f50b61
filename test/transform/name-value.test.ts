// o365.audit keeps the record, with its {Name, Value} lists turned into maps a search can address
// (`o365.audit.Parameters.Identity`), JSON held in strings parsed, and every field one mapping type.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTransformer } from '../../src/transform/index.js';
import { at } from './support.js';

const transformer = createTransformer();
const context = { tenantId: 'b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd', contentType: 'Audit.AzureActiveDirectory' };

function audit(fields: Record<string, unknown>): { audit: Record<string, unknown>; tags: unknown } {
  const record = { Id: '2584fb28-a111-475e-ac4a-06e315585d80', CreationTime: '2021-02-04T16:00:05', RecordType: 8, Operation: 'Update user.', ...fields };
  const source = transformer.transform(record, context).source as Record<string, unknown>;
  return { audit: at(source, 'o365.audit') as Record<string, unknown>, tags: source.tags };
}

describe('name/value lists', () => {
  it('become maps for Parameters and ExtendedProperties; DeviceProperties and OperationProperties stay lists', () => {
    const pairs = [
      { Name: 'Identity', Value: 'alice' },
      { Name: 'Enabled', Value: 'True' },
    ];
    const { audit: result, tags } = audit({ Parameters: pairs, ExtendedProperties: pairs, DeviceProperties: pairs, OperationProperties: pairs });
    for (const name of ['Parameters', 'ExtendedProperties']) assert.deepEqual(result[name], { Identity: 'alice', Enabled: 'True' }, name);
    for (const name of ['DeviceProperties', 'OperationProperties']) assert.deepEqual(result[name], pairs, name);
    assert.equal(tags, undefined);
  });

  it('ModifiedProperties becomes Name → {NewValue, OldValue}', () => {
    const { audit: result } = audit({
      ModifiedProperties: [
        { Name: 'DisplayName', NewValue: 'Eve', OldValue: '' },
        { Name: 'Group.DisplayName', NewValue: 'Sales' },
      ],
    });
    assert.deepEqual(at(result, 'ModifiedProperties'), { DisplayName: { NewValue: 'Eve', OldValue: '' }, Group_DisplayName: { NewValue: 'Sales' } });
  });

  it('parses JSON objects and arrays held in values, and leaves everything else as received', () => {
    const { audit: result } = audit({
      ExtendedProperties: [
        { Name: 'additionalDetails', Value: '{"UserAgent":"curl","nested":{"a":[1,2]}}' },
        { Name: 'list', Value: '[\r\n  true\r\n]' },
        { Name: 'number', Value: '50126' },
        { Name: 'boolean', Value: 'true' },
        { Name: 'notJson', Value: '[SkuName=ENTERPRISEPACK, DisabledPlans=[]]' },
        { Name: 'brokenJson', Value: '{"a":' },
        { Name: 'null', Value: '<null>' },
      ],
    });
    assert.deepEqual(at(result, 'ExtendedProperties'), {
      additionalDetails: { UserAgent: 'curl', nested: { a: [1, 2] } },
      list: [true],
      number: '50126',
      boolean: 'true',
      notJson: '[SkuName=ENTERPRISEPACK, DisabledPlans=[]]',
      brokenJson: '{"a":',
      null: '<null>',
    });
  });

  it('keeps every value of a repeated name', () => {
    const { audit: result } = audit({ Parameters: [{ Name: 'Member', Value: 'a' }, { Name: 'Member', Value: 'b' }, { Name: 'Member', Value: 'c' }] });
    assert.deepEqual(at(result, 'Parameters'), { Member: ['a', 'b', 'c'] });
  });

  it('makes names with dots or blanks single field names, and keeps a nameless pair as text', () => {
    const { audit: result } = audit({ ModifiedProperties: [{ Name: 'Included Updated Properties', NewValue: 'x' }, { Name: 'Role.WellKnownObjectName', NewValue: 'y' }, { Name: '', NewValue: 'z' }] });
    assert.deepEqual(at(result, 'ModifiedProperties'), {
      Included_Updated_Properties: { NewValue: 'x' },
      Role_WellKnownObjectName: { NewValue: 'y' },
      _raw: ['{"Name":"","NewValue":"z"}'],
    });
  });

  it('keeps items that are no {Name, Value} pair as text under _raw (Exchange sends ModifiedProperties as plain names)', () => {
    const { audit: result } = audit({ ModifiedProperties: ['Subject', 'Body'], Parameters: [{ Name: 'Identity', Value: 'x' }, 42, null, { Value: 'no name' }] });
    assert.deepEqual(at(result, 'ModifiedProperties'), { _raw: ['Subject', 'Body'] });
    assert.deepEqual(at(result, 'Parameters'), { Identity: 'x', _raw: ['42', 'null', '{"Value":"no name"}'] });
  });

  it('reads a list sent as JSON text, and keeps other text (S&C cmdlet Parameters) under _raw', () => {
    const { audit: listAsText } = audit({ OperationProperties: '[{"Name":"MailAccessType","Value":"Bind"}]' });
    assert.deepEqual(at(listAsText, 'OperationProperties'), [{ Name: 'MailAccessType', Value: 'Bind' }]);
    const { audit: cmdlet } = audit({ Parameters: '-Export "True" -Identity "x"' });
    assert.deepEqual(at(cmdlet, 'Parameters'), { _raw: '-Export "True" -Identity "x"' });
    const { audit: number } = audit({ Parameters: 5 });
    assert.deepEqual(at(number, 'Parameters'), { _raw: '5' });
  });

  it('leaves a map that is already a map alone', () => {
    const { audit: result } = audit({ ExtendedProperties: { UserAgent: 'curl' } });
    assert.deepEqual(at(result, 'ExtendedProperties'), { UserAgent: 'curl' });
  });

  it('stores a name `__proto__` as a field instead of replacing the prototype', () => {
    const { audit: result } = audit({ Parameters: [{ Name: '__proto__', Value: 'x' }, { Name: 'constructor', Value: 'y' }] });
    assert.deepEqual(Object.keys(at(result, 'Parameters') as object), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(at(result, 'Parameters')), Object.prototype);
    assert.equal(JSON.stringify(at(result, 'Parameters')), '{"__proto__":"x","constructor":"y"}');
  });
});

describe('fields sent as JSON text by some producers and as objects by others', () => {
  for (const name of ['Data', 'ExceptionInfo', 'AdditionalInfo']) {
    it(`${name} is always an object`, () => {
      assert.deepEqual(audit({ [name]: '{"Reason":"Override","Rules":["r1"]}' }).audit[name], { Reason: 'Override', Rules: ['r1'] });
      assert.deepEqual(audit({ [name]: { Reason: 'Override' } }).audit[name], { Reason: 'Override' });
      assert.deepEqual(audit({ [name]: 'free text' }).audit[name], { _raw: 'free text' });
      assert.deepEqual(audit({ [name]: '[1,2]' }).audit[name], { _raw: '[1,2]' });
      assert.deepEqual(audit({ [name]: ['a'] }).audit[name], { _raw: '["a"]' });
      assert.deepEqual(audit({ [name]: 7 }).audit[name], { _raw: '7' });
    });
  }
});

describe('the rest of the record', () => {
  it('is kept with its keys and values as received', () => {
    const fields = { Item: { Subject: 'Hi', ParentFolder: { Path: '\\Inbox' } }, UserType: '0', Members: [{ UPN: 'a@b.c', Role: 1 }], Version: 1 };
    const { audit: result } = audit(fields);
    for (const [key, value] of Object.entries(fields)) assert.deepEqual(result[key], value);
    assert.equal(at(result, 'Operation'), 'Update user.');
  });
});
