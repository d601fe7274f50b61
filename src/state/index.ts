// The ledger: what has been delivered, where each stream stands, and what was lost to retention.
export { LedgerError } from './errors.js';
export {
  Ledger,
  LedgerReader,
  openLedger,
  type BlobCommit,
  type BlobOutcome,
  type OpenLedgerOptions,
  type RecentDelivery,
  type RetentionGap,
  type Stream,
  type StreamState,
} from './ledger.js';
export { LEDGER_VERSION } from './migrations.js';
export { acquireLock, LedgerInUseError, ledgerLockPath, LockHeldError, lockLedger, type ProcessLock } from './lock.js';
