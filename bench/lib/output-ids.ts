// The distinct audit record Ids in the file sink's NDJSON output (every rotated file of a directory).
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export async function distinctOutputIds(directory: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const files = (await readdir(directory)).filter((name) => name.endsWith('.ndjson'));
  for (const name of files) {
    const lines = createInterface({ input: createReadStream(join(directory, name)), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line === '') continue;
      // event.id is the record's Id, the document id every sink writes by.
      const id = (JSON.parse(line) as { event?: { id?: string } }).event?.id;
      if (id !== undefined) ids.add(id);
    }
  }
  return ids;
}
