// The MaxMind DB reader that keeps the file on disk: the same answers as the `maxmind` package on the
// packaged DB-IP Lite databases and on written ones (every data type, pointer form, record size and
// tree shape), a one-line refusal of broken files, and a page cache that stays within its bound.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import maxmind, { type Reader, type Response } from 'maxmind';
import { citySource } from '../../src/transform/enrich/geo-databases.js';
import { openGeoLocator } from '../../src/transform/enrich/geoip.js';
import { openMmdbFile, type MmdbFile } from '../../src/transform/enrich/mmdb-file.js';
import type { PageCacheOptions } from '../../src/transform/enrich/paged-file.js';
import { MmdbTyped, writeMmdb, type MmdbNetwork, type MmdbWriterOptions } from './support/mmdb-writer.js';

// A small cache, so that the comparisons also run through many evictions.
const SMALL_CACHE: PageCacheOptions = { cacheBytes: 256 * 1024, pageSize: 1024 };

interface Readers {
  ours: MmdbFile;
  theirs: Reader<Response>;
}

async function openBoth(path: string, cache?: PageCacheOptions): Promise<Readers> {
  return { ours: openMmdbFile(path, cache), theirs: await maxmind.open<Response>(path) };
}

function sameAnswer({ ours, theirs }: Readers, ip: string): unknown {
  const answer = ours.get(ip);
  assert.deepStrictEqual(answer, theirs.get(ip), ip);
  return answer;
}

