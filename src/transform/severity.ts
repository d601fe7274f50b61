// `event.severity` is a number; alerts and DLP rules name their severity. The scale is Elastic's, so
// dashboards built on its integration keep working.

const SEVERITY_BY_NAME: ReadonlyMap<string, number> = new Map([
  ['informational', 1],
  ['low', 2],
  ['medium', 3],
  ['high', 4],
]);

/** The number for a severity name, or undefined for anything else. */
export function severityNumber(value: unknown): number | undefined {
  return typeof value === 'string' ? SEVERITY_BY_NAME.get(value.trim().toLowerCase()) : undefined;
}
