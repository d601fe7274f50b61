// The API's clock as seen through the Date header of its answers. The 7-day listing limit is checked
// against the server's time, so a client whose clock runs behind must not trust its own.

export interface ServerClock {
  /** Records the Date header of an answer received now. */
  observe(dateHeader: string | string[] | undefined): void;
  /** Server time minus local time, milliseconds (0 until an answer carried a Date). */
  skewMs(): number;
  /** The server's current time, epoch milliseconds. */
  now(): number;
}

export function createServerClock(localNow: () => number = Date.now): ServerClock {
  let skew = 0;
  return {
    observe(dateHeader) {
      const text = Array.isArray(dateHeader) ? dateHeader[0] : dateHeader;
      if (!text) return;
      const serverTime = Date.parse(text);
      if (Number.isNaN(serverTime)) return;
      // The header has whole seconds: the server's clock is anywhere in [serverTime, serverTime + 1 s).
      skew = serverTime + 500 - localNow();
    },
    skewMs: () => skew,
    now: () => localNow() + skew,
  };
}
