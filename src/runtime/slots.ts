// A counting semaphore. Callers wait for a free slot *before* starting work, which is what keeps
// listing from running ahead of fetching, and fetching from running ahead of the sink.
export interface Slots {
  acquire(): Promise<void>;
  release(): void;
  readonly inUse: number;
}

export function createSlots(size: number): Slots {
  let inUse = 0;
  const waiting: (() => void)[] = [];
  return {
    async acquire() {
      if (inUse < size) {
        inUse += 1;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release() {
      const next = waiting.shift();
      // The slot passes straight to the next waiter, so inUse stays the same.
      if (next) next();
      else inUse -= 1;
    },
    get inUse() {
      return inUse;
    },
  };
}
