// `npm run bench -- [--events N] [--tenants T] [--baseline-seconds S] [--rss-events N] [--engine URL]
// [--sink-setting KEY=VALUE ...] [--only PART]`: runs each part of the benchmark, prints its figures as a table and merges them into
// bench/results/latest.json. Parts: collector (bench/lib/collector-benchmark.ts), memory
// (bench/lib/memory-benchmark.ts), engine (bench/lib/engine-benchmark.ts). bench/results/README.md
// explains every figure.
import { parseArgs } from 'node:util';
import { runCollectorBenchmark } from './lib/collector-benchmark.js';
import { runEngineBenchmark } from './lib/engine-benchmark.js';
import { runMemoryBenchmark } from './lib/memory-benchmark.js';
import { formatTable, LATEST_RESULTS, mergeResults, type Figures, type TableRow } from './lib/results.js';

interface Settings {
  events: number;
  tenants: number;
  baselineSeconds: number;
  rssEvents: number;
  engineUrl?: string;
  sinkSettings: string[];
  signal: AbortSignal;
}

const PARTS: Record<string, { title: string; run: (settings: Settings, say: (line: string) => void) => Promise<{ figures: Figures; rows: TableRow[] }> }> = {
  collector: { title: 'Collector: draining a backlog from the emulated Management Activity API', run: runCollectorBenchmark },
  memory: { title: "Memory: the collector's peak RSS in the configurations users run", run: runMemoryBenchmark },
  engine: { title: 'Engine: the Elasticsearch/OpenSearch output against the raw _bulk ceiling', run: runEngineBenchmark },
};

function readSettings(signal: AbortSignal): { settings: Settings; parts: string[] } {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '500000' },
      tenants: { type: 'string', default: '1' },
      'baseline-seconds': { type: 'string', default: '120' },
      'rss-events': { type: 'string', default: '100000' },
      engine: { type: 'string' },
      'sink-setting': { type: 'string', multiple: true, default: [] },
      only: { type: 'string' },
    },
  });
  const whole = (name: string, raw: string, min: number): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} takes a whole number of at least ${min}, not "${raw}"`);
    return value;
  };
  if (values.only !== undefined && !(values.only in PARTS)) {
    throw new Error(`--only ${values.only}: unknown part; use one of ${Object.keys(PARTS).join(', ')}`);
  }
  return {
    settings: {
      events: whole('events', values.events, 1),
      tenants: whole('tenants', values.tenants, 1),
      baselineSeconds: whole('baseline-seconds', values['baseline-seconds'], 1),
      rssEvents: whole('rss-events', values['rss-events'], 1),
      ...(values.engine === undefined ? {} : { engineUrl: engineUrl(values.engine) }),
      sinkSettings: values['sink-setting'].map(sinkSetting),
      signal,
    },
    parts: values.only === undefined ? Object.keys(PARTS) : [values.only],
  };
}

function sinkSetting(raw: string): string {
  if (!/^[a-z_.]+=./.test(raw)) throw new Error(`--sink-setting ${raw}: write it as key=value, as with -E (e.g. api.max_concurrency=32)`);
  return raw;
}

function engineUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`--engine ${raw}: not a URL; give the engine's base URL, e.g. http://127.0.0.1:9200`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--engine ${raw}: use an http:// or https:// URL`);
  return url.origin;
}

async function main(): Promise<void> {
  const say = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const interrupt = new AbortController();
  const onSignal = (): void => {
    say('interrupted: stopping the emulator and the collector, removing temporary files');
    interrupt.abort(new Error('interrupted'));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const { settings, parts } = readSettings(interrupt.signal);
  for (const name of parts) {
    const part = PARTS[name]!;
    const { figures, rows } = await part.run(settings, say);
    mergeResults({ ...figures, date: new Date().toISOString(), node_version: process.version });
    process.stdout.write(`\n${formatTable(part.title, rows)}\n\n`);
  }
  say(`figures merged into ${LATEST_RESULTS}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
