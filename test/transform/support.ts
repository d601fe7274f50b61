// Shared by the transform tests: the example records (copied from the reference examples) and a way
// to read a document's fields by their dotted ECS names.
import { readFileSync } from 'node:fs';

export const WORKLOADS = ['aad', 'exchange', 'sharepoint', 'general', 'dlp'] as const;
export type Workload = (typeof WORKLOADS)[number];

const FIXTURES = new URL('./fixtures/', import.meta.url);

/** The records of a workload's example blob body (`<workload>.json`). */
export function blobRecords(workload: Workload): Record<string, unknown>[] {
  return JSON.parse(readFileSync(new URL(`${workload}.json`, FIXTURES), 'utf8')) as Record<string, unknown>[];
}

/** The records of a workload's JSON-lines example (`<workload>.jsonl`). */
export function lineRecords(workload: Workload): Record<string, unknown>[] {
  return readFileSync(new URL(`${workload}.jsonl`, FIXTURES), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The value at a dotted path (`event.outcome`), or undefined when any step is missing. */
export function at(source: unknown, path: string): unknown {
  let node = source;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The strings at a dotted path: an array field's items, or a single string. */
export function strings(source: unknown, path: string): string[] {
  const value = at(source, path);
  const items = Array.isArray(value) ? value : [value];
  return items.filter((item): item is string => typeof item === 'string');
}