/** Deterministic pseudo-random 32-bit numbers (mulberry32). */
function randomWords(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const ipv4 = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
const ipv6 = (n: bigint) => Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');

function random128(next: () => number): bigint {
  return [next(), next(), next(), next()].reduce((value, word) => (value << 32n) | BigInt(word), 0n);
}

/** The first and last address of the network `address` falls in, and the addresses either side of it. */
function rangeEdges(reader: Reader<Response>, address: bigint, bits: number, format: (n: bigint) => string): string[] {
  const [, prefix] = reader.getWithPrefixLength(format(address));
  const size = 1n << BigInt(bits - prefix);
  const first = address - (address % size);
  const edges = [first - 1n, first, first + size - 1n, first + size];
  return edges.filter((edge) => edge >= 0n && edge < 1n << BigInt(bits)).map(format);
}

describe('MaxMind DB reader on the packaged DB-IP Lite city databases', () => {
  const files = citySource(undefined);
  if (files.kind !== 'dbip-lite') throw new Error('expected the packaged databases');
  const opened: MmdbFile[] = [];
  after(() => opened.forEach((file) => file.close()));

  async function compare(path: string, addresses: (readers: Readers) => string[]): Promise<void> {
    const readers = await openBoth(path, SMALL_CACHE);
    opened.push(readers.ours);
    const { ours, theirs } = readers;
    assert.deepEqual(ours.metadata, {
      ipVersion: theirs.metadata.ipVersion,
      nodeCount: theirs.metadata.nodeCount,
      recordSize: theirs.metadata.recordSize,
      databaseType: theirs.metadata.databaseType,
    });
    const list = addresses(readers);
    let located = 0;
    for (const ip of list) if (sameAnswer(readers, ip) !== null) located += 1;
    // The comparison means something only if most addresses are in the database.
    assert.ok(located > list.length / 2, `${located} of ${list.length} located`);
  }

  it('answers as the maxmind package for IPv4 addresses: known ones, random ones and range edges', async () => {
    await compare(files.ipv4, ({ theirs }) => {
      const next = randomWords(4);
      const random = Array.from({ length: 3000 }, () => BigInt(next()));
      return [
        ...['8.8.8.8', '1.1.1.1', '81.2.69.143', '0.0.0.0', '255.255.255.255', '10.1.2.3', '127.0.0.1'],
        ...random.map((n) => ipv4(Number(n))),
        ...random.slice(0, 500).flatMap((n) => rangeEdges(theirs, n, 32, (edge) => ipv4(Number(edge)))),
      ];
    });
  });

  it('answers as the maxmind package for IPv6 addresses, and IPv4 ones in the IPv6 tree', async () => {
    await compare(files.ipv6, ({ theirs }) => {
      const next = randomWords(6);
      // Global unicast space (2000::/3), where the database has its networks.
      const random = Array.from({ length: 3000 }, () => (random128(next) & ((1n << 125n) - 1n)) | (1n << 125n));
      return [
        ...['2001:4860:4860::8888', '2606:4700:4700::1111', '2a00:1450:4001::1', '::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '::ffff:8.8.8.8', '2001:200::1'],
        ...random.map(ipv6),
        ...random.slice(0, 500).flatMap((n) => rangeEdges(theirs, n, 128, ipv6)),
        ...Array.from({ length: 300 }, () => ipv4(next())),
      ];
    });
  });

  it('reads no more than the metadata and the top of the tree when it opens', () => {
    const file = openMmdbFile(files.ipv6);
    opened.push(file);
    assert.ok(file.cachedBytes <= 64 * 1024, `${file.cachedBytes} bytes cached`);
  });

  it('keeps its page cache within the bound it was given, however many lookups', () => {
    const bound = 64 * 1024;
    const file = openMmdbFile(files.ipv4, { cacheBytes: bound, pageSize: 1024 });
    opened.push(file);
    const next = randomWords(9);
    let most = 0;
    for (let i = 0; i < 5000; i++) {
      file.get(ipv4(next()));
      most = Math.max(most, file.cachedBytes);
    }
    assert.ok(most <= bound, `${most} bytes cached, above the bound of ${bound}`);
    // Filled up to within a page of the bound: it was the bound, not a lack of lookups, that held it.
    assert.ok(most > bound - 1024 - 8, `only ${most} bytes cached`);
  });
});

describe('MaxMind DB reader on written databases', () => {
  let directory: string;
  const opened: MmdbFile[] = [];
  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'o365-elk-mmdb-'));
  });
  after(() => {
    opened.forEach((file) => file.close());
    rmSync(directory, { recursive: true, force: true });
  });

  async function written(networks: MmdbNetwork[], options?: MmdbWriterOptions, cache?: PageCacheOptions): Promise<Readers> {
    const path = join(directory, `${opened.length}.mmdb`);
    writeMmdb(path, 'Test-DB', networks, options);
    const readers = await openBoth(path, cache);
    opened.push(readers.ours);
    return readers;
  }

  const everyType = {
    text: 'Zürich ✓',
    empty: '',
    double: -3.25,
    bytes: Buffer.from([0, 1, 254, 255]),
    noBytes: Buffer.alloc(0),
    uint16: new MmdbTyped('uint16', 65_535),
    uint16Zero: new MmdbTyped('uint16', 0),
    uint32: 4_294_967_295,
    uint32Small: 7,
    int32Negative: new MmdbTyped('int32', -123_456),
    int32Positive: new MmdbTyped('int32', 300),
    uint64: new MmdbTyped('uint64', 2n ** 64n - 1n),
    uint64Small: new MmdbTyped('uint64', 5n),
    uint128: new MmdbTyped('uint128', 2n ** 128n - 1n),
    uint128Zero: new MmdbTyped('uint128', 0n),
    array: ['a', 1, [true], { nested: false }],
    emptyArray: [],
    map: { inner: { deeper: { deepest: 'yes' } } },
    emptyMap: {},
    yes: true,
    no: false,
    float: 1.5,
    // Each size form of the control byte (the size in 5 bits, or in 1, 2 or 3 more bytes), across pages.
    sizes: [28, 29, 284, 285, 65_820, 65_821, 70_000].map((length) => 'é'.repeat(length / 2) + 'x'.repeat(length % 2)),
  };
  const everyTypeDecoded = {
    ...everyType,
    uint16: 65_535,
    uint16Zero: 0,
    int32Negative: -123_456,
    int32Positive: 300,
    uint64: 2n ** 64n - 1n,
    uint64Small: 5n,
    uint128: 2n ** 128n - 1n,
    uint128Zero: 0n,
  };

  it('decodes every data type as the maxmind package does, with pages large and tiny', async () => {
    for (const cache of [undefined, { cacheBytes: 4096, pageSize: 64 }]) {
      const readers = await written([{ network: '81.2.69.0/24', data: everyType }], {}, cache);
      assert.deepStrictEqual(sameAnswer(readers, '81.2.69.143'), everyTypeDecoded);
    }
  });

  it('follows pointers of each of the four forms', async () => {
    const shared = { country: { iso_code: 'GB', names: { en: 'United Kingdom' } }, tags: ['alpha', 'beta'] };
    const networks: MmdbNetwork[] = [
      { network: '1.0.0.0/24', data: { first: shared, name: 'near' } },
      // Fillers push what follows past the offsets where the 2- and 3-byte pointer forms begin.
      { network: '1.0.1.0/24', data: { filler: 'f'.repeat(3000) } },
      { network: '1.0.2.0/24', data: { second: { city: 'London' }, name: 'middle' } },
      { network: '1.0.3.0/24', data: { filler: 'g'.repeat(600_000) } },
      { network: '1.0.4.0/24', data: { third: { city: 'Leeds' }, name: 'far' } },
      { network: '1.0.5.0/24', data: { again: [shared, { city: 'London' }, { city: 'Leeds' }], names: ['near', 'middle', 'far'] } },
      { network: '1.0.6.0/24', data: { first: shared, name: 'near' } },
    ];
    for (const pointers of ['shortest', 'widest'] as const) {
      const readers = await written(networks, { pointers }, SMALL_CACHE);
      networks.forEach(({ data }, i) => assert.deepStrictEqual(sameAnswer(readers, `1.0.${i}.1`), data));
    }
  });

  it('walks trees of 24-, 28- and 32-bit records, IPv6 and IPv4-only, and answers null outside them', async () => {
    for (const recordSize of [24, 28, 32] as const) {
      for (const ipVersion of [6, 4] as const) {
        const networks: MmdbNetwork[] = [
          { network: '81.2.69.0/24', data: { place: 'London' } },
          { network: '8.8.8.0/24', data: { place: 'Mountain View' } },
          { network: '128.0.0.0/1', data: { place: 'upper half' } },
          ...(ipVersion === 6 ? [{ network: '2a02:ec80::/29', data: { place: 'Germany' } }] : []),
        ];
        const readers = await written(networks, { recordSize, ipVersion });
        const expected: Array<[string, string | undefined]> = [
          ['81.2.69.0', 'London'],
          ['81.2.69.255', 'London'],
          ['81.2.68.255', undefined],
          ['81.2.70.0', undefined],
          ['8.8.8.8', 'Mountain View'],
          ['127.255.255.255', undefined],
          ['128.0.0.0', 'upper half'],
          ['255.255.255.255', 'upper half'],
          ...(ipVersion === 6
            ? ([
                ['2a02:ec80::1', 'Germany'],
                ['2a02:ec87:ffff:ffff:ffff:ffff:ffff:ffff', 'Germany'],
                ['2a02:ec88::', undefined],
                // IPv4 networks live under ::/96, not under the IPv4-mapped ::ffff:0:0/96.
                ['::5102:4501', 'London'],
                ['::ffff:81.2.69.1', undefined],
              ] as Array<[string, string | undefined]>)
            : []),
        ];
        for (const [ip, place] of expected) {
          const answer = sameAnswer(readers, ip) as { place: string } | null;
          assert.equal(answer?.place, place, `${ip} in a ${recordSize}-bit IPv${ipVersion} tree`);
        }
        assert.equal(readers.ours.metadata.recordSize, recordSize);
        assert.equal(readers.ours.metadata.ipVersion, ipVersion);
      }
    }
  });

  it('finds IPv4 addresses when ::/96 leads to data, and none when it leads nowhere', async () => {
    const covering = await written([{ network: '::/64', data: { covering: true } }]);
    assert.deepStrictEqual(sameAnswer(covering, '81.2.69.143'), { covering: true });
    const ipv6Only = await written([{ network: '2a02:ec80::/29', data: { place: 'Germany' } }]);
    assert.equal(sameAnswer(ipv6Only, '81.2.69.143'), null);
  });

  it('refuses an IPv6 address in an IPv4-only database', async () => {
    const { ours } = await written([{ network: '81.2.69.0/24', data: { place: 'London' } }], { ipVersion: 4 });
    assert.throws(() => ours.get('2a02:ec80::1'), /IPv4 database has nothing for the IPv6 address 2a02:ec80::1/);
  });
});

