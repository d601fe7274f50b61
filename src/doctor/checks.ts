// One row of `o365-elk doctor`: what was checked, how it went, and for a failure or warning, the fix.

export type CheckStatus = 'PASS' | 'WARN' | 'FAIL';

export interface CheckResult {
  status: CheckStatus;
  check: string;
  detail: string;
  fix?: string;
}

export const pass = (check: string, detail: string): CheckResult => ({ status: 'PASS', check, detail });
export const warn = (check: string, detail: string, fix?: string): CheckResult => ({ status: 'WARN', check, detail, ...(fix ? { fix } : {}) });
export const fail = (check: string, detail: string, fix?: string): CheckResult => ({ status: 'FAIL', check, detail, ...(fix ? { fix } : {}) });

/**
 * Splits o365-elk's one-line errors, written "problem — fix", into the two parts the table shows.
 * A message without the separator is all problem.
 */
export function problemAndFix(message: string): { problem: string; fix?: string } {
  const separator = message.indexOf(' — ');
  if (separator < 0) return { problem: message };
  return { problem: message.slice(0, separator), fix: message.slice(separator + 3) };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
