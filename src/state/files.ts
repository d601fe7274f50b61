// The ledger names every blob and cursor of the tenant's audit stream, so only its owner may read it:
// the database and SQLite's -wal and -shm companions are kept at mode 0600.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

const COMPANIONS = ['', '-wal', '-shm'];

/** Creates the ledger file (and its directory) owner-only before SQLite opens it. */
export function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
}

/**
 * SQLite gives -wal and -shm the database's mode, so a ledger created by us is private throughout; this
 * tightens a ledger that was created or copied with a looser mode.
 */
export function restrictToOwner(path: string): void {
  for (const file of COMPANIONS.map((suffix) => path + suffix)) {
    if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
}
