// Benchmark of the emulator's server: `o365-elk emulator` runs as a child process (so its own peak RSS
// can be read from /proc), and a client lists every window of every stream over the 7 days and fetches
// every blob with a few requests in flight. Throttling is off and no fault is injected. Prints figures
// and writes them to bench/results/emulator.json; asserts nothing.
//   npx tsx bench/emulator-server.ts --events 1000000 --days 7 [--tenants 2] [--concurrency 4] [--seed 1] [--http]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { managementToken, startEmulatorProcess, type EmulatorProcess } from '../test/independent-client/emulator-process.js';
import { processCpuSeconds } from './lib/proc.js';

const CONTENT_TYPES = ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'Audit.General', 'DLP.All'];
const DAY_MS = 86_400_000;
const RESULTS = new URL('results/emulator.json', import.meta.url);

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '7' },
    tenants: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '4' },
    http: { type: 'boolean', default: false },
  },
});
const concurrency = Number(values.concurrency);

interface Listing {
  url: string;
  headers: Record<string, string>;
}

/** Peak resident set of a live process, in MB (VmHWM of /proc/<pid>/status). */
function peakRssMb(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmHWM in /proc/${pid}/status: this benchmark needs Linux`);
  return Number(match[1]) / 1024;
}

/** Runs `work` on every item with `concurrency` calls in flight; items may be appended while it runs. */
async function drain<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function listings(emulator: EmulatorProcess): Promise<Listing[]> {
  const now = Date.now();
  const found: Listing[] = [];
  for (const tenant of emulator.tenants) {
    const headers = { Authorization: `Bearer ${await managementToken(emulator, tenant)}` };
    const feed = `${tenant.api_url}/api/v1.0/${tenant.tenant_id}/activity/feed/subscriptions/content`;
    for (const contentType of CONTENT_TYPES) {
      // The whole retention: the service allows a start up to an hour beyond 7 days.
      for (let start = now - 7 * DAY_MS; start < now; start += DAY_MS) {
        const window = `startTime=${apiTime(start)}&endTime=${apiTime(start + DAY_MS)}`;
        found.push({ url: `${feed}?contentType=${contentType}&${window}`, headers });
      }
    }
  }
  return found;
}

function apiTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

async function expectOk(response: Awaited<ReturnType<EmulatorProcess['fetch']>>, what: string): Promise<void> {
  if (response.status !== 200) throw new Error(`${what} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
}

const work = mkdtempSync(join(tmpdir(), 'o365-emulator-bench-'));
const emulatorArgs = [
  '--events', values.events,
  '--days', values.days,
  '--tenants', values.tenants,
  '--seed', values.seed,
  '--faults', 'rate_limit=0',
  ...(values.http ? ['--http'] : []),
];
const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

let began = process.hrtime.bigint();
const emulator = await startEmulatorProcess(join(work, 'emulator'), emulatorArgs);
try {
  const pid = emulator.child.pid ?? 0;
  const startupSeconds = seconds(began);
  const rssAtReadyMb = peakRssMb(pid);
  const loadBefore = loadavg()[0] ?? 0;
  const cpuAtReady = processCpuSeconds(pid);

  began = process.hrtime.bigint();
  const pending = await listings(emulator);
  const blobs: Listing[] = [];
  let pages = 0;
  await drain(pending, async (listing) => {
    const response = await emulator.fetch(listing.url, { headers: listing.headers });
    await expectOk(response, 'a listing');
    pages++;
    for (const entry of (await response.json()) as Array<{ contentUri: string }>) {
      blobs.push({ url: entry.contentUri, headers: listing.headers });
    }
    const next = response.headers.get('NextPageUri');
    if (next) pending.push({ url: next, headers: listing.headers });
  });
  const listingSeconds = seconds(began);

  const blobCount = blobs.length;
  let events = 0;
  let bytes = 0;
  await drain(blobs, async (blob) => {
    const response = await emulator.fetch(blob.url, { headers: blob.headers });
    await expectOk(response, 'a blob');
    const body = Buffer.from(await response.arrayBuffer());
    bytes += body.length;
    events += (JSON.parse(body.toString('utf8')) as unknown[]).length;
  });
  const wallSeconds = seconds(began);
  const peakMb = peakRssMb(pid);
  const servingCpuSeconds = processCpuSeconds(pid) - cpuAtReady;

  const figures = {
    date: new Date().toISOString(),
    node: process.version,
    transport: values.http ? 'http' : 'https',
    events_requested: Number(values.events),
    days: Number(values.days),
    tenants: Number(values.tenants),
    concurrency,
    emulator_startup_s: round(startupSeconds, 2),
    listing_pages: pages,
    listing_s: round(listingSeconds, 2),
    blobs: blobCount,
    events_served: events,
    mb_served: round(bytes / 1e6, 1),
    wall_s: round(wallSeconds, 1),
    events_per_s: Math.round(events / wallSeconds),
    mb_per_s: round(bytes / 1e6 / wallSeconds, 1),
    emulator_cpu_s: round(servingCpuSeconds, 1),
    events_per_emulator_cpu_s: Math.round(events / servingCpuSeconds),
    emulator_rss_at_ready_mb: Math.round(rssAtReadyMb),
    emulator_peak_rss_mb: Math.round(peakMb),
    // Other work on the machine slows the wall-clock figures; CPU per event does not depend on it.
    load_average_1m_before: round(loadBefore, 2),
    load_average_1m_after: round(loadavg()[0] ?? 0, 2),
    cpu_cores: availableParallelism(),
  };
  const count = (n: number): string => n.toLocaleString('en-US');
  console.log(`emulator: ${count(figures.events_requested)} events over ${figures.days} d, ${figures.tenants} tenants, ${figures.transport}, ${concurrency} requests in flight`);
  console.log(`startup (spawn to ready)  ${figures.emulator_startup_s} s`);
  console.log(`listings                  ${count(pages)} pages in ${figures.listing_s} s`);
  console.log(`events served             ${count(events)} in ${count(blobCount)} blobs, ${figures.mb_served} MB`);
  console.log(`wall time                 ${figures.wall_s} s (listings and blobs)`);
  console.log(`throughput                ${count(figures.events_per_s)} events/s, ${figures.mb_per_s} MB/s`);
  console.log(`emulator CPU              ${figures.emulator_cpu_s} s serving, ${count(figures.events_per_emulator_cpu_s)} events per CPU second`);
  console.log(`emulator RSS              ${figures.emulator_rss_at_ready_mb} MB at ready, ${figures.emulator_peak_rss_mb} MB peak (tsx loader included)`);
  console.log(`load average (1 min)      ${figures.load_average_1m_before} before, ${figures.load_average_1m_after} after, ${figures.cpu_cores} cores`);
  mkdirSync(new URL('.', RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(figures, null, 2)}\n`);
} finally {
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
