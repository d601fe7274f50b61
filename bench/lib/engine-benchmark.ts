// The engine benchmark: how close the connector's Elasticsearch/OpenSearch output comes to what the
// engine takes when a client does nothing but send ready-made `_bulk` requests. The emulator serves a
// backlog without latency, faults or throttle, and the connector's own request budget is lifted, so the
// sink path is what bounds the drain. The same documents, read back from the engine, then give the
// raw `_bulk` ceiling of the same engine in the same run.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEngine, type TestEngine } from '../../scripts/test-engine-lib.mjs';
import { measureBulkCeiling, serialiseBulkRequests } from '../bulk-ceiling.js';
import { runCollectorOnce } from './collector-process.js';
import { BACKLOG_DAYS, compileAndStartEmulator } from './setup.js';
import { connectEmulator } from './emulator-client.js';
import type { EmulatorProcess } from './emulator-process.js';
import { countDocuments, installConnectorTemplates, removeDataStream, scrollDocuments, writeTasksCompleted } from './engine-client.js';
import { processCpuSeconds } from './proc.js';
import type { Figures, TableRow } from './results.js';

export interface EngineBenchmarkOptions {
  events: number;
  tenants: number;
  /** An engine to use instead of starting the test engine; the benchmark removes what it writes there. */
  engineUrl?: string;
  /** `-E` settings for the collector on top of the defaults, to see what they change. */
  sinkSettings: string[];
  signal: AbortSignal;
}

const FAULTS = 'none,rate_limit=0';
// The output's defaults (src/config/schema.ts: output.elasticsearch.bulk_max_size and worker): the
// ceiling is measured with the same request size and the same number of requests in flight.
const SINK_BULK_MAX_SIZE = 1000;
const SINK_WORKER = 2;
// High enough that the connector's request budget never waits: this part measures the sink path.
const UNLIMITED_REQUESTS_PER_MINUTE = 1_000_000;
const SCROLL_PAGE = SINK_BULK_MAX_SIZE * 5;
// A fresh JVM compiles its indexing code during its first minute or so, on the same cores: the drain
// would pay for that and the ceiling, which comes after it, would not.
const WARM_UP_SECONDS = 45;

