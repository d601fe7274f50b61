// V8 grows the heap up to four times the live data before it collects the old generation, so a
// connector whose live data is some 40 MiB would sit at 250+ MiB of RSS. Letting the heap grow by half
// the live data instead keeps it under 200 MiB for about a tenth more CPU. The maximum heap is left
// alone: this changes how often V8 collects, never whether the process may run out of memory.
import { setFlagsFromString } from 'node:v8';

const FLAG = '--heap-growing-percent';
const HEAP_GROWING_PERCENT = 50;

/** Applies the policy unless the user chose the flag in NODE_OPTIONS or on node's command line. */
export function applyGcPolicy(): void {
  const chosen = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => arg.startsWith(FLAG) || arg.startsWith('--heap_growing_percent'));
  if (!chosen) setFlagsFromString(`${FLAG}=${HEAP_GROWING_PERCENT}`);
}
