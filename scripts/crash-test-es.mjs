#!/usr/bin/env node
// node scripts/crash-test-es.mjs [--kills N] [--events N] [--engine URL]
// Kills `o365-elk once` with SIGKILL at random moments of a 7-day backfill into a real OpenSearch, N times
// (20 by default), then lets a last `once` finish, and checks that the data stream holds exactly the
// records the emulator published: none missing, none extra, none stored twice. The engine is the one at
// --engine or O365_ELK_TEST_ENGINE_URL, else a test engine started for the run. Prints one line per kill
// and a last line `result {json}`; exits 0 when the index equals the truth, 1 when it does not, 2 on
// bad arguments.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startTestEngine } from './test-engine-lib.mjs';
import { runCollector, startCollector, startEmulator } from '../test/collector/support/processes.mjs';
import {
  compareWithTruth,
  countDocuments,
  describeDifference,
  elasticsearchOutputArgs,
  equalsTruth,
  passSummary,
  readDocuments,
  removeDataStream,
  uniqueDataStream,
} from '../test/elasticsearch/support/index-contents.mjs';

const USAGE = 'usage: node scripts/crash-test-es.mjs [--kills N] [--events N] [--engine URL]';
const OUTPUT_OPENED = /"msg":"elasticsearch output: .* writing to /;
// Each kill lands when the index has reached a random point of its own share of the backlog (kill k of
// N somewhere in the k-th Nth of the first 80 %), so every kill hits work in progress however fast or
// slow the machine is, and the kills spread over the whole backfill.
const KILL_SPAN = 0.8;
const COUNT_POLL_MS = 50;

function positiveInteger(name, text) {
  if (!/^[1-9]\d*$/.test(text)) {
    process.stderr.write(`--${name} must be a whole number above 0, got ${text}; ${USAGE}\n`);
    process.exit(2);
  }
  return Number(text);
}

let values;
try {
  values = parseArgs({ options: { kills: { type: 'string', default: '20' }, events: { type: 'string', default: '20000' }, engine: { type: 'string' } } }).values;
} catch (error) {
  process.stderr.write(`${error.message}; ${USAGE}\n`);
  process.exit(2);
}
const kills = positiveInteger('kills', values.kills);
const events = positiveInteger('events', values.events);
// An interrupted run still stops its emulator and collectors (processes.mjs kills them on exit).
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

const work = mkdtempSync(join(tmpdir(), 'o365-elk-crash-es-'));
const config = join(work, 'emulator', 'connector.yml');
const index = uniqueDataStream('crash');
const givenEngine = values.engine ?? process.env.O365_ELK_TEST_ENGINE_URL;
let ownEngine;
let engineUrl = givenEngine?.replace(/\/+$/, '');
let emulator;
let outputArgs;

function say(line) {
  process.stdout.write(`${line}\n`);
}

/** Resolves true once the collector has opened its output, false if it exits first. */
async function outputOpened(collector) {
  let exited = false;
  void collector.exited.then(() => (exited = true));
  while (!exited) {
    if (OUTPUT_OPENED.test(collector.stderr())) return true;
    await sleep(20);
  }
  return false;
}

function killTarget(kill, truthSize) {
  const share = (kill - 1 + Math.random()) / kills;
  return Math.max(1, Math.floor(share * KILL_SPAN * truthSize));
}

/** Resolves true once the index holds `target` documents, false if the collector exits first. */
async function indexReaches(collector, target) {
  let exited = false;
  void collector.exited.then(() => (exited = true));
  while (!exited) {
    if ((await countDocuments(engineUrl, index)) >= target) return true;
    await sleep(COUNT_POLL_MS);
  }
  return false;
}

async function crashRepeatedly(truthSize) {
  const outcomes = [];
  for (let kill = 1; kill <= kills; kill++) {
    const target = killTarget(kill, truthSize);
    const collector = startCollector({ command: 'once', config, args: outputArgs });
    if (!(await outputOpened(collector))) {
      const exit = await collector.exited;
      throw new Error(`the collector exited (${exit.code ?? exit.signal}) before it opened its output:\n${exit.stderr}`);
    }
    const opened = Date.now();
    const reached = await indexReaches(collector, target);
    if (reached) collector.kill('SIGKILL');
    const exit = await collector.exited;
    if (!reached && exit.code !== 0) throw new Error(`the collector failed (exit ${exit.code}) between kills:\n${exit.stderr}`);
    const delayMs = Date.now() - opened;
    const now = await countDocuments(engineUrl, index);
    const how = reached ? `SIGKILL ${delayMs} ms after the output opened, at ${target} documents` : `finished its pass (exit ${exit.code}) within ${delayMs} ms`;
    say(`kill ${kill}/${kills}: ${how}; ${now} of ${truthSize} records in the index`);
    outcomes.push({ delayMs, killed: reached, indexed: now });
  }
  return outcomes;
}

let failed = true;
const started = Date.now();
try {
  if (engineUrl === undefined) {
    ownEngine = await startTestEngine({ dir: join(work, 'engine') });
    engineUrl = ownEngine.url;
  }
  outputArgs = elasticsearchOutputArgs(engineUrl, index);
  emulator = await startEmulator({ dir: join(work, 'emulator'), args: ['--events', String(events)] });
  const truth = await emulator.recordIds();
  say(`crash test: ${truth.size} records, ${kills} kills, engine ${engineUrl}, data stream ${index}, work directory ${work}`);
  const outcomes = await crashRepeatedly(truth.size);
  const final = await runCollector({ command: 'once', config, args: outputArgs });
  const summary = passSummary(final.stderr);
  const comparison = compareWithTruth(await readDocuments(engineUrl, index), truth);
  const equal = equalsTruth(comparison, truth.size);
  failed = final.code !== 0 || !equal;
  say(`final once: exit ${final.code} in ${final.ms} ms; ${summary?.recordsDuplicate ?? '?'} records answered 409 (indexed by a killed pass before its ledger recorded them)`);
  say(`index: ${describeDifference(comparison, truth.size)}`);
  if (final.code !== 0) say(`final once stderr:\n${final.stderr}`);
  const result = {
    records: truth.size,
    kills: outcomes.filter((outcome) => outcome.killed).length,
    passesFinishedBeforeTheirKill: outcomes.filter((outcome) => !outcome.killed).length,
    killDelaysMs: outcomes.map((outcome) => outcome.delayMs),
    indexedAfterEachKill: outcomes.map((outcome) => outcome.indexed),
    finalExitCode: final.code,
    finalMs: final.ms,
    duplicatesOnFinalPass: summary?.recordsDuplicate ?? null,
    documents: comparison.documents,
    distinct: comparison.distinct,
    missing: comparison.missing.length,
    extra: comparison.extra.length,
    storedTwice: comparison.storedTwice.length,
    equalsTruth: equal,
    totalMs: Date.now() - started,
  };
  say(`result ${JSON.stringify(result)}`);
} catch (error) {
  process.stderr.write(`crash-test-es: ${error.message}\n`);
} finally {
  await emulator?.stop();
  if (engineUrl !== undefined) {
    await removeDataStream(engineUrl, index).catch((error) => process.stderr.write(`crash-test-es: could not remove data stream ${index}: ${error.message}\n`));
  }
  await ownEngine?.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
