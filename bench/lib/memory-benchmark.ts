// The memory benchmark: the collector's peak RSS in the configurations users run, each draining the
// same emulated backlog (realistic faults) with a fresh ledger: the default (GeoIP on when its
// databases are installed), GeoIP off, and the default under the heap cap the packaged systemd unit
// and Docker image set.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCollectorOnce } from './collector-process.js';
import { compileAndStartEmulator } from './setup.js';
import type { EmulatorProcess } from './emulator-process.js';
import type { Figures, TableRow } from './results.js';

export interface MemoryBenchmarkOptions {
  /** Backlog of each drain. */
  rssEvents: number;
  tenants: number;
  signal: AbortSignal;
}

const FAULTS = 'realistic';
/** The heap cap of deploy/ (systemd unit) and the Dockerfile. */
export const PACKAGED_NODE_OPTIONS = '--max-old-space-size=128';

const VARIANTS = [
  { key: 'peak_rss_mb_geoip', label: 'default (GeoIP on)', settings: [] as string[], env: {} },
  { key: 'peak_rss_mb_no_geoip', label: 'enrich.geoip.enabled=false', settings: ['enrich.geoip.enabled=false'], env: {} },
  {
    key: 'peak_rss_mb_packaged',
    label: `default, NODE_OPTIONS=${PACKAGED_NODE_OPTIONS}`,
    settings: [] as string[],
    env: { NODE_OPTIONS: PACKAGED_NODE_OPTIONS },
  },
];

export async function runMemoryBenchmark(options: MemoryBenchmarkOptions, say: (line: string) => void): Promise<{ figures: Figures; rows: TableRow[] }> {
  const workDir = mkdtempSync(join(tmpdir(), 'o365-elk-bench-memory-'));
  const loadBefore = loadavg()[0]!;
  let emulator: EmulatorProcess | undefined;
  try {
    const started = await compileAndStartEmulator(workDir, { events: options.rssEvents, tenants: options.tenants, faults: FAULTS }, options.signal, say);
    const { cli } = started;
    emulator = started.emulator;
    const figures: Figures = { rss_events: options.rssEvents };
    const rows: TableRow[] = [{ label: 'backlog', value: options.rssEvents.toLocaleString('en-US'), note: `events per drain, faults=${FAULTS}, a fresh ledger each` }];
    for (const variant of VARIANTS) {
      say(`draining it with ${variant.label}`);
      const dir = join(workDir, variant.key);
      mkdirSync(dir);
      const drain = await runCollectorOnce({
        cli,
        configPath: join(emulator.dir, 'connector.yml'),
        workDir: dir,
        settings: variant.settings,
        env: variant.env,
        signal: options.signal,
      });
      rmSync(drain.outputDir, { recursive: true, force: true });
      figures[variant.key] = Math.round(drain.peakRssMib * 10) / 10;
      rows.push({
        label: variant.label,
        value: `${figures[variant.key]} MiB`,
        note: `drained in ${drain.wallSeconds.toFixed(1)} s, exit code ${drain.exitCode}`,
      });
    }
    figures.rss_load_average_1m_before = Math.round(loadBefore * 100) / 100;
    figures.rss_load_average_1m_after = Math.round(loadavg()[0]! * 100) / 100;
    rows.push({ label: 'machine load (1 min)', value: `${figures.rss_load_average_1m_before} → ${figures.rss_load_average_1m_after}` });
    return { figures, rows };
  } finally {
    await emulator?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
