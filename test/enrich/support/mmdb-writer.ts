// Writes a small MaxMind DB (.mmdb) file, the format GeoLite2/GeoIP2 databases use, so that tests can
// give the enricher a database shaped like MaxMind's without shipping MaxMind's data. The file is read
// by the same reader as any real database. Format: https://maxmind.github.io/MaxMind-DB/
import { writeFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';

export interface MmdbNetwork {
  /** `81.2.69.0/24` or `2a02:ec80::/32`; IPv4 networks are stored under ::/96, as MaxMind does. */
  network: string;
  data: Record<string, unknown>;
}

type Child = TreeNode | { data: number } | undefined;
interface TreeNode {
  children: [Child, Child];
}

const RECORD_SIZE = 24;
const METADATA_MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com')]);

export function writeMmdb(path: string, databaseType: string, networks: MmdbNetwork[]): void {
  const dataChunks: Buffer[] = [];
  let dataLength = 0;
  const root: TreeNode = { children: [undefined, undefined] };
  for (const { network, data } of networks) {
    const encoded = encode(data);
    insert(root, network, dataLength);
    dataChunks.push(encoded);
    dataLength += encoded.length;
  }
  const nodes = numberNodes(root);
  const tree = Buffer.alloc(nodes.length * 6);
  nodes.forEach((node, index) => {
    node.children.forEach((child, side) => {
      const value = child === undefined ? nodes.length : 'data' in child ? nodes.length + 16 + child.data : nodes.indexOf(child);
      tree.writeUIntBE(value, index * 6 + side * 3, 3);
    });
  });
  const metadata = encode({
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: Math.floor(Date.now() / 1000),
    database_type: databaseType,
    description: { en: 'o365-elk test database' },
    ip_version: 6,
    languages: ['en'],
    node_count: nodes.length,
    record_size: RECORD_SIZE,
  });
  writeFileSync(path, Buffer.concat([tree, Buffer.alloc(16), ...dataChunks, METADATA_MARKER, metadata]));
}

function insert(root: TreeNode, network: string, dataOffset: number): void {
  const [address = '', prefixText = ''] = network.split('/');
  const v4 = isIPv4(address);
  const bits = [...(v4 ? Array<number>(96).fill(0) : []), ...addressBits(address)];
  const prefix = Number(prefixText) + (v4 ? 96 : 0);
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

/** The data section's encoding of maps, arrays, UTF-8 strings, doubles and unsigned integers. */
function encode(value: unknown): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, bytes.length), bytes]);
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(value);
    const minimal = bytes.subarray(bytes.findIndex((byte) => byte !== 0) < 0 ? 4 : bytes.findIndex((byte) => byte !== 0));
    return Buffer.concat([control(6, minimal.length), minimal]);
  }
  if (typeof value === 'number') {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleBE(value);
    return Buffer.concat([control(3, 8), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map(encode)]);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    return Buffer.concat([control(7, entries.length), ...entries.flatMap(([key, item]) => [encode(key), encode(item)])]);
  }
  throw new Error(`cannot encode ${String(value)} in a MaxMind DB`);
}

function control(type: number, size: number): Buffer {
  // Types above 7 (arrays) are "extended": type 0 in the control byte, the rest in the next byte.
  const extended = type > 7;
  const head: number[] = [];
  let sizeBits: number;
  let sizeBytes: number[] = [];
  if (size < 29) sizeBits = size;
  else if (size < 285) [sizeBits, sizeBytes] = [29, [size - 29]];
  else [sizeBits, sizeBytes] = [30, [(size - 285) >> 8, (size - 285) & 0xff]];
  head.push(((extended ? 0 : type) << 5) | sizeBits);
  if (extended) head.push(type - 7);
  return Buffer.from([...head, ...sizeBytes]);
}
