// `event.outcome` from `ResultStatus`, whose vocabulary depends on the workload: `Succeeded`,
// `PartiallySucceeded`, `Failed` (most), `Success`/`Failure` (Azure AD), `True`/`False` (Exchange admin),
// `TRUE` (Viva Engage). A value outside it means the outcome is unknown; assuming success, as Elastic
// does, would hide failures.

export type Outcome = 'success' | 'failure' | 'unknown';

const OUTCOME_BY_RESULT_STATUS: ReadonlyMap<string, Outcome> = new Map([
  ['succeeded', 'success'],
  ['success', 'success'],
  ['partiallysucceeded', 'success'],
  ['true', 'success'],
  ['failed', 'failure'],
  ['failure', 'failure'],
  ['false', 'failure'],
]);

export function resultStatusOutcome(resultStatus: unknown): Outcome {
  if (typeof resultStatus === 'boolean') return resultStatus ? 'success' : 'failure';
  if (typeof resultStatus !== 'string') return 'unknown';
  return OUTCOME_BY_RESULT_STATUS.get(resultStatus.trim().toLowerCase()) ?? 'unknown';
}
