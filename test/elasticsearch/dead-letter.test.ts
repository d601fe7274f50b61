// Documents the index mapping refuses, end to end: the collector keeps them in the dead-letter file
// with the engine's reason and exits 1; once the mapping is fixed, `o365-elk replay-dead-letter`
// indexes them, empties the file, and the data stream then equals the emulator's records.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { detectEngine } from '../../src/sinks/elasticsearch/engine.js';
import { auditMappings, ecsMappings } from '../../src/sinks/elasticsearch/mappings.js';
import { TEMPLATE_PRIORITY } from '../../src/sinks/elasticsearch/index.js';
import { testEngineUrl } from '../support/engine.js';
import { runCollector } from '../collector/support/processes.mjs';
import { compareWithTruth, describeDifference, engineRequest, equalsTruth, passSummary, readDocuments } from './support/index-contents.mjs';
import { runCommand, startEngineScenario } from './support/scenario.js';

interface DeadLetterLine {
  reason: string;
  status: number;
  id: string;
  document: { event?: { id?: string }; group?: { name?: unknown } };
}

type Mappings = { properties: Record<string, { properties?: Record<string, unknown> }> };

/** The mapping o365-elk installs for this engine: its ECS fields and the raw record. */
async function o365ElkMappings(engine: string): Promise<Mappings> {
  const root = await engineRequest(engine, 'GET', '/');
  const ecs = ecsMappings() as Mappings;
  const audit = auditMappings(detectEngine(root.body, engine)) as Mappings;
  return { ...ecs, properties: { ...ecs.properties, ...audit.properties } };
}

/**
 * An index template of higher priority than o365-elk's, as an administrator or another integration
 * might have installed for the same data stream; it wins, so its mapping is the one that applies.
 */
async function installOverridingTemplate(engine: string, name: string, dataStream: string, mappings: Mappings): Promise<void> {
  const answer = await engineRequest(engine, 'PUT', `/_index_template/${name}`, {
    index_patterns: [dataStream],
    data_stream: {},
    priority: TEMPLATE_PRIORITY + 50,
    template: { mappings },
  });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
}

function readDeadLetters(path: string): DeadLetterLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as DeadLetterLine);
}

test('documents the mapping refuses are dead-lettered with their reason, and replaying them after the fix indexes them', async (t) => {
  const engine = testEngineUrl();
  const scenario = await startEngineScenario(t, engine, { prefix: 'deadletter', emulatorArgs: ['--events', '2000'] });
  // group.name is a group's display name (e.g. "Sales EMEA"); mapped as a number, the records naming a
  // group are refused and the others are not. The template goes with the data stream after the test.
  const template = `${scenario.index}-administrator`;
  const mappings = await o365ElkMappings(engine);
  const groupNameAsNumber = structuredClone(mappings);
  groupNameAsNumber.properties.group!.properties!.name = { type: 'long' };
  await installOverridingTemplate(engine, template, scenario.index, groupNameAsNumber);

  const run = await runCollector({ command: 'once', config: scenario.config, args: scenario.outputArgs });

  assert.equal(run.code, 1, run.stderr);
  const deadLetters = readDeadLetters(scenario.deadLetterFile);
  assert.ok(deadLetters.length > 0, `nothing was dead-lettered:\n${run.stderr}`);
  assert.equal(passSummary(run.stderr)?.recordsRejected, deadLetters.length, 'the pass reports as rejected exactly the documents in the file');
  for (const line of deadLetters) {
    assert.equal(line.status, 400);
    // Elasticsearch 8 and later name the error document_parsing_exception; OpenSearch kept the older name.
    assert.match(line.reason, /(mapper|document)_parsing_exception.*\[group\.name\]/, `the reason names the field: ${line.reason}`);
    assert.equal(typeof line.document.group?.name, 'string');
    assert.equal(line.document.event?.id, line.id, 'the whole document is kept, under its id');
  }
  const truth = await scenario.emulator.recordIds();
  const partial = compareWithTruth(await readDocuments(engine, scenario.index), truth);
  assert.deepEqual(partial.missing.sort(), deadLetters.map((line) => line.id).sort(), 'exactly the refused documents are missing');
  assert.deepEqual([partial.extra, partial.storedTwice], [[], []]);

  // The fix: the template gets o365-elk's mapping back, and a rollover gives the data stream a new write
  // index with it; the documents already stored stay where they are. (A template a data stream uses
  // cannot be deleted.)
  await installOverridingTemplate(engine, template, scenario.index, mappings);
  assert.equal((await engineRequest(engine, 'POST', `/${scenario.index}/_rollover`)).status, 200);
  const replay = await runCommand(['replay-dead-letter', scenario.deadLetterFile, '-c', scenario.config, ...scenario.outputArgs]);

  assert.equal(replay.code, 0, replay.stderr);
  assert.match(replay.stdout, new RegExp(`${deadLetters.length} indexed, 0 already present, .* is now empty`));
  assert.equal(readFileSync(scenario.deadLetterFile, 'utf8'), '');
  const complete = compareWithTruth(await readDocuments(engine, scenario.index), truth);
  assert.ok(equalsTruth(complete, truth.size), describeDifference(complete, truth.size));
  t.diagnostic(`${deadLetters.length} of ${truth.size} records refused (${deadLetters[0]?.reason}); all indexed by the replay`);
});
