// A bounded memo that forgets the least recently used entry first. Enrichers see the same few
// addresses and user agents over and over, so a small cache saves most lookups and parses.

export class LruCache<K, V> {
  // A Map iterates in insertion order: moving an entry to the end on every hit keeps the stalest first.
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`an LRU cache needs a capacity of at least 1, not ${capacity}`);
  }

  /** The value remembered for `key`, computing and remembering it on a miss (an `undefined` result too). */
  remember(key: K, compute: (key: K) => V): V {
    if (this.entries.has(key)) {
      const value = this.entries.get(key) as V;
      this.entries.delete(key);
      this.entries.set(key, value);
      return value;
    }
    const value = compute(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    return value;
  }
}
