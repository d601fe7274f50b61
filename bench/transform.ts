// How many audit records per second the transform stage maps on this machine, over the reference
// example records (every workload, DLP included), with and without event.original. The pipeline needs
// at least 20,000/s. Run: node --import tsx bench/transform.ts [seconds per case, default 2]
import { readFileSync } from 'node:fs';
import { createTransformer, type Transformer } from '../src/transform/index.js';

const secondsPerCase = Number(process.argv[2] ?? 2);
const EXAMPLES = new URL('../test/transform/fixtures', import.meta.url).pathname;
const records: unknown[] = ['aad', 'exchange', 'sharepoint', 'general', 'dlp'].flatMap(
  (name) => JSON.parse(readFileSync(`${EXAMPLES}/${name}.json`, 'utf8')) as unknown[],
);
const context = { tenantId: 'b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd', contentType: 'Audit.General', fallbackTimestamp: Date.UTC(2026, 0, 1) };

// The machine is shared: the rate per CPU second shows what the code does when it has a core to itself.
function measure(label: string, transformer: Transformer): void {
  const began = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  let mapped = 0;
  let elapsed = 0;
  while (elapsed < secondsPerCase) {
    for (const record of records) transformer.transform(record, context);
    mapped += records.length;
    elapsed = Number(process.hrtime.bigint() - began) / 1e9;
  }
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString('en-US').padStart(9);
  console.log(`${label.padEnd(26)} ${rate(mapped, elapsed)} records/s  ${rate(mapped, cpuSeconds)} records per CPU second  (${mapped} in ${elapsed.toFixed(1)} s)`);
}

// Warm-up, so that the first case is not charged with compiling the code.
for (let i = 0; i < 2000; i++) for (const record of records) createTransformer().transform(record, context);

measure('mapping', createTransformer());
measure('mapping + event.original', createTransformer({ keepOriginal: true }));
