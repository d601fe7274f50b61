// One `o365-elk once` run as a child process: its wall time, its own peak RSS and CPU (reported from
// inside by usage-report.mjs), and a tally of the warnings it logged (every error answer of the API is
// logged at warn with its AF code). It writes to files in its work directory, or to a search engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnCli } from './child-process.js';

const USAGE_REPORT_MODULE = new URL('./usage-report.mjs', import.meta.url).href;

interface UsageReport {
  maxRssKib: number;
  userCpuMicros: number;
  systemCpuMicros: number;
}

export interface CollectorRunOptions {
  /** The compiled CLI entry point. */
  cli: string;
  configPath: string;
  /** Receives state.db, output/ and the usage report. */
  workDir: string;
  /** Extra `-E key=value` settings. */
  settings?: string[];
  /** Writes into this data stream or index of the engine instead of files. */
  engine?: { url: string; index: string };
  /** Extra environment, e.g. NODE_OPTIONS. */
  env?: NodeJS.ProcessEnv;
  /** Sends SIGTERM after this long; the collector then finishes the deliveries in flight and exits. */
  stopAfterSeconds?: number;
  /** Stops the collector when aborted. */
  signal: AbortSignal;
}

export interface CollectorRun {
  exitCode: number | null;
  wallSeconds: number;
  /** True when the run was stopped by `stopAfterSeconds` rather than finishing its pass. */
  stopped: boolean;
  peakRssMib: number;
  cpuSeconds: number;
  /** Warnings by AF code (or by message when they carry none). */
  warnings: Map<string, number>;
  /** The file output's directory (empty when the run wrote to an engine). */
  outputDir: string;
}

export async function runCollectorOnce(options: CollectorRunOptions): Promise<CollectorRun> {
  const outputDir = join(options.workDir, 'output');
  const usageFile = join(options.workDir, 'usage.json');
  const warnings = new Map<string, number>();
  const began = performance.now();
  const cli = spawnCli(
    options.cli,
    [
      'once',
      '-c', options.configPath,
      '-E', `state.path=${join(options.workDir, 'state.db')}`,
      ...outputSettings(options.engine, outputDir).flatMap((setting) => ['-E', setting]),
      '-E', 'logging.level=warn',
      '-E', 'logging.json=true',
      ...(options.settings ?? []).flatMap((setting) => ['-E', setting]),
    ],
    {
      preload: USAGE_REPORT_MODULE,
      env: { ...options.env, BENCH_USAGE_REPORT: usageFile },
      onStderrLine: (line) => tallyWarning(line, warnings),
      signal: options.signal,
    },
  );
  cli.child.stdout!.resume();
  let stopped = false;
  const timer =
    options.stopAfterSeconds === undefined
      ? undefined
      : setTimeout(() => {
          stopped = true;
          cli.child.kill('SIGTERM');
        }, options.stopAfterSeconds * 1000);
  const { code, signal } = await cli.exited;
  const wallSeconds = (performance.now() - began) / 1000;
  clearTimeout(timer);
  options.signal.throwIfAborted();

  // Exit code 1 means "ran, but something was left behind": the checks against the ground truth judge that.
  if (signal !== null || (code !== 0 && code !== 1)) {
    throw new Error(`the collector failed (${signal ?? `exit code ${code}`}): ${cli.stderrTail() || 'no message'}`);
  }
  let usage: UsageReport;
  try {
    usage = JSON.parse(readFileSync(usageFile, 'utf8')) as UsageReport;
  } catch {
    throw new Error(`the collector exited without writing its resource usage to ${usageFile}; was it killed?`);
  }
  return {
    exitCode: code,
    wallSeconds,
    stopped,
    peakRssMib: usage.maxRssKib / 1024,
    cpuSeconds: (usage.userCpuMicros + usage.systemCpuMicros) / 1e6,
    warnings,
    outputDir: options.engine === undefined ? outputDir : '',
  };
}

function outputSettings(engine: CollectorRunOptions['engine'], outputDir: string): string[] {
  if (engine === undefined) {
    // Rotation would delete the oldest files before the run's output can be checked.
    return [`output.file.path=${outputDir}`, 'output.file.number_of_files=1024'];
  }
  return ['output.file.enabled=false', `output.elasticsearch.hosts=["${engine.url}"]`, `output.elasticsearch.index=${engine.index}`];
}

function tallyWarning(line: string, warnings: Map<string, number>): void {
  let entry: { level?: number; code?: string; msg?: string };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    return;
  }
  if (entry.level === undefined || entry.level < 40) return;
  const key = entry.code ?? entry.msg ?? 'unlabelled warning';
  warnings.set(key, (warnings.get(key) ?? 0) + 1);
}
