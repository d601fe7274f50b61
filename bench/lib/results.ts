// bench/results/latest.json: one flat object shared by every part of the benchmark. Each part merges
// its own keys in, so a run of one part keeps the figures the others wrote.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Figures = Record<string, number | string | boolean | null>;

export const LATEST_RESULTS = fileURLToPath(new URL('../results/latest.json', import.meta.url));

export function mergeResults(figures: Figures, path = LATEST_RESULTS): Figures {
  const previous = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Figures) : {};
  const merged = { ...previous, ...figures };
  // Written aside and renamed, so an interrupted write never leaves half a file for the other parts.
  writeFileSync(`${path}.tmp`, `${JSON.stringify(merged, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  return merged;
}

export interface TableRow {
  label: string;
  value: string;
  note?: string;
}

export function formatTable(title: string, rows: TableRow[]): string {
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  const valueWidth = Math.max(...rows.map((r) => r.value.length));
  const lines = rows.map((r) => `  ${r.label.padEnd(labelWidth)}  ${r.value.padStart(valueWidth)}${r.note ? `  ${r.note}` : ''}`);
  return [title, '-'.repeat(title.length), ...lines].join('\n');
}
