// `o365-elk once` into the real search engine: a first pass over the 7-day backlog leaves the data
// stream holding exactly the records the emulator published, each once, under its own Id and dated by
// its own CreationTime, with the raw record as one field of the type the engine's flavour offers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engineFlavour, testEngineUrl } from '../support/engine.js';
import { runCollector } from '../collector/support/processes.mjs';
import { compareWithTruth, countDocuments, describeDifference, engineRequest, equalsTruth, passSummary, readDocuments } from './support/index-contents.mjs';
import { creationTimesById, startEngineScenario } from './support/scenario.js';

const EVENTS = 5000;
/** The type that indexes the whole raw record as one field, per flavour. */
const RAW_RECORD_TYPE = { opensearch: 'flat_object', elasticsearch: 'flattened' };

/** CreationTime is UTC on the wire, written without an offset (`2020-02-07T16:43:53`). */
function creationTimeMs(creationTime: string): number {
  return Date.parse(/(?:Z|[+-]\d\d:\d\d)$/i.test(creationTime) ? creationTime : `${creationTime}Z`);
}

test('a clean 7-day backfill leaves the data stream equal to the records the emulator published', async (t) => {
  const engine = testEngineUrl();
  const scenario = await startEngineScenario(t, engine, { prefix: 'backfill', emulatorArgs: ['--events', String(EVENTS)] });

  const run = await runCollector({ command: 'once', config: scenario.config, args: scenario.outputArgs });

  assert.equal(run.code, 0, run.stderr);
  const creationTimes = await creationTimesById(scenario);
  assert.equal(creationTimes.size, EVENTS);
  assert.equal(await countDocuments(engine, scenario.index), EVENTS);
  const stored = await readDocuments(engine, scenario.index);
  const comparison = compareWithTruth(stored, creationTimes.keys());
  assert.ok(equalsTruth(comparison, EVENTS), describeDifference(comparison, EVENTS));

  const misdated = stored.filter((document) => Date.parse(document.timestamp) !== creationTimeMs(creationTimes.get(document.id) as string));
  assert.equal(
    misdated.length,
    0,
    `@timestamp differs from CreationTime: ${misdated.slice(0, 3).map((d) => `${d.id} has ${d.timestamp}, CreationTime ${creationTimes.get(d.id)}`).join('; ')}`,
  );
  const outsideTheDataStream = stored.filter((document) => !document.index.startsWith(`.ds-${scenario.index}-`));
  assert.deepEqual(outsideTheDataStream, [], 'every document lies in a backing index of the data stream');
  const { body: streams } = await engineRequest<{ data_streams: { name: string }[] }>(engine, 'GET', `/_data_stream/${scenario.index}`);
  assert.deepEqual(streams.data_streams.map((stream) => stream.name), [scenario.index]);
  type FieldMappings = Record<string, { mappings: Record<string, { mapping: { audit: { type: string } } }> }>;
  const { body: fields } = await engineRequest<FieldMappings>(engine, 'GET', `/${scenario.index}/_mapping/field/o365.audit`);
  const rawRecordTypes = new Set(Object.values(fields).map((index) => index.mappings['o365.audit']?.mapping.audit.type));
  assert.deepEqual([...rawRecordTypes], [RAW_RECORD_TYPE[await engineFlavour(engine)]]);

  const summary = passSummary(run.stderr);
  t.diagnostic(`${EVENTS} records in ${run.ms} ms; ${summary?.recordsDuplicate} answered 409 (duplicate); every @timestamp equals its CreationTime`);
});
