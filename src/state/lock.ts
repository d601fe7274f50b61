// One writer per ledger. Two collectors on one ledger would both list and deliver every blob, so a
// process that writes the ledger first takes an exclusive lock on a lock file beside it and holds it
// until it exits. The lock is SQLite's own fcntl lock (a lock file opened in exclusive locking mode
// and written once): the kernel drops it when the process ends, however it ends, so a killed
// collector never leaves a stale lock behind, and no second process can take it while the holder runs.
import Database, { type Database as SqliteDatabase } from 'better-sqlite3';
import { openSync, readSync, closeSync } from 'node:fs';
import { LedgerError } from './errors.js';
import { createPrivateFile } from './files.js';

/** A lock held by this process; release() gives it up before the process exits. */
export interface ProcessLock {
  readonly path: string;
  release(): void;
}

/** The lock is held by another live process. */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  constructor(
    readonly path: string,
    /** The holder's process id, when it could be read. */
    readonly holderPid: number | undefined,
  ) {
    super(`${path} is held by another process${holderPid ? ` (pid ${holderPid})` : ''}`);
  }
}

/** The ledger is in use by another o365-elk process. */
export class LedgerInUseError extends LedgerError {
  constructor(ledgerPath: string, holderPid: number | undefined) {
    const holder = holderPid ? ` (pid ${holderPid})` : '';
    super(`the ledger ${ledgerPath} is in use by another o365-elk process${holder}; stop it or set state.path to another file`);
  }
}

/** `<ledger>.lock`: the file whose lock says which process writes the ledger. */
export const ledgerLockPath = (ledgerPath: string): string => `${ledgerPath}.lock`;

/** Takes the ledger's lock for the life of this process; throws LedgerInUseError when another process has it. */
export function lockLedger(ledgerPath: string): ProcessLock {
  try {
    return acquireLock(ledgerLockPath(ledgerPath));
  } catch (error) {
    if (error instanceof LockHeldError) throw new LedgerInUseError(ledgerPath, error.holderPid);
    throw error;
  }
}

/** Lock files this process holds. Closing any descriptor of a file drops the process's fcntl locks on it, so this process never opens one of these again. */
const held = new Set<string>();

/** Takes an exclusive lock on `path` (created mode 0600), or throws LockHeldError at once if another process holds it. */
export function acquireLock(path: string): ProcessLock {
  if (held.has(path)) throw new LockHeldError(path, process.pid);
  let db: SqliteDatabase;
  try {
    createPrivateFile(path);
    // timeout 0: a held lock is an answer, not something to wait for.
    db = new Database(path, { fileMustExist: true, timeout: 0 });
  } catch (error) {
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    throw new LedgerError(`lock: ${path} cannot be created or opened (${reason}) — let the user running o365-elk write to its directory`);
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock, and in this locking mode SQLite keeps it until close.
    // user_version carries the holder's pid, where a refused process can read it without the lock.
    db.pragma(`user_version = ${process.pid}`);
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new LockHeldError(path, holderPid(path));
    throw new LedgerError(`lock: ${path} cannot be used as a lock file (${(error as Error).message}) — delete it while no o365-elk runs`);
  }
  held.add(path);
  return { path, release: () => release(path, db) };
}

function release(path: string, db: SqliteDatabase): void {
  if (!db.open) return;
  db.close();
  held.delete(path);
}

/** SQLite keeps user_version at bytes 60–63 of the file header, big-endian; fcntl locks do not stop a plain read. */
function holderPid(path: string): number | undefined {
  const header = Buffer.alloc(64);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (readSync(fd, header, 0, 64, 0) < 64) return undefined;
    const pid = header.readInt32BE(60);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
