// Run by the full-disk tests, usually under a file size limit: hands numbered batches of documents to
// the file output or the dead-letter file, one batch after the other, and prints one JSON line per
// batch — its ids, and the error if it was not acknowledged.
import { createDeadLetterFile } from '../../../src/sinks/dead-letter.js';
import { createFileSink } from '../../../src/sinks/file.js';

const [target, path, firstText, lastText] = process.argv.slice(2);
const DOCUMENTS_PER_BATCH = 7;
const PADDING = 'x'.repeat(600);

type Append = (ids: string[]) => Promise<unknown>;

async function openTarget(): Promise<{ append: Append; close: () => Promise<void> }> {
  if (target === 'file') {
    const sink = createFileSink({ path: path!, filename: 'o365-elk', rotateEveryBytes: 1 << 30, numberOfFiles: 7 });
    await sink.open();
    return {
      append: (ids) => sink.write(ids.map((id) => ({ id, timestamp: 0, source: { event: { id }, message: PADDING } }))),
      close: () => sink.close(),
    };
  }
  const file = createDeadLetterFile(path!);
  return {
    append: (ids) =>
      file.append(ids.map((id) => ({ '@timestamp': new Date(0).toISOString(), reason: 'refused', status: 400, index: 'logs', id, document: { event: { id }, message: PADDING } }))),
    close: async () => {},
  };
}

const output = await openTarget();
for (let batch = Number(firstText); batch <= Number(lastText); batch++) {
  const ids = Array.from({ length: DOCUMENTS_PER_BATCH }, (_, n) => `${batch}-${n}`);
  try {
    await output.append(ids);
    process.stdout.write(`${JSON.stringify({ ids })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ ids, error: (error as Error).message })}\n`);
  }
}
await output.close();