export async function runEngineBenchmark(options: EngineBenchmarkOptions, say: (line: string) => void): Promise<{ figures: Figures; rows: TableRow[] }> {
  const workDir = mkdtempSync(join(tmpdir(), 'o365-elk-bench-engine-'));
  const loadBefore = loadavg()[0]!;
  // A fresh data stream per run, so that an engine given with --engine never holds earlier documents.
  const run = Date.now().toString(36);
  const sinkIndex = `logs-o365.audit-bench${run}`;
  const ceilingIndex = `logs-o365.audit-ceiling${run}`;
  let engine: TestEngine | undefined;
  let emulator: EmulatorProcess | undefined;
  let url = options.engineUrl;
  try {
    const started = await compileAndStartEmulator(workDir, { events: options.events, tenants: options.tenants, faults: FAULTS }, options.signal, say);
    const { cli } = started;
    emulator = started.emulator;
    if (url === undefined) {
      say('starting the test engine (OpenSearch)');
      engine = await startTestEngine({ dir: join(workDir, 'engine') });
      url = engine.url;
    }
    options.signal.throwIfAborted();

    say(`warming the engine up: the collector writes into a throwaway data stream for ${WARM_UP_SECONDS} s`);
    const warmUpIndex = `logs-o365.audit-warmup${run}`;
    await runCollectorOnce({
      cli,
      configPath: join(emulator.dir, 'connector.yml'),
      workDir: workDirFor(workDir, 'warm-up'),
      engine: { url, index: warmUpIndex },
      settings: [`api.requests_per_minute=${UNLIMITED_REQUESTS_PER_MINUTE}`, ...options.sinkSettings],
      stopAfterSeconds: WARM_UP_SECONDS,
      signal: options.signal,
    });
    await removeDataStream(url, warmUpIndex);

    say(`draining it with the collector into the data stream ${sinkIndex} at ${url}`);
    const emulatorCpuBefore = emulator.cpuSeconds();
    const engineCpuBefore = engine ? processCpuSeconds(engine.pid) : 0;
    const writeTasksBefore = await writeTasksCompleted(url);
    const drain = await runCollectorOnce({
      cli,
      configPath: join(emulator.dir, 'connector.yml'),
      workDir: workDirFor(workDir, 'collector'),
      engine: { url, index: sinkIndex },
      settings: [`api.requests_per_minute=${UNLIMITED_REQUESTS_PER_MINUTE}`, ...options.sinkSettings],
      signal: options.signal,
    });
    const emulatorCpuSeconds = emulator.cpuSeconds() - emulatorCpuBefore;
    const engineCpuSeconds = engine ? processCpuSeconds(engine.pid) - engineCpuBefore : undefined;
    const loadAfter = loadavg()[0]!;
    const drainWriteTasks = (await writeTasksCompleted(url)) - writeTasksBefore;
    const indexed = await countDocuments(url, sinkIndex);
    const control = connectEmulator(emulator.url, emulator.caPem);
    const truth = await control.groundTruthIds().finally(() => control.close());
    await emulator.stop();
    emulator = undefined;

    say(`reading the ${indexed.toLocaleString('en-US')} documents back and serialising them into _bulk requests of ${SINK_BULK_MAX_SIZE}`);
    const requests: Buffer[] = [];
    await scrollDocuments(url, sinkIndex, SCROLL_PAGE, (documents) => requests.push(...serialiseBulkRequests(documents, ceilingIndex, SINK_BULK_MAX_SIZE)));
    await installConnectorTemplates(url, ceilingIndex);
    options.signal.throwIfAborted();
    say(`raw _bulk ceiling: sending them into the data stream ${ceilingIndex}, ${SINK_WORKER} requests in flight`);
    const ceilingCpuBefore = engine ? processCpuSeconds(engine.pid) : 0;
    const ceilingWriteTasksBefore = await writeTasksCompleted(url);
    const ceiling = await measureBulkCeiling({ url, requests, concurrency: SINK_WORKER });
    const ceilingEngineCpuSeconds = engine ? processCpuSeconds(engine.pid) - ceilingCpuBefore : undefined;
    const writeTasksPerRequest = ((await writeTasksCompleted(url)) - ceilingWriteTasksBefore) / requests.length;
    const sinkBulkRequests = drainWriteTasks / writeTasksPerRequest;

    const endToEnd = indexed / drain.wallSeconds;
    const perMillion = (seconds: number, events: number) => round((seconds / events) * 1e6, 1);
    const figures: Figures = {
      sink_events: options.events,
      sink_search_engine: options.engineUrl === undefined ? 'test engine (OpenSearch, scripts/test-engine-lib.mjs)' : 'given with --engine',
      sink_extra_settings: options.sinkSettings.length === 0 ? 'none' : options.sinkSettings.join(' '),
      sink_bulk_max_size: SINK_BULK_MAX_SIZE,
      sink_worker: SINK_WORKER,
      sink_drain_seconds: round(drain.wallSeconds, 1),
      sink_documents_indexed: indexed,
      sink_ground_truth_events: truth.size,
      sink_correct: indexed === truth.size && drain.exitCode === 0,
      sink_collector_exit_code: drain.exitCode,
      sink_events_per_second: round(endToEnd, 0),
      sink_bulk_requests_estimated: round(sinkBulkRequests, 0),
      sink_documents_per_bulk_request: round(indexed / sinkBulkRequests, 0),
      bulk_ceiling_events_per_second: round(ceiling.documentsPerSecond, 0),
      bulk_ceiling_seconds: round(ceiling.elapsedMs / 1000, 1),
      bulk_ceiling_failed_documents: ceiling.failed,
      bulk_ceiling_ratio: round(endToEnd / ceiling.documentsPerSecond, 3),
      connector_cpu_s_per_million: perMillion(drain.cpuSeconds, indexed),
      emulator_cpu_s_per_million: perMillion(emulatorCpuSeconds, indexed),
      search_engine_cpu_s_per_million_drain: engineCpuSeconds === undefined ? null : perMillion(engineCpuSeconds, indexed),
      search_engine_cpu_s_per_million_ceiling: ceilingEngineCpuSeconds === undefined ? null : perMillion(ceilingEngineCpuSeconds, ceiling.documents),
      // When every core is busy in both phases, throughput is cores ÷ CPU per document, so the ratio
      // is the ceiling's engine CPU per document over the drain's engine + connector + emulator CPU.
      bulk_ceiling_ratio_cpu_bound:
        engineCpuSeconds === undefined || ceilingEngineCpuSeconds === undefined
          ? null
          : round(ceilingEngineCpuSeconds / ceiling.documents / ((engineCpuSeconds + drain.cpuSeconds + emulatorCpuSeconds) / indexed), 3),
      sink_peak_rss_mb: round(drain.peakRssMib, 1),
      sink_collector_warnings: drain.warnings.size === 0 ? 'none' : [...drain.warnings].map(([key, count]) => `${key}: ${count}`).join(', '),
      sink_load_average_1m_before: round(loadBefore, 2),
      sink_load_average_1m_after_drain: round(loadAfter, 2),
      cpu_cores: cpus().length,
    };
    return { figures, rows: tableRows(figures, drain.wallSeconds) };
  } finally {
    await emulator?.stop();
    if (engine) await engine.stop();
    else if (url !== undefined) for (const index of [sinkIndex, ceilingIndex]) await removeDataStream(url, index);
    rmSync(workDir, { recursive: true, force: true });
  }
}

