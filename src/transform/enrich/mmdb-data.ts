// Values in the data section (and the metadata) of a MaxMind DB file, decoded as the `maxmind` package
// decodes them: maps as plain objects, uint64 and uint128 as bigints, bytes as a Buffer.
// Format: https://maxmind.github.io/MaxMind-DB/#output-data-section
import type { PagedFile } from './paged-file.js';

const EXTENDED = 0;
const POINTER = 1;
const UTF8_STRING = 2;
const DOUBLE = 3;
const BYTES = 4;
const UINT16 = 5;
const UINT32 = 6;
const MAP = 7;
const INT32 = 8;
const UINT64 = 9;
const UINT128 = 10;
const ARRAY = 11;
const BOOLEAN = 14;
const FLOAT = 15;

/** What the 1, 2 or 3 bytes after a size of 29, 30 or 31 in the control byte are added to. */
const SIZE_BASES = [0, 29, 285, 65_821];
/** What a pointer of each of the four forms adds to its value, so that no two forms overlap. */
const POINTER_BIASES = [0, 2048, 526_336, 0];
// Real databases nest a few levels; a structure nested deeper is a loop through pointers (which a
// malformed file can make, pointers to pointers included).
const MAX_DEPTH = 512;

export class MmdbDataDecoder {
  private position = 0;

  /** `pointerBase`: where pointers count from (the data section's start, or the metadata's). */
  constructor(
    private readonly file: PagedFile,
    private readonly pointerBase: number,
  ) {}

  valueAt(offset: number): unknown {
    this.position = offset;
    return this.nextValue(0);
  }

  private nextValue(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new Error(`data nested more than ${MAX_DEPTH} levels deep at byte ${this.position}`);
    const control = this.nextByte();
    if (control >>> 5 === POINTER) return this.pointedValue(control, depth);
    const type = control >>> 5 === EXTENDED ? this.nextExtendedType() : control >>> 5;
    const size = this.nextSize(control & 0x1f);
    switch (type) {
      case UTF8_STRING:
        return this.file.utf8At(this.skip(size), size);
      case DOUBLE:
        return this.file.doubleAt(this.skip(exactSize(size, 8, 'a double')));
      case BYTES:
        return this.file.copyAt(this.skip(size), size);
      case UINT16:
        return this.nextUnsigned(size, 2);
      case UINT32:
        return this.nextUnsigned(size, 4);
      case MAP:
        return this.nextMap(size, depth);
      case INT32:
        return this.nextInt32(size);
      case UINT64:
        return this.nextBigUnsigned(size, 8);
      case UINT128:
        return this.nextBigUnsigned(size, 16);
      case ARRAY:
        return Array.from({ length: size }, () => this.nextValue(depth + 1));
      case BOOLEAN:
        return sizeAtMost(size, 1, 'a boolean') === 1;
      case FLOAT:
        return this.file.floatAt(this.skip(exactSize(size, 4, 'a float')));
    }
    throw new Error(`unknown data type ${type} at byte ${this.position}`);
  }

  private nextByte(): number {
    return this.file.byteAt(this.position++);
  }

  /** Types past 7 take a second byte, which counts from 8: a 0 there would pass for a map. */
  private nextExtendedType(): number {
    const type = 7 + this.nextByte();
    if (type === MAP) throw new Error(`an extended type of 0 at byte ${this.position - 1}`);
    return type;
  }

  private nextSize(sizeBits: number): number {
    if (sizeBits < 29) return sizeBits;
    const length = sizeBits - 28;
    const size = (SIZE_BASES[length] as number) + this.file.uintAt(this.position, length);
    this.position += length;
    return size;
  }

  /** Moves past a payload of `size` bytes; where it starts. */
  private skip(size: number): number {
    const start = this.position;
    this.position += size;
    return start;
  }

  private pointedValue(control: number, depth: number): unknown {
    const form = (control >>> 3) & 3;
    const length = form + 1;
    // The three low bits of the control byte are the pointer's high bits, except in the 32-bit form.
    const high = form === 3 ? 0 : (control & 7) * 2 ** (8 * length);
    const target = this.pointerBase + (POINTER_BIASES[form] as number) + high + this.file.uintAt(this.position, length);
    const resume = this.position + length;
    this.position = target;
    const value = this.nextValue(depth + 1);
    this.position = resume;
    return value;
  }

  private nextMap(size: number, depth: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (let i = 0; i < size; i++) {
      const key = this.nextValue(depth + 1);
      if (typeof key !== 'string') throw new Error(`a map key that is not a string before byte ${this.position}`);
      map[key] = this.nextValue(depth + 1);
    }
    return map;
  }

  private nextUnsigned(size: number, maxSize: number): number {
    return size === 0 ? 0 : this.file.uintAt(this.skip(sizeAtMost(size, maxSize, 'an unsigned integer')), size);
  }

  private nextInt32(size: number): number {
    // Fewer than four bytes hold a positive number; a negative one always takes all four.
    const value = this.nextUnsigned(size, 4);
    return size === 4 ? value | 0 : value;
  }

  private nextBigUnsigned(size: number, maxSize: number): bigint {
    sizeAtMost(size, maxSize, 'an unsigned integer');
    let value = 0n;
    for (let i = 0; i < size; i++) value = (value << 8n) | BigInt(this.nextByte());
    return value;
  }
}

function exactSize(size: number, expected: number, type: string): number {
  if (size !== expected) throw new Error(`${type} of ${size} bytes, where the format has ${expected}`);
  return size;
}

function sizeAtMost(size: number, max: number, type: string): number {
  if (size > max) throw new Error(`${type} of ${size} bytes, where the format allows at most ${max}`);
  return size;
}
