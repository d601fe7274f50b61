// The Elasticsearch/OpenSearch output against the real test engine: what lands in the index, under
// which id, in which index, and what a second copy of the same records does. The suite runs against
// both flavours; where they differ (the raw record's field type), the engine's GET / says which applies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createElasticsearchSink, parseIndexTarget, TEMPLATE_PRIORITY, TEMPLATE_VERSION } from '../../src/sinks/elasticsearch/index.js';
import { auditDocument, emulatorDocuments } from './support/documents.js';
import { engineFlavour, type EngineFlavour } from '../support/engine.js';
import { captureLog, countDocuments, elasticsearchConfig, engineJson, removeTarget, storedDocuments, testEngineUrl, uniqueName } from './support/engine.js';

/**
 * Per flavour: the major version the output detects, the type it gives the raw record (one field for
 * the whole tree), and how the engine shows a template's `data_stream: {}` with its defaults filled in.
 */
const EXPECTED: Record<EngineFlavour, { major: number; rawRecordType: string; dataStreamTemplate: Record<string, unknown> }> = {
  opensearch: { major: 2, rawRecordType: 'flat_object', dataStreamTemplate: { timestamp_field: { name: '@timestamp' } } },
  elasticsearch: { major: 9, rawRecordType: 'flattened', dataStreamTemplate: { hidden: false, allow_custom_routing: false } },
};

interface DataStreams {
  data_streams: { name: string; template: string; indices: { index_name: string }[] }[];
}