function workDirFor(workDir: string, name: string): string {
  const dir = join(workDir, name);
  mkdirSync(dir);
  return dir;
}

function tableRows(f: Figures, drainSeconds: number): TableRow[] {
  const n = (value: unknown, digits = 0) => Number(value).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const cpuShare = (perMillion: unknown) => `${n(((Number(perMillion) * Number(f.sink_documents_indexed)) / 1e6 / drainSeconds) * 100, 0)} % of one core over the drain`;
  return [
    { label: 'backlog', value: n(f.sink_events), note: `events over ${BACKLOG_DAYS} days, faults=${FAULTS} (no latency, no faults, no throttle); connector budget lifted` },
    { label: 'drain time', value: `${n(f.sink_drain_seconds, 1)} s`, note: `o365-elk once into a fresh data stream, bulk_max_size ${f.sink_bulk_max_size}, worker ${f.sink_worker}; other settings: ${f.sink_extra_settings}` },
    { label: 'end-to-end', value: `${n(f.sink_events_per_second)} events/s`, note: `${n(f.sink_documents_indexed)} documents indexed, ${n(f.sink_ground_truth_events)} in the ground truth` },
    { label: 'sink _bulk requests', value: n(f.sink_bulk_requests_estimated), note: `about ${n(f.sink_documents_per_bulk_request)} documents each (the engine's write thread pool tasks, calibrated on the ceiling's requests)` },
    { label: 'raw _bulk ceiling', value: `${n(f.bulk_ceiling_events_per_second)} events/s`, note: `the same documents, pre-serialised, in ${n(f.bulk_ceiling_seconds, 1)} s; ${n(f.bulk_ceiling_failed_documents)} failed` },
    { label: 'ratio', value: `${n(Number(f.bulk_ceiling_ratio) * 100, 1)} %`, note: 'end-to-end ÷ ceiling; target ≥ 80 %' },
    { label: 'connector CPU', value: `${n(f.connector_cpu_s_per_million, 1)} s/M events`, note: cpuShare(f.connector_cpu_s_per_million) },
    { label: 'emulator CPU', value: `${n(f.emulator_cpu_s_per_million, 1)} s/M events`, note: cpuShare(f.emulator_cpu_s_per_million) },
    ...(f.search_engine_cpu_s_per_million_drain === null
      ? []
      : [
          { label: 'engine CPU', value: `${n(f.search_engine_cpu_s_per_million_drain, 1)} s/M events`, note: `${cpuShare(f.search_engine_cpu_s_per_million_drain)}; ${n(f.search_engine_cpu_s_per_million_ceiling, 1)} s/M during the ceiling` },
          {
            label: 'ratio from CPU',
            value: `${n(Number(f.bulk_ceiling_ratio_cpu_bound) * 100, 1)} %`,
            note: "engine CPU/event in the ceiling ÷ (engine + connector + emulator CPU/event in the drain): the ratio when the cores are the bound",
          },
        ]),
    { label: 'peak RSS', value: `${n(f.sink_peak_rss_mb, 1)} MiB`, note: 'target ≤ 256 MiB (getrusage ru_maxrss of the collector process)' },
    { label: 'correct', value: f.sink_correct ? 'yes' : 'NO', note: `collector exit code ${f.sink_collector_exit_code}; warnings: ${f.sink_collector_warnings}` },
    { label: 'machine load (1 min)', value: `${n(f.sink_load_average_1m_before, 2)} → ${n(f.sink_load_average_1m_after_drain, 2)}`, note: `before the run → after the drain, ${f.cpu_cores} cores shared` },
  ];
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
