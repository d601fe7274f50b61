// The collector benchmark: drain an emulated backlog at the realistic fault preset with the default
// concurrency, check the output against the emulator's ground truth, and compare with fetching one
// blob at a time (how Elastic's input fetches), extrapolated from a bounded run.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULT_PRESETS } from '../../src/emulator/faults.js';
import { runCollectorOnce, type CollectorRun } from './collector-process.js';
import { BACKLOG_DAYS, compileAndStartEmulator } from './setup.js';
import { apiRequestsBetween, connectEmulator } from './emulator-client.js';
import type { EmulatorProcess } from './emulator-process.js';
import { distinctOutputIds } from './output-ids.js';
import type { Figures, TableRow } from './results.js';

export interface CollectorBenchmarkOptions {
  events: number;
  tenants: number;
  /** How long the one-at-a-time baseline may run before it is stopped and extrapolated. */
  baselineSeconds: number;
  /** Interrupts the benchmark: children stop, temporary files are removed. */
  signal: AbortSignal;
}

const FAULTS = 'realistic';
const THROTTLE_PER_TENANT = FAULT_PRESETS[FAULTS].rateLimitPerMinute;

export async function runCollectorBenchmark(
  options: CollectorBenchmarkOptions,
  say: (line: string) => void,
): Promise<{ figures: Figures; rows: TableRow[] }> {
  const workDir = mkdtempSync(join(tmpdir(), 'o365-elk-bench-'));
  const loadBefore = loadavg()[0]!;
  let emulator: EmulatorProcess | undefined;
  try {
    const started = await compileAndStartEmulator(workDir, { events: options.events, tenants: options.tenants, faults: FAULTS }, options.signal, say);
    const { cli } = started;
    emulator = started.emulator;
    const control = connectEmulator(emulator.url, emulator.caPem);
    const configPath = join(emulator.dir, 'connector.yml');
    try {
      say('draining it with the collector at its default concurrency');
      const countsBefore = await control.requestCounts();
      const emulatorCpuBefore = emulator.cpuSeconds();
      const concurrent = await runCollectorOnce({ cli, configPath, workDir: runDir(workDir, 'concurrent'), signal: options.signal });
      const emulatorCpuSeconds = emulator.cpuSeconds() - emulatorCpuBefore;
      const requests = apiRequestsBetween(countsBefore, await control.requestCounts());
      const loadAfter = loadavg()[0]!;

      say('checking the output against the emulator ground truth');
      const check = await compareWithGroundTruth(concurrent, await control.groundTruthIds());
      options.signal.throwIfAborted();
      rmSync(concurrent.outputDir, { recursive: true, force: true });

      say(`baseline: one blob at a time (api.max_concurrency=1), stopped after ${options.baselineSeconds} s`);
      const baseline = await runCollectorOnce({
        cli,
        configPath,
        workDir: runDir(workDir, 'baseline'),
        settings: ['api.max_concurrency=1'],
        stopAfterSeconds: options.baselineSeconds,
        signal: options.signal,
      });
      const baselineEvents = (await distinctOutputIds(baseline.outputDir)).size;
      if (baselineEvents === 0) {
        throw new Error(`the one-at-a-time baseline delivered nothing in ${baseline.wallSeconds.toFixed(0)} s; give it longer with --baseline-seconds`);
      }

      const af429 = concurrent.warnings.get('AF429') ?? 0;
      const minutes = concurrent.wallSeconds / 60;
      const requestsPerMinute = (requests.total - af429) / minutes;
      const ceiling = THROTTLE_PER_TENANT * options.tenants;
      const baselineRate = baselineEvents / baseline.wallSeconds;
      const sequentialSeconds = baseline.stopped ? check.truth / baselineRate : baseline.wallSeconds;
      const figures: Figures = {
        events: options.events,
        tenants: options.tenants,
        drain_seconds: round(concurrent.wallSeconds, 1),
        events_per_second: round(check.delivered / concurrent.wallSeconds, 0),
        api_requests: requests.total,
        requests_per_minute: round(requestsPerMinute, 0),
        throttle_ceiling_per_minute: ceiling,
        throttle_ratio: round(requestsPerMinute / ceiling, 3),
        af429_count: af429,
        sequential_drain_seconds_estimated: round(sequentialSeconds, 0),
        sequential_drain_method: baseline.stopped
          ? `extrapolated: ${baselineEvents} distinct events in ${baseline.wallSeconds.toFixed(1)} s at max_concurrency=1`
          : 'measured: the baseline drained the whole backlog',
        sequential_events_per_second: round(baselineRate, 1),
        sequential_speedup: round(sequentialSeconds / concurrent.wallSeconds, 1),
        peak_rss_mb: round(concurrent.peakRssMib, 1),
        connector_cpu_seconds: round(concurrent.cpuSeconds, 1),
        emulator_cpu_seconds: round(emulatorCpuSeconds, 1),
        correct: check.correct,
        ground_truth_events: check.truth,
        output_distinct_events: check.delivered,
        missing_events: check.missing,
        unexpected_events: check.unexpected,
        collector_exit_code: concurrent.exitCode,
        collector_warnings: describeWarnings(concurrent.warnings),
        api_requests_by_operation: describeCounts(requests.byOperation),
        cpu_cores: cpus().length,
        load_average_1m_before: round(loadBefore, 2),
        load_average_1m_after_drain: round(loadAfter, 2),
      };
      return { figures, rows: tableRows(figures, baseline) };
    } finally {
      await control.close();
    }
  } finally {
    await emulator?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function runDir(workDir: string, name: string): string {
  const dir = join(workDir, name);
  mkdirSync(dir);
  return dir;
}

async function compareWithGroundTruth(run: CollectorRun, truth: Set<string>) {
  const output = await distinctOutputIds(run.outputDir);
  let missing = 0;
  for (const id of truth) if (!output.has(id)) missing += 1;
  let unexpected = 0;
  for (const id of output) if (!truth.has(id)) unexpected += 1;
  return { truth: truth.size, delivered: output.size, missing, unexpected, correct: missing === 0 && unexpected === 0 };
}

function tableRows(f: Figures, baseline: CollectorRun): TableRow[] {
  const n = (value: unknown, digits = 0) => Number(value).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const drainSeconds = Number(f.drain_seconds);
  return [
    { label: 'backlog', value: n(f.events), note: `events over ${BACKLOG_DAYS} days, ${f.tenants} tenant(s), faults=${FAULTS} (250 ms/request, AF429 past ${n(THROTTLE_PER_TENANT)}/min per tenant)` },
    { label: 'drain time', value: `${n(f.drain_seconds, 1)} s`, note: 'o365-elk once with its default api settings, file output, logging at warn' },
    { label: 'events/s', value: n(f.events_per_second), note: `${n(f.output_distinct_events)} distinct events delivered` },
    { label: 'requests/min', value: n(f.requests_per_minute), note: `${n(f.api_requests)} API requests: ${f.api_requests_by_operation}` },
    { label: 'throttle ceiling', value: `${n(f.throttle_ceiling_per_minute)}/min` },
    { label: 'throttle ratio', value: `${n(Number(f.throttle_ratio) * 100, 1)} %`, note: 'target ≥ 90 %' },
    { label: 'AF429 received', value: n(f.af429_count), note: `collector warnings: ${f.collector_warnings}` },
    { label: 'one at a time: drain', value: `${n(f.sequential_drain_seconds_estimated)} s`, note: `${baseline.stopped ? 'ESTIMATED' : 'measured'} — ${f.sequential_drain_method}` },
    { label: 'speedup over it', value: `${n(f.sequential_speedup, 1)}×` },
    { label: 'peak RSS', value: `${n(f.peak_rss_mb, 1)} MiB`, note: 'target ≤ 256 MiB (getrusage ru_maxrss of the collector process)' },
    { label: 'collector CPU', value: `${n(f.connector_cpu_seconds, 1)} s`, note: `${n((Number(f.connector_cpu_seconds) / drainSeconds) * 100, 0)} % of one core over the drain` },
    { label: 'emulator CPU', value: `${n(f.emulator_cpu_seconds, 1)} s`, note: `${n((Number(f.emulator_cpu_seconds) / drainSeconds) * 100, 0)} % of one core over the drain` },
    {
      label: 'correct',
      value: f.correct ? 'yes' : 'NO',
      note: `${n(f.output_distinct_events)} distinct ids out of ${n(f.ground_truth_events)} in the ground truth; ${n(f.missing_events)} missing, ${n(f.unexpected_events)} unexpected`,
    },
    { label: 'machine load (1 min)', value: `${n(f.load_average_1m_before, 2)} → ${n(f.load_average_1m_after_drain, 2)}`, note: `before the run → after the drain, ${f.cpu_cores} cores shared` },
  ];
}

function describeWarnings(warnings: Map<string, number>): string {
  return warnings.size === 0 ? 'none' : describeCounts(warnings);
}

function describeCounts(counts: Map<string, number>): string {
  return [...counts].sort((a, b) => b[1] - a[1]).map(([key, count]) => `${key}: ${count}`).join(', ');
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