describe('MaxMind DB reader on broken files', () => {
  let directory: string;
  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'o365-elk-mmdb-broken-'));
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  /** What the enricher says when the file is its city database. */
  async function refusal(name: string, write: (path: string) => void): Promise<string> {
    const path = join(directory, name);
    write(path);
    let message: string | undefined;
    await openGeoLocator({ city: { kind: 'mmdb', path } }).catch((error: Error) => (message = error.message));
    assert.ok(message !== undefined, `${name} was opened`);
    assert.ok(message.startsWith(`cannot open the GeoIP city database ${path} (`), message);
    assert.match(message, /— check enrich\.geoip\.city_database, or set enrich\.geoip\.enabled=false$/);
    assert.ok(!message.includes('\n'), message);
    return message;
  }

  const writeValid = (path: string, options?: MmdbWriterOptions) => writeMmdb(path, 'Test-DB', [{ network: '81.2.69.0/24', data: { place: 'London' } }], options);

  it('names the file and says why, for a truncated file, garbage, and metadata it cannot use', async () => {
    const truncated = await refusal('truncated.mmdb', (path) => {
      writeValid(path);
      writeFileSync(path, readFileSync(path).subarray(0, 60));
    });
    assert.match(truncated, /no MaxMind DB metadata/);
    const next = randomWords(13);
    const garbage = await refusal('garbage.mmdb', (path) => writeFileSync(path, Buffer.from(Array.from({ length: 20_000 }, () => next() & 255))));
    assert.match(garbage, /no MaxMind DB metadata/);
    const recordSize = await refusal('record-size.mmdb', (path) => writeValid(path, { metadata: { record_size: new MmdbTyped('uint16', 20) } }));
    assert.match(recordSize, /unsupported search tree record size 20/);
    const version = await refusal('version.mmdb', (path) => writeValid(path, { metadata: { binary_format_major_version: new MmdbTyped('uint16', 1) } }));
    assert.match(version, /MaxMind DB format 1/);
    const tooManyNodes = await refusal('nodes.mmdb', (path) => writeValid(path, { metadata: { node_count: 1_000_000 } }));
    assert.match(tooManyNodes, /search tree of 1000000 nodes does not fit/);
  });

  it('throws, rather than answering garbage, on malformed data: bad types, sizes and pointer loops', () => {
    const path = join(directory, 'malformed-data.mmdb');
    const malformed: Array<[number[], RegExp]> = [
      [[0x00, 0x00], /an extended type of 0/],
      [[0x00, 0x05], /unknown data type 12/],
      [[0x61, 0x00], /a double of 1 bytes, where the format has 8/],
      [[0xc5, 1, 2, 3, 4, 5], /an unsigned integer of 5 bytes/],
      // A pointer to itself.
      [[0x20, 0x00], /nested more than 512 levels/],
    ];
    for (const [bytes, reason] of malformed) {
      // One node, so the data section starts at 6 + 16: there, the string's bytes are overwritten.
      writeMmdb(path, 'Test-DB', [{ network: '0.0.0.0/1', data: 'x'.repeat(16) }], { ipVersion: 4 });
      const file = readFileSync(path);
      file.set(bytes, 6 + 16);
      writeFileSync(path, file);
      const reader = openMmdbFile(path);
      try {
        assert.throws(() => reader.get('1.2.3.4'), reason);
      } finally {
        reader.close();
      }
    }
  });

  it('throws, rather than answering garbage, when the tree points past the end of the file', () => {
    const path = join(directory, 'pointing-past-the-end.mmdb');
    // One node: its left record (0.0.0.0/1) points into the data section; aim it far beyond the file.
    writeMmdb(path, 'Test-DB', [{ network: '0.0.0.0/1', data: { half: 'lower' } }], { ipVersion: 4 });
    const file = readFileSync(path);
    file.writeUIntBE(1 + 16 + 10_000_000, 0, 3);
    writeFileSync(path, file);
    const reader = openMmdbFile(path);
    try {
      assert.throws(() => reader.get('1.2.3.4'), /the file ends at byte \d+, before the 1 bytes wanted at 10000\d{3}/);
      assert.equal(reader.get('200.1.2.3'), null);
    } finally {
      reader.close();
    }
  });
});
