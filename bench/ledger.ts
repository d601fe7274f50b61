// How many blob commits per second the ledger sustains on this machine, committing each blob in its own
// transaction and grouped with checkpoint(). Every commit also advances the stream's cursor, as the
// collector does. Run: node --import tsx bench/ledger.ts [seconds per case, default 2]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLedger, type Ledger } from '../src/state/index.js';

const secondsPerCase = Number(process.argv[2] ?? 2);
const stream = { tenantId: '6e1b1bd2-0f4c-4d3b-9d9a-4f6c1f1e2a11', contentType: 'Audit.Exchange' };
const start = Date.UTC(2026, 0, 1);
let sequence = 0;

function commitOne(ledger: Ledger): void {
  const n = sequence++;
  const contentCreated = start + n * 1000;
  ledger.commitBlob({
    stream,
    contentId: `${contentCreated}${n}$${contentCreated}${n}$audit_exchange$Audit_Exchange$emea0036`,
    contentCreated,
    contentExpiration: contentCreated + 7 * 86_400_000,
    records: 50,
    outcome: 'delivered',
  });
  ledger.advanceCursor(stream, contentCreated);
}

function measure(ledger: Ledger, label: string, groupSize: number): void {
  const began = process.hrtime.bigint();
  let blobs = 0;
  let elapsed = 0;
  while (elapsed < secondsPerCase) {
    if (groupSize === 1) commitOne(ledger);
    else ledger.checkpoint(() => { for (let i = 0; i < groupSize; i++) commitOne(ledger); });
    blobs += groupSize;
    elapsed = Number(process.hrtime.bigint() - began) / 1e9;
  }
  console.log(`${label.padEnd(36)} ${Math.round(blobs / elapsed).toLocaleString('en-US').padStart(9)} blob commits/s  (${blobs} in ${elapsed.toFixed(1)} s)`);
}

const directory = mkdtempSync(join(tmpdir(), 'o365-elk-ledger-bench-'));
try {
  const ledger = openLedger(join(directory, 'ledger.db'));
  measure(ledger, 'one transaction per blob', 1);
  measure(ledger, 'checkpoint() of 50 blobs', 50);
  measure(ledger, 'checkpoint() of 500 blobs', 500);
  ledger.close();
} finally {
  rmSync(directory, { recursive: true, force: true });
}
