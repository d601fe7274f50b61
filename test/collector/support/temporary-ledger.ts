// A ledger in a fresh directory of its own, closed and removed when the test ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { openLedger, type Ledger } from '../../../src/state/index.js';

export function openTemporaryLedger(t: TestContext, prefix: string): Ledger {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const ledger = openLedger(join(dir, 'state.db'));
  t.after(() => {
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return ledger;
}
