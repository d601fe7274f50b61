/** A ledger that cannot be opened or used as it is; the message names the file and the fix. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
}
