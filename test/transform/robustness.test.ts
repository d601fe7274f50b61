// The transform never fails a record: whatever arrives (missing fields, wrong types, huge or invalid
// strings, deep nesting, not even an object) becomes a document with an id, a usable timestamp and a
// source that JSON and an index accept, with what was wrong tagged.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTransformer } from '../../src/transform/index.js';
import { MAX_STRING_LENGTH } from '../../src/transform/json-safe.js';
import type { OutputDocument } from '../../src/sinks/types.js';
import { at, blobRecords, strings, WORKLOADS } from './support.js';
import { seededRandom } from '../../src/emulator/random.js';

const transformer = createTransformer();
const BLOB_CREATED = Date.UTC(2024, 4, 1, 12, 0, 0);
const context = { tenantId: 'b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd', contentType: 'Audit.General', fallbackTimestamp: BLOB_CREATED };
/** Elasticsearch's default `index.mapping.depth.limit`. */
const INDEX_DEPTH_LIMIT = 20;

const examples = WORKLOADS.flatMap(blobRecords);

const { isWellFormed } = String.prototype as unknown as { isWellFormed(this: string): boolean };

function objectDepth(value: unknown): number {
  if (Array.isArray(value)) return Math.max(0, ...value.map(objectDepth));
  if (typeof value === 'object' && value !== null) return 1 + Math.max(0, ...Object.values(value).map(objectDepth));
  return 0;
}

function everyString(value: unknown, visit: (text: string, where: string) => void, where = 'source'): void {
  if (typeof value === 'string') visit(value, where);
  else if (Array.isArray(value)) value.forEach((item, i) => everyString(item, visit, `${where}[${i}]`));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      visit(key, `key of ${where}`);
      everyString(item, visit, `${where}.${key}`);
    }
  }
}

/** What every document must satisfy, however bad its record. */
function assertIndexable(document: OutputDocument): void {
  assert.equal(typeof document.id, 'string');
  assert.ok(document.id.length > 0 && Buffer.byteLength(document.id) <= 512, `id ${document.id}`);
  assert.ok(Number.isFinite(document.timestamp));
  const source = document.source as Record<string, unknown>;
  assert.equal(source['@timestamp'], new Date(document.timestamp).toISOString());
  assert.deepEqual(JSON.parse(JSON.stringify(source)), source, 'the source survives a JSON round trip unchanged');
  everyString(source, (text, where) => assert.ok(isWellFormed.call(text), `ill-formed UTF-16 at ${where}`));
  everyString(source, (text, where) => {
    if (where.startsWith('key of')) assert.ok(text !== '' && !text.includes('.'), `field name ${JSON.stringify(text)} at ${where}`);
  });
  assert.ok(objectDepth(source) <= INDEX_DEPTH_LIMIT, `nested ${objectDepth(source)} levels`);
  assert.equal(at(source, 'event.dataset'), 'o365.audit');
  assert.ok(!strings(source, 'tags').includes('o365_audit_transform_failed'), `mapping failed: ${JSON.stringify(at(source, 'error'))}`);
  if (at(source, 'tags') !== undefined) assert.ok(at(source, 'error.message') !== undefined, 'every tagged document says why');
}

function mapped(record: unknown): Record<string, unknown> {
  const document = transformer.transform(record, context);
  assertIndexable(document);
  return document.source as Record<string, unknown>;
}

describe('records that are not objects', () => {
  for (const record of ['a string', 42, null, undefined, true, [1, 2], [{ Id: 'x' }]]) {
    it(`${JSON.stringify(record)} becomes a tagged document holding it in event.original`, () => {
      const document = transformer.transform(record, context);
      assertIndexable(document);
      const source = document.source as Record<string, unknown>;
      assert.deepEqual(at(source, 'tags'), ['o365_audit_not_an_object', 'o365_audit_missing_id', 'o365_audit_invalid_timestamp']);
      assert.equal(at(source, 'event.original'), JSON.stringify(record) ?? 'null');
      assert.equal(at(source, 'o365.audit'), undefined);
      assert.equal(at(source, 'event.kind'), 'pipeline_error');
      assert.equal(document.timestamp, BLOB_CREATED);
      assert.match(document.id, /^[0-9a-f]{64}$/);
      assert.equal(transformer.transform(record, context).id, document.id, 'the same record gets the same id');
    });
  }

  it('different non-object records get different ids', () => {
    const ids = new Set(['a', 'b', 1, 2, null, [1], [2]].map((record) => transformer.transform(record, context).id));
    assert.equal(ids.size, 7);
  });
});

