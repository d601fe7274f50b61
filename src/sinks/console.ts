// Documents as NDJSON on stdout, for piping into other tools. Acknowledged once the stream accepted
// the bytes (stdout has no fsync worth waiting for).
import { once } from 'node:events';
import { createWriteCoalescer } from './coalescer.js';
import type { Sink } from './types.js';

export function createConsoleSink(options: { pretty: boolean; stream?: NodeJS.WritableStream }): Sink {
  const stream = options.stream ?? process.stdout;
  const coalescer = createWriteCoalescer(async (documents) => {
    const text = documents
      .map((d) => `${options.pretty ? JSON.stringify(d.source, null, 2) : JSON.stringify(d.source)}\n`)
      .join('');
    if (!stream.write(text)) await once(stream, 'drain');
    return { duplicates: [], rejected: [] };
  });
  return {
    name: 'console',
    open: async () => {},
    write: coalescer.write,
    close: coalescer.drain,
  };
}
