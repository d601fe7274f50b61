// Commits blobs to the ledger at argv[2] until a commit fails, printing one JSON line per commit:
// {"contentId"} when it was stored, {"contentId","error"} for the one that failed. Run under a file size
// limit, it shows what the ledger does on a full disk.
import { openLedger } from '../../../src/state/index.js';

const ledger = openLedger(process.argv[2]!);
const stream = { tenantId: '6e1b1bd2-0f4c-4d3b-9d9a-4f6c1f1e2a11', contentType: 'Audit.Exchange' };
const created = Date.UTC(2026, 5, 1);
for (let n = 0; n < 100_000; n++) {
  // Long ids make each commit write more, so the limit is reached after a few hundred commits.
  const contentId = `${String(n).padStart(8, '0')}$${'x'.repeat(400)}`;
  try {
    ledger.commitBlob({ stream, contentId, contentCreated: created + n, contentExpiration: created + n + 7 * 86_400_000, records: 1, outcome: 'delivered' });
    process.stdout.write(`${JSON.stringify({ contentId })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ contentId, error: (error as Error).message })}\n`);
    break;
  }
}