describe('a record without a usable Id', () => {
  const record = { CreationTime: '2024-05-01T10:00:00', Operation: 'FileAccessed', RecordType: 6, UserId: 'a@b.c' };

  it('gets the SHA-256 of its canonical JSON as id, the same whatever the key order', () => {
    const document = transformer.transform(record, context);
    const reordered = transformer.transform(Object.fromEntries(Object.entries(record).reverse()), context);
    assert.match(document.id, /^[0-9a-f]{64}$/);
    assert.equal(reordered.id, document.id);
    assert.notEqual(transformer.transform({ ...record, UserId: 'other@b.c' }, context).id, document.id);
    const source = document.source as Record<string, unknown>;
    assert.deepEqual(at(source, 'tags'), ['o365_audit_missing_id']);
    assert.equal(at(source, 'error.message'), 'the record has no Id; the document id is the SHA-256 of its content');
    assert.equal(at(source, 'event.id'), undefined);
  });

  for (const id of ['', '   ', null, { a: 1 }, ['x'], 'x'.repeat(513), 'é'.repeat(300)]) {
    it(`Id ${JSON.stringify(id).slice(0, 30)} is replaced by the content hash`, () => {
      const document = transformer.transform({ ...record, Id: id }, context);
      assertIndexable(document);
      assert.match(document.id, /^[0-9a-f]{64}$/);
      assert.ok(((document.source as Record<string, unknown>).tags as string[]).includes('o365_audit_missing_id'));
    });
  }

  it('a numeric Id serves, as text', () => {
    assert.equal(transformer.transform({ ...record, Id: 12345 }, context).id, '12345');
  });
});

