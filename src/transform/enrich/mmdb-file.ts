// A MaxMind DB (.mmdb, format 2) that stays on disk: its search tree and data are read through a bounded
// page cache, so a 70 MB database costs the cache, not 70 MB. Answers equal the `maxmind` package's.
// Format: https://maxmind.github.io/MaxMind-DB/
import { ipv4Word, ipv6Words } from './ip-words.js';
import { MmdbDataDecoder } from './mmdb-data.js';
import { PagedFile, type PageCacheOptions } from './paged-file.js';

// 8 MiB keeps the top of the tree and the records in common use. A read costs about the same for 1 KiB
// as for 4 KiB, and 1 KiB pages let more distinct parts of the tree stay: random lookups measured fastest.
const DEFAULT_PAGE_CACHE: PageCacheOptions = { cacheBytes: 8 * 1024 * 1024, pageSize: 1024 };

const METADATA_MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com')]);
const MAX_METADATA_SIZE = 128 * 1024;
const DATA_SECTION_SEPARATOR = 16;

export interface MmdbMetadata {
  ipVersion: 4 | 6;
  nodeCount: number;
  recordSize: 24 | 28 | 32;
  databaseType: string;
}

export interface MmdbFile {
  readonly metadata: MmdbMetadata;
  /** What the database holds for a valid IP address, or `null`. */
  get(ip: string): unknown;
  /** Memory the page cache takes now. */
  readonly cachedBytes: number;
  close(): void;
}

/** The record on one side (0: left, 1: right) of a search tree node. */
type RecordReader = (file: PagedFile, node: number, side: number) => number;

const RECORD_READERS: Record<MmdbMetadata['recordSize'], RecordReader> = {
  24: (file, node, side) => file.uintAt(node * 6 + side * 3, 3),
  // 28-bit records share the middle byte: its high nibble tops the left record, its low nibble the right.
  28: (file, node, side) => {
    const middle = file.byteAt(node * 7 + 3);
    return side === 0 ? ((middle & 0xf0) << 20) + file.uintAt(node * 7, 3) : ((middle & 0x0f) << 24) + file.uintAt(node * 7 + 4, 3);
  },
  32: (file, node, side) => file.uintAt(node * 8 + side * 4, 4),
};

/** Opens a database; throws when the file is not a readable MaxMind DB of format 2. */
export function openMmdbFile(path: string, cache: PageCacheOptions = DEFAULT_PAGE_CACHE): MmdbFile {
  const file = PagedFile.open(path, cache);
  try {
    return new MmdbTree(file);
  } catch (error) {
    file.close();
    throw error;
  }
}

class MmdbTree implements MmdbFile {
  readonly metadata: MmdbMetadata;
  private readonly readRecord: RecordReader;
  private readonly treeSize: number;
  private readonly data: MmdbDataDecoder;
  // An IPv6 tree holds IPv4 addresses under ::/96; their walk starts where those 96 zero bits lead.
  private readonly ipv4Root: number;
  private readonly words = new Uint32Array(4);

  constructor(private readonly file: PagedFile) {
    const metadataStart = findMetadata(file);
    this.metadata = metadataOf(new MmdbDataDecoder(file, metadataStart).valueAt(metadataStart));
    this.readRecord = RECORD_READERS[this.metadata.recordSize];
    this.treeSize = (this.metadata.nodeCount * this.metadata.recordSize) / 4;
    if (this.treeSize + DATA_SECTION_SEPARATOR > metadataStart) throw new Error(`the search tree of ${this.metadata.nodeCount} nodes does not fit before the metadata: the file is truncated or corrupt`);
    this.data = new MmdbDataDecoder(file, this.treeSize + DATA_SECTION_SEPARATOR);
    // No address has been parsed yet: `words` is all zeros, the path to ::/96.
    this.ipv4Root = this.metadata.ipVersion === 4 ? 0 : this.walk(0, 96);
  }

  get cachedBytes(): number {
    return this.file.cachedBytes;
  }

  get(ip: string): unknown {
    const record = this.recordFor(ip);
    // Records past the node numbers point into the data section, counted from the start of the separator.
    return record > this.metadata.nodeCount ? this.data.valueAt(record - this.metadata.nodeCount + this.treeSize) : null;
  }

  close(): void {
    this.file.close();
  }

  private recordFor(ip: string): number {
    if (!ip.includes(':')) {
      ipv4Word(ip, this.words);
      return this.walk(this.ipv4Root, 32);
    }
    if (this.metadata.ipVersion === 4) throw new Error(`an IPv4 database has nothing for the IPv6 address ${ip}`);
    if (!ipv6Words(ip, this.words, 0)) throw new Error(`not an IP address: ${ip}`);
    return this.walk(0, 128);
  }

  /** Follows the first `bits` bits of `words` down from `node`; the record it ends on. */
  private walk(node: number, bits: number): number {
    const { nodeCount } = this.metadata;
    let current = node;
    for (let bit = 0; bit < bits && current < nodeCount; bit++) {
      const side = ((this.words[bit >>> 5] as number) >>> (31 - (bit & 31))) & 1;
      current = this.readRecord(this.file, current, side);
    }
    return current;
  }
}

/** Where the metadata starts: after the last marker, which lies in the file's last 128 KiB. */
function findMetadata(file: PagedFile): number {
  const tailStart = Math.max(0, file.size - MAX_METADATA_SIZE - METADATA_MARKER.length);
  const marker = file.copyAt(tailStart, file.size - tailStart).lastIndexOf(METADATA_MARKER);
  if (marker < 0) throw new Error('no MaxMind DB metadata at the end of the file: it is not a MaxMind DB, or a truncated one');
  return tailStart + marker + METADATA_MARKER.length;
}

function metadataOf(decoded: unknown): MmdbMetadata {
  const fields = (typeof decoded === 'object' && decoded !== null ? decoded : {}) as Record<string, unknown>;
  const { binary_format_major_version: version, ip_version: ipVersion, node_count: nodeCount, record_size: recordSize, database_type: databaseType } = fields;
  if (version !== 2) throw new Error(`MaxMind DB format ${String(version)}, where only format 2 is read`);
  if (recordSize !== 24 && recordSize !== 28 && recordSize !== 32) throw new Error(`unsupported search tree record size ${String(recordSize)} (24, 28 or 32 bits)`);
  if (ipVersion !== 4 && ipVersion !== 6) throw new Error(`unsupported IP version ${String(ipVersion)} in the metadata`);
  if (typeof nodeCount !== 'number' || typeof databaseType !== 'string') throw new Error('the metadata lacks node_count or database_type');
  return { ipVersion, nodeCount, recordSize, databaseType };
}
