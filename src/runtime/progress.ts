// Backfill progress in a terminal: one line per stream every few seconds, with windows done,
// blobs, the delivery rate and an estimate of the time left.
import type { PassProgress } from './stream-pass.js';

export interface ProgressReporter {
  update(stream: string, progress: PassProgress): void;
  finish(): void;
}

export function createProgressReporter(out: NodeJS.WritableStream, everyMs = 2000): ProgressReporter {
  const started = Date.now();
  const latest = new Map<string, PassProgress>();
  const timer = setInterval(() => print(), everyMs);
  timer.unref();

  function print(): void {
    const elapsedS = Math.max(1, (Date.now() - started) / 1000);
    for (const [stream, p] of latest) {
      const rate = p.blobsDone / elapsedS;
      const windowsLeft = p.windowsTotal - p.windowsDone;
      const etaS = p.windowsDone > 0 ? Math.round((elapsedS / p.windowsDone) * windowsLeft) : undefined;
      out.write(
        `${stream}: windows ${p.windowsDone}/${p.windowsTotal}, blobs ${p.blobsDone}/${p.blobsListed}, ` +
          `${rate.toFixed(1)} blobs/s${etaS === undefined ? '' : `, ETA ${etaS}s`}\n`,
      );
    }
  }

  return {
    update: (stream, progress) => {
      latest.set(stream, { ...progress });
    },
    finish: () => {
      clearInterval(timer);
      print();
    },
  };
}
