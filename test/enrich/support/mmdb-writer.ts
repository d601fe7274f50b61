// Writes a small MaxMind DB (.mmdb) file, the format GeoLite2/GeoIP2 databases use, so that tests can
// give the enricher a database shaped like MaxMind's without shipping MaxMind's data. The file is read
// by the same reader as any real database. Format: https://maxmind.github.io/MaxMind-DB/
import { writeFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';

export interface MmdbNetwork {
  /** `81.2.69.0/24` or `2a02:ec80::/32`; in an IPv6 tree IPv4 networks are stored under ::/96, as MaxMind does. */
  network: string;
  data: unknown;
}

export interface MmdbWriterOptions {
  recordSize?: 24 | 28 | 32;
  /** 6 (the default): IPv4 and IPv6 networks; 4: an IPv4-only tree. */
  ipVersion?: 4 | 6;
  /** Writes a string, map or array met before as a pointer to it, in the shortest form or always the 32-bit one. */
  pointers?: 'shortest' | 'widest';
  /** Metadata fields to add or replace (to write a broken file). */
  metadata?: Record<string, unknown>;
}

/** A number stored as a type that a plain JavaScript value does not choose. */
export class MmdbTyped {
  constructor(
    readonly type: 'uint16' | 'int32' | 'uint64' | 'uint128' | 'float',
    readonly value: number | bigint,
  ) {}
}

type Child = TreeNode | { data: number } | undefined;
interface TreeNode {
  children: [Child, Child];
}

const METADATA_MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com')]);
const POINTER_BIASES = [0, 2048, 526_336, 0];

export function writeMmdb(path: string, databaseType: string, networks: MmdbNetwork[], options: MmdbWriterOptions = {}): void {
  const { recordSize = 24, ipVersion = 6 } = options;
  const data = new DataSection(options.pointers);
  const root: TreeNode = { children: [undefined, undefined] };
  for (const { network, data: value } of networks) insert(root, network, ipVersion, data.add(value));
  const nodes = numberNodes(root);
  const tree = Buffer.alloc((nodes.length * recordSize) / 4);
  nodes.forEach((node, index) => {
    node.children.forEach((child, side) => {
      const value = child === undefined ? nodes.length : 'data' in child ? nodes.length + 16 + child.data : nodes.indexOf(child);
      writeRecord(tree, recordSize, index, side, value);
    });
  });
  const metadata = new DataSection();
  metadata.add({
    binary_format_major_version: new MmdbTyped('uint16', 2),
    binary_format_minor_version: new MmdbTyped('uint16', 0),
    build_epoch: new MmdbTyped('uint64', BigInt(Math.floor(Date.now() / 1000))),
    database_type: databaseType,
    description: { en: 'o365-elk test database' },
    ip_version: new MmdbTyped('uint16', ipVersion),
    languages: ['en'],
    node_count: nodes.length,
    record_size: new MmdbTyped('uint16', recordSize),
    ...options.metadata,
  });
  writeFileSync(path, Buffer.concat([tree, Buffer.alloc(16), ...data.chunks, METADATA_MARKER, ...metadata.chunks]));
}

function writeRecord(tree: Buffer, recordSize: number, node: number, side: number, value: number): void {
  if (recordSize === 24) tree.writeUIntBE(value, node * 6 + side * 3, 3);
  else if (recordSize === 32) tree.writeUInt32BE(value, node * 8 + side * 4);
  else {
    // 28 bits: the middle byte holds the left record's top nibble high, the right record's low.
    const middle = node * 7 + 3;
    tree.writeUIntBE(value & 0xffffff, side === 0 ? node * 7 : middle + 1, 3);
    tree[middle] = (tree[middle] as number) | (side === 0 ? (value >>> 24) << 4 : value >>> 24);
  }
}

function insert(root: TreeNode, network: string, ipVersion: number, dataOffset: number): void {
  const [address = '', prefixText = ''] = network.split('/');
  const v4 = isIPv4(address);
  if (!v4 && ipVersion === 4) throw new Error(`an IPv4 tree cannot hold ${network}`);
  const padding = v4 && ipVersion === 6 ? 96 : 0;
  const bits = [...Array<number>(padding).fill(0), ...addressBits(address)];
  const prefix = Number(prefixText) + padding;
  let node = root;
  for (let depth = 0; depth < prefix - 1; depth++) {
    const side = bits[depth] as 0 | 1;
    const child = node.children[side];
    if (child === undefined || 'data' in child) node.children[side] = { children: [undefined, undefined] };
    node = node.children[side] as TreeNode;
  }
  node.children[bits[prefix - 1] as 0 | 1] = { data: dataOffset };
}

function numberNodes(root: TreeNode): TreeNode[] {
  const nodes: TreeNode[] = [];
  const queue: TreeNode[] = [root];
  while (queue.length > 0) {
    const node = queue.shift() as TreeNode;
    nodes.push(node);
    for (const child of node.children) if (child !== undefined && !('data' in child)) queue.push(child);
  }
  return nodes;
}

function addressBits(address: string): number[] {
  const bytes = isIPv4(address) ? address.split('.').map(Number) : ipv6Bytes(address);
  return bytes.flatMap((byte) => Array.from({ length: 8 }, (_, i) => (byte >> (7 - i)) & 1));
}

function ipv6Bytes(address: string): number[] {
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

/** A data section being written: values appended in order, each at a known offset. */
class DataSection {
  readonly chunks: Buffer[] = [];
  private length = 0;
  private readonly offsets = new Map<string, number>();

  constructor(private readonly pointers?: 'shortest' | 'widest') {}

  /** Appends `value`; the offset it starts at. */
  add(value: unknown): number {
    const offset = this.length;
    this.write(value);
    return offset;
  }

  private write(value: unknown): void {
    const identity = this.pointers === undefined ? undefined : identityOf(value);
    const earlier = identity === undefined ? undefined : this.offsets.get(identity);
    if (earlier !== undefined) return this.push(pointer(earlier, this.pointers === 'widest'));
    if (identity !== undefined) this.offsets.set(identity, this.length);
    if (Array.isArray(value)) {
      this.push(control(11, value.length));
      for (const item of value) this.write(item);
    } else if (isMap(value)) {
      const entries = Object.entries(value);
      this.push(control(7, entries.length));
      for (const [key, item] of entries) {
        this.write(key);
        this.write(item);
      }
    } else this.push(scalar(value));
  }

  private push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && !(value instanceof MmdbTyped);
}

/** Strings, maps and arrays written again become pointers; two are the same when they print the same. */
function identityOf(value: unknown): string | undefined {
  if (typeof value !== 'string' && !isMap(value) && !Array.isArray(value)) return undefined;
  return JSON.stringify(value, (_, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item));
}

function pointer(offset: number, widest: boolean): Buffer {
  // Forms 0, 1 and 2 carry 11, 19 and 27 bits on top of their bias; form 3, 32 bits and no bias.
  const shortest = POINTER_BIASES.findIndex((bias, form) => form < 3 && offset >= bias && offset - bias < 2 ** (8 * form + 11));
  const form = widest || shortest < 0 ? 3 : shortest;
  const value = offset - (POINTER_BIASES[form] as number);
  const length = form + 1;
  // The 32-bit form ignores the control byte's three low bits: set, they check that a reader does too.
  const high = form === 3 ? 0b111 : Math.floor(value / 2 ** (8 * length));
  const bytes = Buffer.alloc(length);
  bytes.writeUIntBE(value % 2 ** (8 * length), 0, length);
  return Buffer.concat([Buffer.from([(1 << 5) | (form << 3) | high]), bytes]);
}

function scalar(value: unknown): Buffer {
  if (typeof value === 'string') return withControl(2, Buffer.from(value, 'utf8'));
  if (Buffer.isBuffer(value)) return withControl(4, value);
  if (typeof value === 'boolean') return control(14, value ? 1 : 0);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return withControl(6, unsignedBytes(BigInt(value)));
  if (typeof value === 'number') {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleBE(value);
    return withControl(3, bytes);
  }
  if (value instanceof MmdbTyped) return typed(value);
  throw new Error(`cannot encode ${String(value)} in a MaxMind DB`);
}

function typed({ type, value }: MmdbTyped): Buffer {
  if (type === 'float') {
    const bytes = Buffer.alloc(4);
    bytes.writeFloatBE(Number(value));
    return withControl(15, bytes);
  }
  if (type === 'int32' && value < 0) {
    const bytes = Buffer.alloc(4);
    bytes.writeInt32BE(Number(value));
    return withControl(8, bytes);
  }
  return withControl({ uint16: 5, int32: 8, uint64: 9, uint128: 10 }[type], unsignedBytes(BigInt(value)));
}

/** The fewest big-endian bytes that hold `value` (none for zero). */
function unsignedBytes(value: bigint): Buffer {
  const bytes: number[] = [];
  for (let rest = value; rest > 0n; rest >>= 8n) bytes.unshift(Number(rest & 0xffn));
  return Buffer.from(bytes);
}

function withControl(type: number, payload: Buffer): Buffer {
  return Buffer.concat([control(type, payload.length), payload]);
}

function control(type: number, size: number): Buffer {
  // Types above 7 (arrays) are "extended": type 0 in the control byte, the rest in the next byte.
  const extended = type > 7;
  let sizeBits: number;
  let sizeBytes: Buffer;
  if (size < 29) [sizeBits, sizeBytes] = [size, Buffer.alloc(0)];
  else if (size < 285) [sizeBits, sizeBytes] = [29, Buffer.from([size - 29])];
  else if (size < 65_821) [sizeBits, sizeBytes] = [30, Buffer.from([(size - 285) >> 8, (size - 285) & 0xff])];
  else [sizeBits, sizeBytes] = [31, Buffer.from([(size - 65_821) >> 16, ((size - 65_821) >> 8) & 0xff, (size - 65_821) & 0xff])];
  const head = extended ? [sizeBits, type - 7] : [(type << 5) | sizeBits];
  return Buffer.concat([Buffer.from(head), sizeBytes]);
}
