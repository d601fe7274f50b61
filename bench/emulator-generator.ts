// Benchmark of the emulator's data generator: catalog build time, record generation throughput,
// ground-truth iteration rate and peak memory. Prints figures only.
//   npx tsx bench/emulator-generator.ts --events 1000000 --days 7 [--tenants 2] [--faults realistic] [--seed 1]
import { parseArgs } from 'node:util';
import { createCatalog, groundTruth } from '../src/emulator/catalog/index.js';
import { parseFaults } from '../src/emulator/faults.js';
import { stableGuid } from '../src/emulator/random.js';
import { CONTENT_TYPES, type EmulatedTenant } from '../src/emulator/types.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '7' },
    tenants: { type: 'string', default: '2' },
    faults: { type: 'string', default: 'realistic' },
    seed: { type: 'string', default: '1' },
  },
});
const events = Number(values.events);
const days = Number(values.days);
const seed = Number(values.seed);
const tenants: EmulatedTenant[] = Array.from({ length: Number(values.tenants) }, (_, i) => ({
  tenantId: stableGuid(seed, 'bench tenant', i),
  domain: `tenant${i + 1}.onmicrosoft.com`,
  displayName: `Tenant ${i + 1}`,
  apps: [],
  presubscribed: [...CONTENT_TYPES],
}));
const startTime = Date.now();
const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

let began = process.hrtime.bigint();
const catalog = createCatalog({ seed, tenants, events, days, startTime, faults: parseFaults(values.faults) });
const buildSeconds = seconds(began);

began = process.hrtime.bigint();
let blobs = 0;
let served = 0;
let bytes = 0;
for (const tenant of tenants) {
  for (const contentType of CONTENT_TYPES) {
    for (const blob of catalog.listBlobs(tenant.tenantId, contentType, -Infinity, Infinity, startTime)) {
      const records = catalog.records(blob);
      blobs++;
      served += records.length;
      bytes += Buffer.byteLength(JSON.stringify(records));
    }
  }
}
const generateSeconds = seconds(began);

began = process.hrtime.bigint();
let truth = 0;
for (const _record of groundTruth(catalog, startTime, 'obtainable')) truth++;
const truthSeconds = seconds(began);

const rate = (count: number, time: number): string => Math.round(count / time).toLocaleString('en-US');
console.log(`events ${events.toLocaleString('en-US')} over ${days} d, ${tenants.length} tenants, faults ${values.faults}`);
console.log(`catalog build            ${buildSeconds.toFixed(3)} s`);
console.log(`blobs                    ${blobs.toLocaleString('en-US')} (${served.toLocaleString('en-US')} records served, duplicates included)`);
console.log(`generation               ${rate(served, generateSeconds)} records/s, ${(bytes / 1e6 / generateSeconds).toFixed(1)} MB/s of JSON (${(bytes / 1e6).toFixed(0)} MB in ${generateSeconds.toFixed(1)} s)`);
console.log(`ground truth             ${rate(truth, truthSeconds)} records/s (${truth.toLocaleString('en-US')} distinct records in ${truthSeconds.toFixed(1)} s)`);
console.log(`peak RSS                 ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
