// `o365-elk demo`: the emulator and the collector together, so a newcomer sees audit events flow
// without a Microsoft tenant. Also what `o365-elk` does when run with no command at all.
import { Command } from 'commander';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import { serveDaemonEndpoints, type DaemonEndpoints } from '../http/index.js';
import { runCollector } from '../runtime/collector.js';
import { acquireLock, LockHeldError, lockLedger, type ProcessLock } from '../state/index.js';
import { createLogger } from '../util/logger.js';
import { demoTimelineStart } from './demo-timeline.js';
import { EXIT_OK } from './fatal.js';

interface DemoOptions {
  dir: string;
  events: number;
  liveRate: number;
  E: string[];
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('run the collector against the built-in emulator of Microsoft 365 (no tenant needed)')
    .option('--dir <dir>', 'working directory for the emulator files, ledger and output', './o365-elk-demo')
    .option('--events <n>', 'backlog of audit records to start with', Number, 2000)
    .option('--live-rate <n>', 'new audit records per minute while it runs', Number, 60)
    .option('-E <key=value>', 'override a collector setting (repeatable)', (v: string, p: string[]) => [...p, v], [])
    .action(async (options: DemoOptions) => process.exit(await runDemo(options)));
}

export async function runDemo(options: DemoOptions): Promise<number> {
  const dir = resolve(options.dir);
  // Held before the emulator starts or any file of the folder is written: a second demo on the folder is
  // refused without disturbing the first.
  const folderLock = lockDemoFolder(dir);
  try {
    return await demoInFolder(dir, options);
  } finally {
    folderLock.release();
  }
}

async function demoInFolder(dir: string, options: DemoOptions): Promise<number> {
  // The emulator (and its PKI and JWT libraries) is loaded only by the commands that serve it, so the
  // collector's own commands do not carry it in memory.
  const { runEmulatorCommand } = await import('../emulator/command.js');
  const emulator = await runEmulatorCommand({
    dir,
    host: '127.0.0.1',
    port: 0,
    seed: 1,
    events: options.events,
    days: 7,
    tenants: 2,
    faults: 'none',
    http: false,
    microsoftHosts: false,
    liveRate: options.liveRate,
    clockSpeed: 1,
    pageSize: 100,
    lowercaseNextPage: false,
    startThrottle: false,
    windowError: 'AF20055',
    startTime: demoTimelineStart(dir),
  });
  let endpoints: DaemonEndpoints | undefined;
  let ledgerLock: ProcessLock | undefined;
  try {
    // The status page is part of the demo; -E http.enabled=false turns it off.
    const config = loadConfig({ file: resolve(dir, 'connector.yml'), overrides: ['poll.interval=15s', 'http.enabled=true', ...options.E] });
    ledgerLock = lockLedger(config.state.path);
    const logger = createLogger({ level: config.logging.level, json: config.logging.json });
    logger.info(
      { emulator: emulator.url, output: config.output.type === 'file' ? config.output.file.path : config.output.type, ledger: config.state.path },
      'demo: collecting audit events from the emulated tenants; press Ctrl+C to stop',
    );
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
    endpoints = await serveDaemonEndpoints(config, logger, { anyPortIfTaken: true });
    const summary = await runCollector(config, logger, { mode: 'run', signal: stop.signal, ...(endpoints ? { metrics: endpoints.metrics, signIns: endpoints.signIns } : {}) });
    logger.info({ recordsDelivered: summary.recordsDelivered, blobsDelivered: summary.blobsDelivered }, 'demo stopped');
  } finally {
    await endpoints?.server.close();
    ledgerLock?.release();
    await emulator.close();
  }
  return EXIT_OK;
}

function lockDemoFolder(dir: string): ProcessLock {
  try {
    return acquireLock(join(dir, 'demo.lock'));
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    const holder = error.holderPid ? ` (pid ${error.holderPid})` : '';
    throw new Error(`the demo folder ${dir} is in use by another o365-elk demo${holder}; stop it or pass --dir with another folder`, { cause: error });
  }
}
