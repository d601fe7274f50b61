// Audit records from a byte stream in any of the shapes people have them in: one JSON array (a blob
// body, pretty-printed or not), NDJSON with one record per line, or NDJSON with one array per line.
// It streams: an array's elements are handed on as they are parsed, never the whole array. What cannot
// be read is reported with its line number, and reading goes on with the next line.
import { JSONParser } from '@streamparser/json';

export interface InputProblem {
  /** 1-based line of the input. */
  line: number;
  message: string;
}

type Mode =
  | { kind: 'between' }
  | { kind: 'line'; pieces: Buffer[] }
  | { kind: 'array'; parser: JSONParser; startLine: number }
  // After an error inside an array, its remaining lines, up to the next one that starts a new value.
  | { kind: 'skip-array' }
  | { kind: 'skip-line' };

const NEWLINE = 0x0a;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Yields the records (JSON objects) in `input`, a batch per chunk read; `onProblem` hears of each
 * line that held something else.
 */
export async function* readAuditRecords(input: AsyncIterable<Uint8Array>, onProblem: (problem: InputProblem) => void): AsyncGenerator<Record<string, unknown>[]> {
  const reader = new RecordReader(onProblem);
  let first = true;
  for await (const chunk of input) {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (first && bytes.subarray(0, 3).equals(UTF8_BOM)) bytes = bytes.subarray(3);
    first = false;
    reader.read(bytes);
    const records = reader.take();
    if (records.length > 0) yield records;
  }
  reader.finish();
  const records = reader.take();
  if (records.length > 0) yield records;
}

class RecordReader {
  private mode: Mode = { kind: 'between' };
  private line = 1;
  private atLineStart = true;
  private records: Record<string, unknown>[] = [];

  constructor(private readonly onProblem: (problem: InputProblem) => void) {}

  take(): Record<string, unknown>[] {
    const records = this.records;
    this.records = [];
    return records;
  }

  read(bytes: Buffer): void {
    let start = 0;
    while (start < bytes.length) {
      const newline = bytes.indexOf(NEWLINE, start);
      const end = newline < 0 ? bytes.length : newline;
      this.readPiece(bytes.subarray(start, end));
      if (newline < 0) return;
      this.endLine();
      start = newline + 1;
    }
  }

  finish(): void {
    if (this.mode.kind === 'array') this.report(`the input ended inside the array that began on line ${this.mode.startLine}`);
    else this.endLine();
  }

  /** Part of the current line (all of it, unless the line spans chunks). */
  private readPiece(piece: Buffer): void {
    const lineStart = this.atLineStart;
    this.atLineStart = false;
    if (this.mode.kind === 'skip-array') {
      const first = piece[0];
      if (!lineStart || (first !== OPEN_BRACE && first !== OPEN_BRACKET)) return;
      this.mode = { kind: 'between' };
    }
    if (this.mode.kind === 'skip-line') return;
    if (this.mode.kind === 'between') {
      const at = piece.findIndex((byte) => !isWhitespace(byte));
      if (at < 0) return;
      piece = piece.subarray(at);
      this.mode = piece[0] === OPEN_BRACKET ? { kind: 'array', parser: this.arrayParser(), startLine: this.line } : { kind: 'line', pieces: [] };
    }
    if (this.mode.kind === 'line') this.mode.pieces.push(Buffer.from(piece));
    else if (this.mode.kind === 'array') this.mode.parser.write(piece);
  }

  private endLine(): void {
    if (this.mode.kind === 'line') {
      this.readLine(Buffer.concat(this.mode.pieces).toString('utf8'));
      this.mode = { kind: 'between' };
    } else if (this.mode.kind === 'skip-line') {
      this.mode = { kind: 'between' };
    } else if (this.mode.kind === 'array') {
      // A line break inside an array is whitespace; the parser must see it to keep its positions right.
      this.mode.parser.write('\n');
    }
    this.line += 1;
    this.atLineStart = true;
  }

  private readLine(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.report(`not valid JSON (${(error as Error).message})`);
      return;
    }
    if (isRecord(value)) this.records.push(value);
    else this.report(`${kindOf(value)}, not an audit record (a JSON object) or an array of them`);
  }

  private arrayParser(): JSONParser {
    // keepStack: false lets each element go once handed on instead of growing the array in memory.
    const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
    parser.onValue = ({ value, key }) => {
      if (isRecord(value)) this.records.push(value);
      else this.report(`element ${String(key)} of the array is ${kindOf(value)}, not an audit record (a JSON object)`);
    };
    parser.onEnd = () => {
      // Whatever follows the closing bracket on this line is an error the parser reports; then the next line.
      this.mode = { kind: 'skip-line' };
    };
    const startLine = this.line;
    let failed = false;
    parser.onError = (error) => {
      // A parser that failed keeps failing on the rest of what it was given: one report is enough.
      if (failed) return;
      failed = true;
      if (parser.isEnded) {
        this.report("unexpected text after the array's closing bracket");
      } else {
        this.report(`not valid JSON in the array that began on line ${startLine} (${conciseParserError(error.message)}); its remaining lines are skipped`);
        this.mode = { kind: 'skip-array' };
      }
    };
    return parser;
  }

  private report(message: string): void {
    this.onProblem({ line: this.line, message });
  }
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === NEWLINE;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** The parser's message without its byte offsets, which count from the start of a chunk, not the line. */
function conciseParserError(message: string): string {
  return message.replace(/ at chunk position "\d+" \(absolute position "\d+"\)/, '');
}
