// Random access to a file that stays on disk: bytes are read with positional reads, a page at a time,
// into a cache with a fixed bound that forgets the least recently used page first. Reading a large file
// this way costs the bound in memory, not the size of the file (Node cannot memory-map a file).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

// Each page also holds the first bytes of the next one, so that a fixed-size read (a number, a search
// tree node) never straddles two pages.
const SPILL = 8;

export interface PageCacheOptions {
  /** Memory the cached pages may take, at most. */
  cacheBytes: number;
  pageSize: number;
}

export class PagedFile {
  readonly size: number;
  private readonly pageSize: number;
  private readonly slotSize: number;
  // One allocation for every slot: per-page buffers would cost an object and a malloc each.
  private readonly slots: Buffer;
  private readonly slotOfPage = new Map<number, number>();
  private readonly pageInSlot: Float64Array;
  private readonly recency: RecencyList;
  // Successive reads mostly fall in the same page; remembering it spares the Map.
  private recentPage = -1;
  private recentSlotStart = 0;

  constructor(
    private readonly fd: number,
    { cacheBytes, pageSize }: PageCacheOptions,
  ) {
    if (!Number.isInteger(pageSize) || pageSize < SPILL) throw new RangeError(`a page must hold at least ${SPILL} bytes, not ${pageSize}`);
    this.size = fstatSync(fd).size;
    this.pageSize = pageSize;
    this.slotSize = pageSize + SPILL;
    const capacity = Math.max(1, Math.min(Math.floor(cacheBytes / this.slotSize), Math.ceil(this.size / pageSize)));
    this.slots = Buffer.allocUnsafeSlow(capacity * this.slotSize);
    this.pageInSlot = new Float64Array(capacity).fill(-1);
    this.recency = new RecencyList(capacity);
  }

  static open(path: string, options: PageCacheOptions): PagedFile {
    const fd = openSync(path, 'r');
    try {
      return new PagedFile(fd, options);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Memory the pages read so far take; never more than the bound the cache was given. */
  get cachedBytes(): number {
    return this.slotOfPage.size * this.slotSize;
  }

  byteAt(offset: number): number {
    return this.slots[this.locate(offset, 1)] as number;
  }

  /** The big-endian unsigned integer in the `length` (1 to 6) bytes at `offset`. */
  uintAt(offset: number, length: number): number {
    return this.slots.readUIntBE(this.locate(offset, length), length);
  }

  floatAt(offset: number): number {
    return this.slots.readFloatBE(this.locate(offset, 4));
  }

  doubleAt(offset: number): number {
    return this.slots.readDoubleBE(this.locate(offset, 8));
  }

  utf8At(offset: number, length: number): string {
    if (!this.fitsInPage(offset, length)) return this.copyAt(offset, length).toString('utf8');
    const start = this.locate(offset, length);
    return this.slots.toString('utf8', start, start + length);
  }

  /** A copy of the `length` bytes at `offset`, the caller's to keep. */
  copyAt(offset: number, length: number): Buffer {
    if (this.fitsInPage(offset, length)) {
      const start = this.locate(offset, length);
      return Buffer.from(this.slots.subarray(start, start + length));
    }
    this.checkWithinFile(offset, length);
    // Read past the cache: a long value would push out many pages that lookups need more.
    const copy = Buffer.allocUnsafe(length);
    this.readInto(copy, 0, length, offset);
    return copy;
  }

  private fitsInPage(offset: number, length: number): boolean {
    return (offset % this.pageSize) + length <= this.slotSize;
  }

  /** Where in `slots` the byte at `offset` is, with the `length` bytes from it, reading its page if need be. */
  private locate(offset: number, length: number): number {
    this.checkWithinFile(offset, length);
    const page = Math.floor(offset / this.pageSize);
    if (page !== this.recentPage) {
      this.recentSlotStart = this.slotOf(page) * this.slotSize;
      this.recentPage = page;
    }
    return this.recentSlotStart + offset - page * this.pageSize;
  }

  private checkWithinFile(offset: number, length: number): void {
    if (offset + length > this.size) throw new Error(`the file ends at byte ${this.size}, before the ${length} bytes wanted at ${offset}: it is truncated or corrupt`);
  }

  private slotOf(page: number): number {
    const slot = this.slotOfPage.get(page) ?? this.load(page);
    this.recency.use(slot);
    return slot;
  }

  /** Reads a page into the least recently used slot (an empty one while the cache fills); that slot. */
  private load(page: number): number {
    const slot = this.recency.stalest;
    this.slotOfPage.delete(this.pageInSlot[slot] as number);
    this.pageInSlot[slot] = -1;
    // Should the read fail, the slot must not pass for the page it held.
    this.recentPage = -1;
    const start = page * this.pageSize;
    this.readInto(this.slots, slot * this.slotSize, Math.min(this.slotSize, this.size - start), start);
    this.slotOfPage.set(page, slot);
    this.pageInSlot[slot] = page;
    return slot;
  }

  private readInto(buffer: Buffer, at: number, length: number, position: number): void {
    const read = readSync(this.fd, buffer, at, length, position);
    if (read !== length) throw new Error(`the file shrank to less than ${position + length} bytes while it was open`);
  }
}

/**
 * Cache slots from the least to the most recently used, as a doubly linked list in typed arrays, so
 * that marking a slot used allocates nothing. Slots start in order, all unused: the cache fills them
 * before it evicts.
 */
class RecencyList {
  private readonly older: Int32Array;
  private readonly newer: Int32Array;
  private oldest = 0;
  private newest: number;

  constructor(capacity: number) {
    this.older = Int32Array.from({ length: capacity }, (_, slot) => slot - 1);
    this.newer = Int32Array.from({ length: capacity }, (_, slot) => (slot + 1 < capacity ? slot + 1 : -1));
    this.newest = capacity - 1;
  }

  get stalest(): number {
    return this.oldest;
  }

  use(slot: number): void {
    if (slot === this.newest) return;
    const older = this.older[slot] as number;
    const newer = this.newer[slot] as number;
    if (older < 0) this.oldest = newer;
    else this.newer[older] = newer;
    this.older[newer] = older;
    this.older[slot] = this.newest;
    this.newer[slot] = -1;
    this.newer[this.newest] = slot;
    this.newest = slot;
  }
}
