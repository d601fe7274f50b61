// One pass over a stream (tenant × content type): list every window from the resume point to now,
// deliver each blob not yet in the ledger, then move the cursor — but never past a window whose
// blobs did not all reach the sink.
import { AuthError, ManagementApiError } from '../source/index.js';
import { deliverBlob, type BlobDeliveryContext } from './deliver-blob.js';
import type { Slots } from './slots.js';
import { planWindows, resumePoint, type PassMode } from './windows.js';

export interface StreamPassOptions {
  mode: PassMode;
  /** First-run (or backfill) depth, ms. */
  sinceMs: number;
  /** Live re-list depth, ms: blobs listed late within it are still caught. */
  lookbackMs: number;
  /** Blob fetches in flight for this tenant. */
  slots: Slots;
  /** Stops listing (shutdown begins). */
  listSignal: AbortSignal;
  /** Stops deliveries in flight (the shutdown grace period is over). */
  fetchSignal: AbortSignal;
  onProgress?: (progress: PassProgress) => void;
}

export interface PassProgress {
  windowsDone: number;
  windowsTotal: number;
  blobsListed: number;
  blobsDone: number;
}

export interface PassResult {
  windows: number;
  blobsListed: number;
  blobsSkipped: number;
  failed: boolean;
}

export async function runStreamPass(ctx: BlobDeliveryContext, options: StreamPassOptions): Promise<PassResult> {
  const now = ctx.now() + ctx.client.clockSkewMs();
  const resume = resumePoint({
    cursor: ctx.ledger.getStream(ctx.stream)?.cursor ?? undefined,
    now,
    mode: options.mode,
    sinceMs: options.sinceMs,
    lookbackMs: options.lookbackMs,
  });
  if (resume.gap) {
    ctx.ledger.recordGap(ctx.stream, resume.gap.from, resume.gap.to);
    ctx.stats.gaps.push({ ...ctx.stream, ...resume.gap });
    const from = new Date(resume.gap.from).toISOString();
    const to = new Date(resume.gap.to).toISOString();
    ctx.alerts.raise({
      kind: 'retention_gap',
      tenantId: ctx.stream.tenantId,
      contentType: ctx.stream.contentType,
      message: `retention gap: data between ${from} and ${to} is lost — the connector was down longer than the API's 7-day retention`,
      details: { from, to },
    });
  }
  const windows = planWindows(resume.from, now);
  const progress: PassProgress = { windowsDone: 0, windowsTotal: windows.length, blobsListed: 0, blobsDone: 0 };
  const seen = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let firstFailedWindow: number | undefined;
  let skipped = 0;

  const leaveUnfinished = (windowStart: number): void => {
    firstFailedWindow = Math.min(firstFailedWindow ?? windowStart, windowStart);
  };
  const failWindow = (windowStart: number, error: unknown, what: string, contentId?: string): void => {
    leaveUnfinished(windowStart);
    ctx.stats.errors += 1;
    ctx.logger.warn(
      { tenant: ctx.stream.tenantId, contentType: ctx.stream.contentType, ...(contentId ? { contentId } : {}), err: errorSummary(error) },
      `${what}; it will be retried on the next pass`,
    );
  };

  for (const window of windows) {
    if (options.listSignal.aborted) {
      leaveUnfinished(window.start);
      break;
    }
    try {
      listing: for await (const page of ctx.client.listContent(ctx.stream.contentType, window.start, window.end, options.listSignal)) {
        for (const blob of page) {
          if (seen.has(blob.contentId)) continue;
          seen.add(blob.contentId);
          progress.blobsListed += 1;
          if (ctx.ledger.isDelivered(ctx.stream, blob.contentId)) {
            skipped += 1;
            progress.blobsDone += 1;
            continue;
          }
          await options.slots.acquire();
          // Shutdown began while this waited for a slot: starting a delivery now would only be cut off.
          if (options.listSignal.aborted) {
            options.slots.release();
            leaveUnfinished(window.start);
            break listing;
          }
          let slotHeld = true;
          const releaseSlot = (): void => {
            if (!slotHeld) return;
            slotHeld = false;
            options.slots.release();
          };
          const task = deliverBlob(ctx, blob, options.fetchSignal, releaseSlot)
            .then(
              () => {
                progress.blobsDone += 1;
                options.onProgress?.(progress);
              },
              (error: unknown) => {
                // Cut off by the end of the shutdown grace period: not a failure, the blob is simply fetched next time.
                if (options.fetchSignal.aborted) leaveUnfinished(window.start);
                else failWindow(window.start, error, 'blob not delivered', blob.contentId);
              },
            )
            .finally(() => {
              releaseSlot();
              inFlight.delete(task);
            });
          inFlight.add(task);
        }
      }
    } catch (error) {
      // A listing request cut short by shutdown is no failure: the window is listed again next time.
      if (options.listSignal.aborted) {
        leaveUnfinished(window.start);
        break;
      }
      failWindow(window.start, error, 'listing window not completed');
      if (isStreamFatal(error)) {
        await Promise.all(inFlight);
        throw error;
      }
    }
    progress.windowsDone += 1;
    options.onProgress?.(progress);
  }
  await Promise.all(inFlight);

  const reached = firstFailedWindow ?? now;
  // A first pass stopped inside its first window leaves no cursor: one at the pass's start would sit at
  // the retention edge, and the next run would report the minutes that aged past it as a retention gap.
  const stoppedBeforeProgress = options.listSignal.aborted && reached <= resume.from;
  if (!stoppedBeforeProgress) ctx.ledger.advanceCursor(ctx.stream, reached);
  return { windows: windows.length, blobsListed: progress.blobsListed, blobsSkipped: skipped, failed: firstFailedWindow !== undefined };
}

/** Errors that stop this stream's pass: the stream cannot make progress until something changes. */
function isStreamFatal(error: unknown): boolean {
  if (error instanceof AuthError) return true;
  return error instanceof ManagementApiError && (error.kind === 'fatal' || error.kind === 'tls' || error.kind === 'forbidden');
}

function errorSummary(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
