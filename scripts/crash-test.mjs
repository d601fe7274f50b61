#!/usr/bin/env node
// node scripts/crash-test.mjs [--kills N] [--events N] [--latency-ms N] [--seed N] [--keep]
//
// Crash safety of the collector, end to end. The emulator serves a backlog that takes several seconds to
// collect; `o365-elk once` is started, killed with SIGKILL at a random moment, and started again, until it
// has been killed --kills times; then a last `once` runs to completion. The output must then hold every
// record of the emulator's ground truth and nothing else.
//
// Duplicates are allowed only from blobs in flight at a kill: their records may have reached the output
// while the ledger had not yet committed the blob, so the next run writes them again. After each run the
// script counts the lines it wrote and the records of the blobs it committed (from the ledger); the
// difference is exactly what it wrote for uncommitted blobs. The sum of these over the killed runs bounds
// the duplicate lines of the final output.
//
// When the kill comes: while records remain to be collected, uniformly within the rest of the run expected
// for that restart, counted from its first write — the calibrated time from first to last write, scaled
// by the share of records not yet collected, plus the calibrated time from last write to exit. Counted
// from the process start instead, most kills would land while Node loads the TypeScript, which is half a
// run on a busy machine and proves nothing. Once everything is collected, a restart is killed uniformly
// within the calibrated start-up time (process start to first write), so kills also land while the
// collector opens its ledger, authenticates and re-lists.
//
// Prints a summary, and as its last line `summary <JSON>`; exits 1 when an assertion fails.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { compareIds, readLedgerBlobs, readOutput, startCollector, startEmulator } from '../test/collector/support/processes.mjs';

const USAGE = 'usage: node scripts/crash-test.mjs [--kills N] [--events N] [--latency-ms N] [--seed N] [--keep]';
/** Tenants the emulator serves by default, and blob fetches in flight per tenant (api.max_concurrency). */
const TENANTS = 2;
const MAX_CONCURRENCY = 16;
// Every run starts a new output file, and the file output keeps 7 by default: more kills would delete
// the oldest files, and with them records the ledger says were delivered.
const KEEP_EVERY_FILE = ['-E', 'output.file.number_of_files=1024'];

function wholeNumber(name, text, minimum) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) {
    process.stderr.write(`--${name} must be a whole number of at least ${minimum}, got ${text}; ${USAGE}\n`);
    process.exit(2);
  }
  return value;
}