describe('elasticsearch output', () => {
  let engine: string;
  let flavour: EngineFlavour;
  const created: { index: string; templateName: string; dataStream: boolean }[] = [];
  const target = (index: string) => {
    const parsed = parseIndexTarget(index);
    created.push({ index: parsed.dataStream ? index : parsed.templatePattern, templateName: parsed.templateName, dataStream: parsed.dataStream });
    return parsed;
  };

  before(async () => {
    engine = testEngineUrl();
    flavour = await engineFlavour(engine);
  });
  after(async () => {
    for (const t of created) await removeTarget(engine, t);
  });

  it('detects the engine, installs the template, and writes each record once under its Id and CreationTime', async () => {
    const index = uniqueName('logs-o365.audit-t');
    const { templateName } = target(index);
    const documents = emulatorDocuments(300);
    assert.ok(documents.length > 100, `only ${documents.length} emulated records`);
    const { logger } = captureLog();
    const sink = createElasticsearchSink(elasticsearchConfig([engine], index), { logger, defaultDeadLetterPath: '/nonexistent/dead-letter.ndjson' });
    await sink.open();
    try {
      assert.equal(sink.engine?.kind, flavour);
      assert.equal(sink.engine?.major, EXPECTED[flavour].major);

      const { body: templates } = await engineJson<{ index_templates: { index_template: Record<string, unknown> }[] }>('GET', `${engine}/_index_template/${templateName}`);
      const template = templates.index_templates[0]?.index_template;
      assert.deepEqual(template?.index_patterns, [index]);
      assert.deepEqual(template?.data_stream, EXPECTED[flavour].dataStreamTemplate);
      assert.equal(template?.priority, TEMPLATE_PRIORITY);
      assert.equal(template?.version, TEMPLATE_VERSION);
      assert.equal((await engineJson('GET', `${engine}/_data_stream/${index}`)).status, 404, 'the data stream exists before the first write');

      const first = await sink.write(documents);
      assert.deepEqual(first, { acknowledged: documents.length, duplicates: 0, rejected: [] });
      const { status, body: streams } = await engineJson<DataStreams>('GET', `${engine}/_data_stream/${index}`);
      assert.equal(status, 200, 'the first write did not create the data stream');
      assert.deepEqual(streams.data_streams.map(({ name, template }) => ({ name, template })), [{ name: index, template: templateName }]);
      const backingIndices = streams.data_streams[0]?.indices.map((i) => i.index_name) ?? [];
      assert.ok(backingIndices.length > 0 && backingIndices.every((name) => name.startsWith(`.ds-${index}-`)), `backing indices ${backingIndices.join(', ')}`);

      const stored = await storedDocuments(engine, index);
      assert.equal(stored.size, documents.length);
      for (const document of documents) {
        const source = stored.get(document.id);
        assert.ok(source, `${document.id} is not stored under its Id`);
        assert.equal(source['@timestamp'], new Date(document.timestamp).toISOString());
        assert.deepEqual(source, JSON.parse(JSON.stringify(document.source)));
      }

      const again = await sink.write(documents);
      assert.deepEqual(again, { acknowledged: 0, duplicates: documents.length, rejected: [] });
      assert.equal(await countDocuments(engine, index), documents.length);
    } finally {
      await sink.close();
    }

    const { body: mappings } = await engineJson<Record<string, { mappings: { properties: Record<string, { properties?: Record<string, { type?: string }>; type?: string }> } }>>(
      'GET',
      `${engine}/${index}/_mapping`,
    );
    const properties = Object.values(mappings)[0]?.mappings.properties;
    assert.equal(properties?.['@timestamp']?.type, 'date');
    assert.equal(properties?.source?.properties?.ip?.type, 'ip');
    assert.equal(properties?.related?.properties?.ip?.type, 'ip');
    assert.equal(properties?.event?.properties?.action?.type, 'keyword');
    assert.equal(properties?.o365?.properties?.audit?.type, EXPECTED[flavour].rawRecordType, 'the raw record is not one field');
    assert.ok(Object.keys(mappings).every((name) => name.startsWith(`.ds-${index}-`)), `documents outside the data stream's backing indices: ${Object.keys(mappings).join(', ')}`);

    // One field, yet every key of the record can be searched.
    const sample = documents[0] as (typeof documents)[number];
    type Hits = { hits: { hits: { _id: string; _index: string }[] } };
    const { body: found } = await engineJson<Hits>('POST', `${engine}/${index}/_search`, { query: { term: { 'o365.audit.Id': sample.id } } });
    assert.deepEqual(found.hits.hits.map((hit) => hit._id), [sample.id]);
    assert.ok(found.hits.hits[0]?._index.startsWith(`.ds-${index}-`), 'the document lies in a backing index of the data stream');
  });

  it('keeps an installed template of its own version when it opens again', async () => {
    const index = uniqueName('logs-o365.audit-t');
    const { templateName } = target(index);
    for (const expectInstall of [true, false]) {
      const { logger, lines } = captureLog();
      const sink = createElasticsearchSink(elasticsearchConfig([engine], index), { logger, defaultDeadLetterPath: '/nonexistent/dead-letter.ndjson' });
      await sink.open();
      await sink.close();
      const installed = lines.some((line) => line.template === templateName);
      assert.equal(installed, expectInstall, expectInstall ? 'the template was not installed' : 'the template was installed again');
    }
  });

  it('warns when an index template of higher priority would decide the mappings instead of its own', async () => {
    const index = uniqueName('logs-o365.audit-t');
    target(index);
    const rival = uniqueName('user-template');
    await engineJson('PUT', `${engine}/_index_template/${rival}`, { index_patterns: [`${index}*`], data_stream: {}, priority: TEMPLATE_PRIORITY + 1 });
    try {
      const warnings = async () => {
        const { logger, lines } = captureLog();
        const sink = createElasticsearchSink(elasticsearchConfig([engine], index), { logger, defaultDeadLetterPath: '/nonexistent/dead-letter.ndjson' });
        await sink.open();
        await sink.close();
        return lines.filter((line) => line.level === 40 && String(line.msg).includes('mappings do not apply'));
      };
      assert.equal((await warnings()).length, 1, 'no warning while a rival template wins');
      await engineJson('DELETE', `${engine}/_index_template/${rival}`);
      assert.equal((await warnings()).length, 0, 'a warning once the rival is gone');
    } finally {
      await engineJson('DELETE', `${engine}/_index_template/${rival}`).catch(() => {});
    }
  });

  it('routes a dated index pattern by each record\'s CreationTime, so a replay lands where the first copy did', async () => {
    const prefix = uniqueName('o365-audit-t');
    target(`${prefix}-%{+yyyy.MM.dd}`);
    const documents = [
      auditDocument('b1b1b1b1-0000-4000-8000-000000000001', '2025-03-09T23:59:59'),
      auditDocument('b1b1b1b1-0000-4000-8000-000000000002', '2025-03-10T00:00:00'),
      auditDocument('b1b1b1b1-0000-4000-8000-000000000003', '2025-03-10T12:30:00'),
    ];
    for (const expected of [{ acknowledged: 3, duplicates: 0 }, { acknowledged: 0, duplicates: 3 }]) {
      const { logger } = captureLog();
      const sink = createElasticsearchSink(elasticsearchConfig([engine], `${prefix}-%{+yyyy.MM.dd}`, { bulk_max_size: 2, worker: 1 }), {
        logger,
        defaultDeadLetterPath: '/nonexistent/dead-letter.ndjson',
      });
      await sink.open();
      try {
        assert.deepEqual(await sink.write(documents), { ...expected, rejected: [] });
      } finally {
        await sink.close();
      }
    }
    assert.deepEqual([...(await storedDocuments(engine, `${prefix}-2025.03.09`)).keys()], ['b1b1b1b1-0000-4000-8000-000000000001']);
    assert.deepEqual([...(await storedDocuments(engine, `${prefix}-2025.03.10`)).keys()].sort(), [
      'b1b1b1b1-0000-4000-8000-000000000002',
      'b1b1b1b1-0000-4000-8000-000000000003',
    ]);
    const { body: indices } = await engineJson<{ index: string }[]>('GET', `${engine}/_cat/indices/${prefix}-*?format=json`);
    assert.deepEqual(indices.map((i) => i.index).sort(), [`${prefix}-2025.03.09`, `${prefix}-2025.03.10`]);
  });

  it('refuses an index setting it cannot honour with one line naming the fix', async () => {
    const { logger } = captureLog();
    for (const [index, expected] of [
      ['O365-Audit', /upper-case letters — index names must be lower case/],
      ['o365-%{[agent.version]}', /only dates such as %\{\+yyyy\.MM\.dd\}/],
      ['o365-%{+yyyy.MM.ddTHH}', /build it from yyyy, yy, MM, dd and HH/],
    ] as const) {
      const sink = createElasticsearchSink(elasticsearchConfig([engine], index), { logger, defaultDeadLetterPath: '/nonexistent/dead-letter.ndjson' });
      await assert.rejects(sink.open(), (error: Error) => expected.test(error.message) && !error.message.includes('\n'));
    }
  });
});
