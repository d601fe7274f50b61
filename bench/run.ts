// `npm run bench -- [--events N] [--tenants T] [--baseline-seconds S] [--only PART]`: runs each part
// of the benchmark, prints its figures as a table and merges them into bench/results/latest.json.
// Parts: collector (see bench/lib/collector-benchmark.ts). bench/results/README.md explains every figure.
import { parseArgs } from 'node:util';
import { runCollectorBenchmark } from './lib/collector-benchmark.js';
import { formatTable, LATEST_RESULTS, mergeResults, type Figures, type TableRow } from './lib/results.js';

interface Settings {
  events: number;
  tenants: number;
  baselineSeconds: number;
  signal: AbortSignal;
}

const PARTS: Record<string, { title: string; run: (settings: Settings, say: (line: string) => void) => Promise<{ figures: Figures; rows: TableRow[] }> }> = {
  collector: { title: 'Collector: draining a backlog from the emulated Management Activity API', run: runCollectorBenchmark },
};

function readSettings(signal: AbortSignal): { settings: Settings; parts: string[] } {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '500000' },
      tenants: { type: 'string', default: '1' },
      'baseline-seconds': { type: 'string', default: '120' },
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
      signal,
    },
    parts: values.only === undefined ? Object.keys(PARTS) : [values.only],
  };
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
