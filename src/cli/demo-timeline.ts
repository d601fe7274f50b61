// Where the demo's emulated history begins. The emulator derives every blob and record from its seed,
// its settings and the end of its backlog; the demo keeps that moment in its folder, so a restarted demo
// serves the same contentIds and records as before, the ledger recognises what was delivered, and the
// output gains no duplicates. The time the demo was stopped shows up as live content, as in a tenant.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from '../util/private-file.js';

const FILE = 'emulator-timeline.json';

/** The backlog's end recorded in `dir`, or now, recorded there for the next start. */
export function demoTimelineStart(dir: string, now: number = Date.now()): number {
  const path = join(dir, FILE);
  if (!existsSync(path)) {
    writePrivateFile(path, `${JSON.stringify({ startTime: new Date(now).toISOString() })}\n`);
    return now;
  }
  let startTime = Number.NaN;
  try {
    startTime = Date.parse(String((JSON.parse(readFileSync(path, 'utf8')) as { startTime?: unknown }).startTime));
  } catch {
    // Reported below with the fix.
  }
  if (Number.isNaN(startTime)) {
    throw new Error(`demo: ${path} does not hold the demo's start time — delete it (with state.db and output/) to start the demo afresh`);
  }
  return startTime;
}
