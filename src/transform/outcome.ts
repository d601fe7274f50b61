// `event.outcome` from `ResultStatus`, whose vocabulary depends on the workload: `Succeeded`,
// `PartiallySucceeded`, `Failed` (most), `Success`/`Failure` (Azure AD), `True`/`False` (Exchange admin),
// `TRUE` (Viva Engage). Records without one (SharePoint file operations, Teams) log activities that
// took place: success. A value outside the vocabulary is unknown; counting it a success, as Elastic
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
  if (resultStatus === undefined || resultStatus === null || resultStatus === '') return 'success';
  if (typeof resultStatus === 'boolean') return resultStatus ? 'success' : 'failure';
  if (typeof resultStatus !== 'string') return 'unknown';
  return OUTCOME_BY_RESULT_STATUS.get(resultStatus.trim().toLowerCase()) ?? 'unknown';
}
