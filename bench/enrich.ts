// How many audit records per second the transform stage maps with every enricher on (GeoIP on the
// packaged databases, user agent, application names from the built-in table; no Graph), over the
// reference example records. Addresses and user agents repeat in real feeds, so the first case is what
// the caches make of them; the second gives every record an address never seen before.
// Run: node --import tsx bench/enrich.ts [seconds per case, default 2]
import { readFileSync } from 'node:fs';
import { createEnrichment } from '../src/transform/enrich/index.js';
import { createTransformer, type Transformer } from '../src/transform/index.js';
import { createLogger } from '../src/util/logger.js';

const secondsPerCase = Number(process.argv[2] ?? 2);
const EXAMPLES = new URL('../test/transform/fixtures', import.meta.url).pathname;
const records = ['aad', 'exchange', 'sharepoint', 'general', 'dlp'].flatMap(
  (name) => JSON.parse(readFileSync(`${EXAMPLES}/${name}.json`, 'utf8')) as Record<string, unknown>[],
);
const context = { tenantId: 'b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd', contentType: 'Audit.General', fallbackTimestamp: Date.UTC(2026, 0, 1) };

const loadStarted = process.hrtime.bigint();
const enrichment = await createEnrichment(
  { geoip: { enabled: true }, userAgent: { enabled: true }, appNames: { enabled: true, ttlMs: 7 * 86_400_000 }, tenantNames: {} },
  { logger: createLogger({ level: 'warn', json: true }) },
);
const loadSeconds = Number(process.hrtime.bigint() - loadStarted) / 1e9;
console.log(`opening the GeoIP databases took ${loadSeconds.toFixed(1)} s`);

// The machine is shared: the rate per CPU second shows what the code does when it has a core to itself.
function measure(label: string, transformer: Transformer, recordAt: (i: number) => Record<string, unknown>): void {
  const began = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  let mapped = 0;
  let elapsed = 0;
  while (elapsed < secondsPerCase) {
    for (let i = 0; i < 1000; i++) transformer.transform(recordAt(mapped + i), context);
    mapped += 1000;
    elapsed = Number(process.hrtime.bigint() - began) / 1e9;
  }
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString('en-US').padStart(9);
  console.log(`${label.padEnd(34)} ${rate(mapped, elapsed)} records/s  ${rate(mapped, cpuSeconds)} records per CPU second  (${mapped} in ${elapsed.toFixed(1)} s)`);
}

/** A public-looking IPv4 address that no earlier record had (the caches hold 10,000). */
function freshAddress(i: number): string {
  const n = 0x05000000 + i * 7919;
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const plain = createTransformer();
const enriched = createTransformer({ enrichers: enrichment.enrichers });
const example = (i: number) => records[i % records.length] as Record<string, unknown>;
for (let i = 0; i < 2000; i++) enriched.transform(example(i), context);

measure('mapping only', plain, example);
measure('mapping + enrichers', enriched, example);
measure('mapping + enrichers, new addresses', enriched, (i) => ({ ...example(i), ClientIP: freshAddress(i) }));
await enrichment.close();