let options;
try {
  options = parseArgs({
    options: {
      kills: { type: 'string', default: '20' },
      events: { type: 'string', default: '20000' },
      'latency-ms': { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      keep: { type: 'boolean', default: false },
    },
  }).values;
} catch (error) {
  process.stderr.write(`${error.message}; ${USAGE}\n`);
  process.exit(2);
}
const kills = wholeNumber('kills', options.kills, 1);
const events = wholeNumber('events', options.events, 1);
const latencyMs = wholeNumber('latency-ms', options['latency-ms'], 0);
const seed = wholeNumber('seed', options.seed, 0);

const dir = mkdtempSync(join(tmpdir(), 'o365-elk-crash-test-'));
const config = join(dir, 'connector.yml');
const outputDir = join(dir, 'output');
const ledgerPath = join(dir, 'state.db');
const say = (line) => process.stdout.write(`${line}\n`);

const emulator = await startEmulator({
  dir,
  args: ['--events', String(events), '--seed', String(seed), '--faults', `latency_ms=${latencyMs}`],
});
const failures = [];
let summary;
try {
  summary = await crashRepeatedly();
} finally {
  await emulator.stop();
  if (options.keep) say(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
say(`summary ${JSON.stringify(summary)}`);
if (failures.length > 0) {
  for (const failure of failures) process.stderr.write(`crash test FAILED: ${failure}\n`);
  process.exit(1);
}

async function crashRepeatedly() {
  const truth = await emulator.recordIds();
  const calibration = await calibrate(truth);
  say(
    `${truth.size} records; an uninterrupted once takes ${calibration.totalMs} ms: ${calibration.startupMs} ms to its first write, ` +
      `${calibration.deliveryMs} ms of writing, ${calibration.tailMs} ms to exit`,
  );

  const runs = [];
  // A run may finish before its kill is due; those are not kills, but the loop must end.
  while (runs.filter((run) => run.killed).length < kills && runs.length < kills * 3) {
    runs.push(await runAndMaybeKill(truth, calibration));
    const run = runs.at(-1);
    say(
      `run ${runs.length}: ${run.killed ? `killed in ${run.phase} after ${run.killAtMs} ms` : `finished with exit ${run.code}`}; ` +
        `wrote ${run.linesWritten} lines, committed blobs holding ${run.recordsCommitted} records, ${run.inFlightLines} lines of uncommitted blobs`,
    );
    if (!run.killed && run.code !== 0) failures.push(`run ${runs.length} exited ${run.code} instead of 0`);
    if (!run.killed && run.inFlightLines !== 0) failures.push(`run ${runs.length} finished but wrote ${run.inFlightLines} lines it did not commit`);
  }

  const final = await startCollector({ command: 'once', config, args: KEEP_EVERY_FILE }).exited;
  if (final.code !== 0) failures.push(`the final once exited ${final.code}: ${final.stderr.trim()}`);

  const output = readOutput(outputDir);
  const { missing, extra, duplicateLines } = compareIds(output.ids, truth);
  const killed = runs.filter((run) => run.killed);
  const inFlightBound = killed.reduce((sum, run) => sum + run.inFlightLines, 0);
  const largestBlob = Math.max(0, ...readLedgerBlobs(ledgerPath).map((blob) => blob.records));
  const coarseBound = killed.length * TENANTS * MAX_CONCURRENCY * largestBlob;
  const midFileBreaks = output.broken.filter((line) => !line.unterminated);

  if (missing.length > 0) failures.push(`${missing.length} records missing from the output, e.g. ${missing.slice(0, 3).join(', ')}`);
  if (extra.length > 0) failures.push(`${extra.length} records in the output the emulator never published, e.g. ${extra.slice(0, 3).join(', ')}`);
  if (duplicateLines > inFlightBound) failures.push(`${duplicateLines} duplicate lines, more than the ${inFlightBound} lines written for uncommitted blobs`);
  if (killed.length < kills) failures.push(`only ${killed.length} of ${kills} runs were killed before they finished; use more --events`);
  if (midFileBreaks.length > 0) failures.push(`${midFileBreaks.length} broken lines inside output files (not the tail of a killed write): ${JSON.stringify(midFileBreaks.slice(0, 3))}`);

  const killsDuringDelivery = killed.filter((run) => run.phase === 'delivery').length;
  say(
    `${killed.length} kills (${killsDuringDelivery} during delivery), ${runs.length - killed.length} runs finished before their kill; ${truth.size} records, ` +
      `${missing.length} missing, ${extra.length} extra, ${duplicateLines} duplicate lines ` +
      `(bound from the ledger: ${inFlightBound}; coarse bound kills × tenants × max_concurrency × largest blob: ${coarseBound}), ` +
      `${output.broken.length} lines cut off by a kill; final once took ${final.ms} ms`,
  );
  return {
    kills: killed.length,
    killsDuringDelivery,
    runsFinishedBeforeKill: runs.length - killed.length,
    records: truth.size,
    missing: missing.length,
    extra: extra.length,
    duplicateLines,
    inFlightBound,
    coarseBound,
    cutOffLines: output.broken.length,
    calibration,
    finalMs: final.ms,
    failures,
  };
}

/** An uninterrupted once into a separate ledger and output: when it first and last wrote, and when it ended. */
async function calibrate(truth) {
  const calibrationDir = join(dir, 'calibration');
  const calibrationOutput = join(calibrationDir, 'output');
  const started = Date.now();
  const collector = startCollector({
    command: 'once',
    config,
    args: ['-E', `state.path=${join(calibrationDir, 'state.db')}`, '-E', `output.file.path=${calibrationOutput}`],
  });
  let firstWrite;
  let lastWrite;
  let bytes = 0;
  let exit;
  while (!exit) {
    exit = await Promise.race([collector.exited, sleep(25)]);
    const now = outputBytes(calibrationOutput);
    if (now > bytes) {
      firstWrite ??= Date.now() - started;
      lastWrite = Date.now() - started;
      bytes = now;
    }
  }
  const totalMs = Date.now() - started;
  const { missing, extra } = compareIds(readOutput(calibrationOutput).ids, truth);
  if (exit.code !== 0 || missing.length > 0 || extra.length > 0) {
    failures.push(`the uninterrupted calibration run exited ${exit.code} with ${missing.length} missing and ${extra.length} extra records`);
  }
  const startupMs = firstWrite ?? totalMs;
  const deliveryMs = (lastWrite ?? totalMs) - startupMs;
  return { totalMs, startupMs, deliveryMs, tailMs: totalMs - startupMs - deliveryMs };
}

async function runAndMaybeKill(truth, calibration) {
  const before = linesAndCommits();
  const bytesBefore = outputBytes();
  const collected = new Set(readOutput(outputDir).ids).size;
  const remaining = Math.max(0, 1 - collected / truth.size);
  const started = Date.now();
  const collector = startCollector({ command: 'once', config, args: KEEP_EVERY_FILE });
  const exited = collector.exited.then(() => 'exited');

  let phase = 'start-up';
  let windowMs = calibration.startupMs;
  if (remaining > 0) {
    while (outputBytes() === bytesBefore && (await Promise.race([exited, sleep(20)])) !== 'exited');
    phase = 'delivery';
    windowMs = calibration.deliveryMs * remaining + calibration.tailMs;
  }
  const delayMs = Math.round(Math.random() * windowMs);
  if ((await Promise.race([exited, sleep(delayMs).then(() => 'due')])) === 'due') collector.kill('SIGKILL');
  const exit = await collector.exited;
  const after = linesAndCommits();
  const linesWritten = after.lines - before.lines;
  const recordsCommitted = after.committed - before.committed;
  return {
    killed: exit.signal === 'SIGKILL',
    phase,
    killAtMs: Date.now() - started,
    code: exit.code,
    linesWritten,
    recordsCommitted,
    inFlightLines: linesWritten - recordsCommitted,
  };
}

function outputBytes(path = outputDir) {
  try {
    return readdirSync(path)
      .filter((name) => name.endsWith('.ndjson'))
      .reduce((sum, name) => sum + statSync(join(path, name)).size, 0);
  } catch {
    return 0;
  }
}

function linesAndCommits() {
  return {
    lines: readOutput(outputDir).ids.length,
    committed: readLedgerBlobs(ledgerPath).reduce((sum, blob) => sum + blob.records, 0),
  };
}

