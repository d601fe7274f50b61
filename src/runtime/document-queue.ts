// The bound on documents handed to the output and not yet settled, like Filebeat's memory queue
// (`queue.mem.events`). A blob gives its fetch slot back as soon as it has been read, so the next
// fetches overlap the output's work; this bound is what then keeps fetching from running ahead of the
// output, and memory within a fixed size.
export interface DocumentQueue {
  /** Waits until `count` more documents fit. A batch larger than the whole queue passes when the queue is empty. */
  reserve(count: number): Promise<void>;
  /** Gives back the room of `count` documents that have settled. */
  release(count: number): void;
}

interface Waiter {
  count: number;
  resume: () => void;
}

export function createDocumentQueue(capacity: number): DocumentQueue {
  let queued = 0;
  const waiting: Waiter[] = [];

  const fits = (count: number): boolean => queued === 0 || queued + count <= capacity;

  return {
    async reserve(count) {
      // First come, first served: a large batch is not overtaken for ever by small ones.
      if (waiting.length === 0 && fits(count)) {
        queued += count;
        return;
      }
      await new Promise<void>((resume) => waiting.push({ count, resume }));
    },
    release(count) {
      queued -= count;
      while (waiting.length > 0 && fits((waiting[0] as Waiter).count)) {
        const next = waiting.shift() as Waiter;
        queued += next.count;
        next.resume();
      }
    },
  };
}