describe('hostile values', () => {
  const base = examples[0] as Record<string, unknown>;

  it('lone surrogates in values and names are replaced by U+FFFD and tagged', () => {
    const source = mapped({ ...base, UserId: 'bad\ud800@x.com', ['Key\udc00']: 'v', ExtendedProperties: [{ Name: 'N\ud800', Value: '\udfff' }] });
    assert.equal(at(source, 'user.id'), 'bad\ufffd@x.com');
    assert.equal(at(source, 'o365.audit.Key\ufffd'), 'v');
    assert.deepEqual(at(source, 'o365.audit.ExtendedProperties'), { 'N\ufffd': '\ufffd' });
    assert.deepEqual(at(source, 'tags'), ['o365_audit_invalid_unicode']);
  });

  it('a huge string is cut, and tagged', () => {
    const source = mapped({ ...base, UserAgent: 'x'.repeat(MAX_STRING_LENGTH * 3) });
    assert.equal((at(source, 'o365.audit.UserAgent') as string).length, MAX_STRING_LENGTH);
    assert.deepEqual(at(source, 'tags'), ['o365_audit_value_truncated']);
  });

  function nestedLevels(levels: number): unknown {
    let deep: unknown = 'bottom';
    for (let i = 0; i < levels; i++) deep = { level: deep };
    return deep;
  }

  function innermost(value: unknown): unknown {
    let node = value;
    while (typeof node === 'object' && node !== null) node = (node as { level: unknown }).level;
    return node;
  }

  it('deep nesting is kept as JSON text below the depth an index accepts', () => {
    const source = mapped({ ...base, Deep: nestedLevels(1000), ExtendedProperties: [{ Name: 'json', Value: `${'['.repeat(3000)}${']'.repeat(3000)}` }] });
    assert.deepEqual(at(source, 'tags'), ['o365_audit_too_deep']);
    assert.match(String(innermost(at(source, 'o365.audit.Deep'))), /^\{"level":\{"level":.*"bottom"\}+$/, 'the deep part survives as text');
  });

  it('nesting too deep even to write as JSON text leaves a placeholder', () => {
    const source = mapped({ ...base, Deep: nestedLevels(200_000) });
    assert.deepEqual(at(source, 'tags'), ['o365_audit_too_deep']);
    assert.equal(innermost(at(source, 'o365.audit.Deep')), '[omitted: an object nested too deeply to serialize]');
  });

  it('a record that refers to itself is cut at the repetition', () => {
    const circular: Record<string, unknown> = { ...base };
    circular.Self = circular;
    const source = mapped(circular);
    assert.equal(at(source, 'o365.audit.Self'), null);
    assert.deepEqual(at(source, 'tags'), ['o365_audit_circular']);
  });

  it('values JSON cannot hold are dropped or written as text', () => {
    const source = mapped({ ...base, Big: 10n ** 30n, Fn: () => 1, Nan: Number.NaN, Inf: Number.POSITIVE_INFINITY, Sym: Symbol('s'), NegativeZero: -0 });
    assert.equal(at(source, 'o365.audit.Big'), '1000000000000000000000000000000');
    assert.equal(Object.hasOwn(at(source, 'o365.audit') as object, 'Fn'), false);
    assert.equal(at(source, 'o365.audit.Nan'), null);
    assert.equal(at(source, 'o365.audit.Inf'), null);
    assert.ok(Object.is(at(source, 'o365.audit.NegativeZero'), 0));
  });

  it('a record whose fields cannot even be read still yields a document', () => {
    const trap = new Proxy(
      { Id: 'x' },
      {
        ownKeys: () => {
          throw new Error('no keys for you');
        },
      },
    );
    const document = transformer.transform(trap, context);
    const source = document.source as Record<string, unknown>;
    assert.deepEqual(at(source, 'tags'), ['o365_audit_transform_failed']);
    assert.equal(at(source, 'event.kind'), 'pipeline_error');
    assert.equal(at(source, 'error.message'), 'the record could not be mapped: "no keys for you"');
    assert.equal(document.timestamp, BLOB_CREATED);
    assert.ok(document.id.length > 0);
  });
});

describe('fields of the wrong type', () => {
  it('are ignored where a mapping needs another type, and never stop the rest of the mapping', () => {
    const wrong: Record<string, unknown> = {
      Id: 'f00dfeed-0000-4000-8000-000000000001',
      CreationTime: '2024-05-01T10:00:00',
      RecordType: '13',
      Operation: ['DlpRuleMatch'],
      Workload: { name: 'Exchange' },
      UserId: 42,
      ResultStatus: 7,
      ClientIP: null,
      OrganizationId: 123,
      Target: 'not a list',
      Actor: { ID: 'x' },
      PolicyDetails: { Rules: 'none' },
      ExchangeMetaData: 'not an object',
      SharePointMetaData: [1, 2],
      Members: 'nobody',
      Item: 'text',
      Folders: [null, 'x', { FolderItems: 5 }],
      ExtendedProperties: [{ Name: 'UserAgent', Value: { not: 'text' } }],
    };
    const source = mapped(wrong);
    assert.equal(at(source, 'event.code'), 'ComplianceDLPExchange', 'a numeric string RecordType counts');
    assert.equal(at(source, 'event.action'), undefined);
    assert.equal(at(source, 'user.id'), '42');
    assert.equal(at(source, 'organization.id'), '123');
    assert.equal(at(source, 'event.outcome'), 'success');
    assert.equal(at(source, 'tags'), undefined, 'wrong types are not corruption; the raw values stay in o365.audit');
  });

  for (const recordType of [1, 2, 3, 6, 8, 11, 13, 14, 15, 18, 22, 25, 40, 50, 78]) {
    it(`RecordType ${recordType} with every mapped field swapped for another type still maps`, () => {
      const swapped: Record<string, unknown> = { Id: `rt-${recordType}`, CreationTime: '2024-05-01T10:00:00', RecordType: recordType };
      for (const name of [
        'Operation', 'UserId', 'Workload', 'ResultStatus', 'ClientIP', 'ObjectId', 'Target', 'ModifiedProperties', 'ErrorNumber',
        'LogonError', 'MailboxOwnerUPN', 'Item', 'AffectedItems', 'Folders', 'OriginatingServer', 'Parameters', 'SourceFileName',
        'SourceRelativeUrl', 'ItemType', 'TargetUserOrGroupName', 'PolicyDetails', 'ExchangeMetaData', 'SharePointMetaData',
        'ExceptionInfo', 'Members', 'TeamName', 'GroupName', 'Name', 'Severity', 'EntityType', 'AlertEntityId', 'AlertLinks', 'Data',
      ]) {
        swapped[name] = [{ deep: [1, { x: null }] }];
      }
      assert.doesNotThrow(() => mapped(swapped));
    });
  }
});


describe('fuzzing', () => {
  it('6,000 mutated example records all become indexable documents', () => {
    // Seeded, so a failing case can be replayed.
    const random = seededRandom(20_240_501);
    const below = (n: number) => Math.floor(random() * n);
    const pick = <T>(items: readonly T[]): T => items[below(items.length)] as T;
    const huge = 'h'.repeat(MAX_STRING_LENGTH + 10_000);
    const deepJsonText = `${'['.repeat(2000)}${']'.repeat(2000)}`;
    const oddNames = ['', '.', 'a.b', ' ', '__proto__', 'constructor', 'toString', 'n'.repeat(1000), '\ud800', 'Id', 'CreationTime'];
    const oddStrings = ['\ud800', 'abc\udfffdef', '\udc00\ud800', 'ok\ud83d', '', '   ', '\u0000\u001f', '[{"Name":', deepJsonText, '{"a":1}', '::ffff:1.2.3.4', 'x@y@z', '2020-02-30T00:00:00'];

    function nested(depth: number): unknown {
      let value: unknown = 'bottom';
      for (let i = 0; i < depth; i++) value = random() < 0.5 ? { n: value } : [value];
      return value;
    }

    function randomString(): string {
      let text = '';
      for (let i = below(12); i > 0; i--) text += String.fromCharCode(below(0x10000));
      return text;
    }

    function randomValue(): unknown {
      switch (below(14)) {
        case 0: return null;
        case 1: return below(1e9);
        case 2: return -random() * 1e308;
        case 3: return random() < 0.5;
        case 4: return pick(oddStrings);
        case 5: return huge;
        case 6: return nested(10 + below(300));
        case 7: return [];
        case 8: return {};
        case 9: return randomString();
        case 10: return [{ Name: pick(oddNames), Value: pick(oddStrings) }, { Name: randomString(), NewValue: random() }];
        case 11: return { [pick(oddNames)]: pick(oddStrings) };
        case 12: return [pick(oddStrings), below(10), null];
        default: return String(below(400));
      }
    }

    /** A random object or array inside the record, and one of its keys. */
    function randomSpot(record: Record<string, unknown>): [Record<string, unknown>, string] {
      let container: Record<string, unknown> = record;
      for (;;) {
        const keys = Object.keys(container);
        if (keys.length === 0) return [container, pick(oddNames)];
        const key = pick(keys);
        const child = container[key];
        if (typeof child !== 'object' || child === null || random() < 0.4) return [container, key];
        container = child as Record<string, unknown>;
      }
    }

    function mutate(example: Record<string, unknown>): unknown {
      if (random() < 0.03) return randomValue();
      const record = structuredClone(example);
      for (let n = 1 + below(4); n > 0; n--) {
        const [container, key] = random() < 0.25 ? [record, pick(['Id', 'CreationTime', 'RecordType', 'ClientIP', 'UserId', 'Operation'])] : randomSpot(record);
        const action = below(3);
        if (action === 0) delete container[key];
        else if (action === 1) container[key] = randomValue();
        else container[pick(oddNames)] = randomValue();
      }
      return record;
    }

    const tagsSeen = new Set<string>();
    for (let i = 0; i < 6000; i++) {
      const record = mutate(pick(examples));
      let document: OutputDocument | undefined;
      assert.doesNotThrow(() => {
        document = transformer.transform(record, context);
      }, `record ${i}`);
      assertIndexable(document as OutputDocument);
      for (const tag of ((document as OutputDocument).source.tags as string[] | undefined) ?? []) tagsSeen.add(tag);
      if (i % 10 === 0) assert.deepEqual(transformer.transform(record, context), document, 'mapping is deterministic');
    }
    // The mutations reached every kind of damage the transform knows about.
    for (const tag of ['o365_audit_missing_id', 'o365_audit_invalid_timestamp', 'o365_audit_invalid_ip', 'o365_audit_invalid_unicode', 'o365_audit_value_truncated', 'o365_audit_too_deep', 'o365_audit_not_an_object']) {
      assert.ok(tagsSeen.has(tag), `no fuzzed record was tagged ${tag}`);
    }
  });
});
