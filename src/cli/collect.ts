// `o365-elk once`, `run` and `backfill`: the collector's three modes.
import { Command, Option } from 'commander';
import { loadConfig, parseDuration, type Config } from '../config/index.js';
import { runCollector, type CollectorMode, type CollectorSummary } from '../runtime/collector.js';
import { createProgressReporter } from '../runtime/progress.js';
import { lockLedger } from '../state/index.js';
import { createLogger, type Logger } from '../util/logger.js';
import { EXIT_CONFIG, EXIT_OK, EXIT_PARTIAL } from './fatal.js';

/** From SIGTERM/SIGINT to exit, at most; the collector's own grace period for deliveries is shorter. */
const STOP_DEADLINE_MS = 8500;

export interface ConfigOptions {
  config?: string;
  E: string[];
}

/** The options every command that reads the configuration takes, named as Filebeat names them. */
export function withConfigOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'configuration file (YAML)')
    .addOption(new Option('-E <key=value>', 'override a setting, e.g. -E output.file.path=/tmp/out (repeatable)').argParser(collect).default([]));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function loadCommandConfig(options: ConfigOptions): Config {
  return loadConfig({ ...(options.config ? { file: options.config } : {}), overrides: options.E });
}

export function commandLogger(config: Config): Logger {
  const logger = createLogger({ level: config.logging.level, json: config.logging.json });
  for (const warning of config.warnings) logger.warn(warning);
  return logger;
}

export function collectorCommands(): Command[] {
  const once = withConfigOptions(new Command('once'))
    .description('make one pass over every stream and exit (for cron, Rundeck, systemd timers)')
    .action(async (options: ConfigOptions) => process.exit(await collectAndExit('once', options)));
  const run = withConfigOptions(new Command('run'))
    .description('poll every stream until SIGTERM or SIGINT')
    .action(async (options: ConfigOptions) => process.exit(await collectAndExit('run', options)));
  const backfill = withConfigOptions(new Command('backfill'))
    .description('catch up on demand: list every stream again back to --since, fetching what is missing')
    .option('--since <duration>', 'how far back, e.g. 36h or 7d (clamped to the 7-day retention)', '7d')
    .action(async (options: ConfigOptions & { since: string }) => process.exit(await collectAndExit('backfill', options, options.since)));
  return [once, run, backfill];
}

async function collectAndExit(mode: CollectorMode, options: ConfigOptions, since?: string): Promise<number> {
  const config = loadCommandConfig(options);
  // Before anything else starts: a second collector on this ledger is refused, not run alongside.
  const lock = lockLedger(config.state.path);
  try {
    return await collectUnderLock(mode, config, since);
  } finally {
    lock.release();
  }
}

async function collectUnderLock(mode: CollectorMode, config: Config, since?: string): Promise<number> {
  const logger = commandLogger(config);
  const stop = new AbortController();
  const onSignal = (signal: string): void => {
    if (stop.signal.aborted) return;
    logger.info({ signal }, 'stopping: finishing deliveries in flight');
    stop.abort();
    // Whoever stops the connector (systemd, docker, a terminal) is promised an exit within 10 s,
    // whatever is still waiting; a blob not yet committed is simply fetched again next time.
    setTimeout(() => {
      logger.error({ signal }, `stopping took longer than ${STOP_DEADLINE_MS / 1000} s; exiting now — blobs not yet committed are fetched again on the next run`);
      process.exit(EXIT_PARTIAL);
    }, STOP_DEADLINE_MS).unref();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const progress = mode !== 'run' && process.stderr.isTTY ? createProgressReporter(process.stderr) : undefined;
  // Only the daemon serves HTTP; a single pass does not load the web server and its map.
  const endpoints = mode === 'run' ? await (await import('../http/index.js')).serveDaemonEndpoints(config, logger) : undefined;
  const summary = await runCollector(config, logger, {
    mode,
    ...(since ? { sinceMs: parseDuration(since) } : {}),
    signal: stop.signal,
    ...(progress ? { onProgress: progress.update } : {}),
    ...(endpoints ? { metrics: endpoints.metrics, signIns: endpoints.signIns } : {}),
  }).finally(() => endpoints?.server.close());
  progress?.finish();
  // Stopping is how `run` ends; a `once` or `backfill` that was stopped has left part of its pass undone.
  const cutShort = mode !== 'run' && stop.signal.aborted;
  if (cutShort) logger.warn(summarise(summary), 'pass stopped before it completed; the next run collects the rest');
  else logger.info(summarise(summary), mode === 'run' ? 'stopped' : 'pass complete');
  return exitCode(summary, cutShort);
}

function summarise(summary: CollectorSummary): Record<string, number> {
  return {
    blobsDelivered: summary.blobsDelivered,
    blobsExpired: summary.blobsExpired,
    recordsDelivered: summary.recordsDelivered,
    recordsDuplicate: summary.recordsDuplicate,
    recordsRejected: summary.recordsRejected,
    errors: summary.errors,
    retentionGaps: summary.gaps.length,
  };
}

/** 0: everything delivered; 1: the pass ran but something was lost or left behind; 2: configuration or authentication. */
function exitCode(summary: CollectorSummary, cutShort: boolean): number {
  if (summary.authFailures.length > 0 || summary.fatalErrors.length > 0) return EXIT_CONFIG;
  if (cutShort || summary.blobsExpired > 0 || summary.recordsRejected > 0 || summary.errors > 0 || summary.gaps.length > 0) return EXIT_PARTIAL;
  return EXIT_OK;
}
