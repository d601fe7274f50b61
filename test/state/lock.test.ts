// The ledger's lock file: private, exclusive, released on release() (and by the kernel on exit, which
// test/collector/ledger-lock.test.ts checks across processes), and a damaged one is named with its fix.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LedgerError, LedgerInUseError, ledgerLockPath, lockLedger } from '../../src/state/index.js';

const dir = mkdtempSync(join(tmpdir(), 'o365-elk-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the lock file is created mode 0600 beside the ledger, and a ledger locked once cannot be locked again until released', () => {
  const ledger = join(dir, 'nested', 'state.db');
  const lock = lockLedger(ledger);
  assert.equal(lock.path, `${ledger}.lock`);
  assert.equal(statSync(ledgerLockPath(ledger)).mode & 0o777, 0o600);
  assert.throws(() => lockLedger(ledger), (error: unknown) => {
    assert.ok(error instanceof LedgerInUseError);
    assert.equal(error.message, `the ledger ${ledger} is in use by another o365-elk process (pid ${process.pid}); stop it or set state.path to another file`);
    return true;
  });
  lock.release();
  lockLedger(ledger).release();
});

test('a lock file that is not one is refused with the fix', () => {
  const ledger = join(dir, 'damaged.db');
  writeFileSync(ledgerLockPath(ledger), 'not a SQLite file, long enough to have a header of its own: '.repeat(4), { mode: 0o600 });
  assert.throws(() => lockLedger(ledger), (error: unknown) => {
    assert.ok(error instanceof LedgerError);
    assert.match(error.message, new RegExp(`^lock: ${ledger}\\.lock cannot be used as a lock file \\(.+\\) — delete it while no o365-elk runs$`));
    return true;
  });
});
