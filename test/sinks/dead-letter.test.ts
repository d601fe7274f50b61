// A document the mapping refuses is kept, not lost: it goes to the dead-letter file with the engine's
// reason, and `replay-dead-letter` indexes it once it has been fixed, leaving only what still fails.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { replayDeadLetter, replayDeadLetterCommand } from '../../src/cli/replay-dead-letter.js';
import type { DeadLetterEntry } from '../../src/sinks/dead-letter.js';
import { createElasticsearchSink, parseIndexTarget } from '../../src/sinks/elasticsearch/index.js';
import { auditDocument } from './support/documents.js';
import { captureLog, elasticsearchConfig, removeTarget, storedDocuments, testEngineUrl, uniqueName } from './support/engine.js';

const GOOD = 'c0c0c0c0-0000-4000-8000-000000000001';
const BAD_IP = 'c0c0c0c0-0000-4000-8000-000000000002';
const BAD_TIME = 'c0c0c0c0-0000-4000-8000-000000000003';

describe('dead-letter file and replay-dead-letter', () => {
  let engine: string;
  let directory: string;
  const index = uniqueName('logs-o365.audit-t');

  before(() => {
    engine = testEngineUrl();
    directory = mkdtempSync(join(tmpdir(), 'o365-elk-dead-letter-'));
  });
  after(async () => {
    await removeTarget(engine, { index, templateName: parseIndexTarget(index).templateName, dataStream: true });
    rmSync(directory, { recursive: true, force: true });
  });

  const readEntries = (path: string): DeadLetterEntry[] =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line));

  it('keeps refused documents with their reason, then replays them once fixed', { timeout: 60_000 }, async () => {
    const deadLetterPath = join(directory, 'state', 'dead-letter.ndjson');
    const { logger, lines } = captureLog();
    const sink = createElasticsearchSink(elasticsearchConfig([engine], index), { logger, defaultDeadLetterPath: deadLetterPath });
    const documents = [
      auditDocument(GOOD, '2025-03-10T09:00:00'),
      auditDocument(BAD_IP, '2025-03-10T09:01:00', { source: { ip: 'not-an-address' } }),
      auditDocument(BAD_TIME, '2025-03-10T09:02:00', { file: { created: 'yesterday' } }),
    ];
    await sink.open();
    try {
      const result = await sink.write(documents);
      assert.equal(result.acknowledged, 1);
      assert.deepEqual(result.rejected.map((r) => r.document.id), [BAD_IP, BAD_TIME]);
      // Elasticsearch 8 and later name the error document_parsing_exception; OpenSearch kept the older name.
      assert.match(result.rejected[0]?.reason ?? '', /(mapper|document)_parsing_exception: (\[\d+:\d+\] )?failed to parse field \[source\.ip\] of type \[ip\]/);
    } finally {
      await sink.close();
    }

    assert.equal(statSync(deadLetterPath).mode & 0o777, 0o600);
    const entries = readEntries(deadLetterPath);
    assert.deepEqual(entries.map((e) => [e.id, e.status, e.index]), [[BAD_IP, 400, index], [BAD_TIME, 400, index]]);
    assert.match(entries[0]?.reason ?? '', /source\.ip/);
    assert.match(entries[1]?.reason ?? '', /file\.created/);
    assert.deepEqual(entries[0]?.document, documents[1]?.source);
    assert.ok(!Number.isNaN(Date.parse(entries[0]?.['@timestamp'] ?? '')));
    assert.deepEqual(lines.filter((line) => line.deadLetterPath === deadLetterPath).map((line) => line.id), [BAD_IP, BAD_TIME]);
    assert.deepEqual([...(await storedDocuments(engine, index)).keys()], [GOOD]);

    // The operator fixes one of the two documents in the file; the other still fails.
    const fixed = entries.map((entry) => (entry.id === BAD_IP ? { ...entry, document: { ...entry.document, source: { ip: '198.51.100.4' } } } : entry));
    writeFileSync(deadLetterPath, fixed.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    const configFile = writeConfig(directory, engine, index);

    const firstReplay = await replayDeadLetter({ file: deadLetterPath, configFile, env: { O365_TEST_SECRET: 'not-used' }, logger });
    assert.deepEqual(firstReplay, { indexed: 1, duplicates: 0, failed: 1 });
    const remaining = readEntries(deadLetterPath);
    assert.deepEqual(remaining.map((e) => e.id), [BAD_TIME]);
    assert.match(remaining[0]?.reason ?? '', /file\.created/);
    assert.notEqual(remaining[0]?.['@timestamp'], entries[1]?.['@timestamp'], 'the entry still failing keeps the time of its first refusal');
    const stored = await storedDocuments(engine, index);
    assert.deepEqual([...stored.keys()].sort(), [GOOD, BAD_IP]);
    assert.deepEqual(stored.get(BAD_IP)?.source, { ip: '198.51.100.4' });

    // Fixed too, and replayed through the command as an operator runs it; the GOOD copy already there
    // counts as present.
    const lastFix = remaining.map((entry) => ({ ...entry, document: { ...entry.document, file: { created: '2025-03-09T08:00:00Z' } } }));
    const duplicateOfGood = { ...remaining[0], id: GOOD, document: documents[0]?.source };
    writeFileSync(deadLetterPath, [...lastFix, duplicateOfGood].map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    const output = await runCommand([deadLetterPath, '-c', configFile, '-E', 'logging.level=error']);
    assert.equal(output.exitCode, 0);
    assert.equal(output.stdout, `replay-dead-letter: 2 lines: 1 indexed, 1 already present, ${deadLetterPath} is now empty\n`);
    assert.equal(readFileSync(deadLetterPath, 'utf8'), '');
    assert.deepEqual([...(await storedDocuments(engine, index)).keys()].sort(), [GOOD, BAD_IP, BAD_TIME]);
  });
});

function writeConfig(directory: string, engine: string, index: string): string {
  const path = join(directory, 'o365-elk.yml');
  writeFileSync(
    path,
    [
      'tenants:',
      '  - tenant_id: 1d1eea54-34a2-4d54-93f8-1be7307db8cb',
      '    client_id: 2e2eea54-34a2-4d54-93f8-1be7307db8cb',
      '    auth: { client_secret_env: O365_TEST_SECRET }',
      'output.elasticsearch:',
      `  hosts: ["${engine}"]`,
      `  index: ${index}`,
      'logging: { json: true }',
      '',
    ].join('\n'),
  );
  return path;
}

async function runCommand(argv: string[]): Promise<{ exitCode: number | undefined; stdout: string }> {
  const previous = { exitCode: process.exitCode, write: process.stdout.write, secret: process.env.O365_TEST_SECRET };
  let stdout = '';
  process.env.O365_TEST_SECRET = 'not-used';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    await replayDeadLetterCommand().parseAsync(argv, { from: 'user' });
    return { exitCode: process.exitCode as number | undefined, stdout };
  } finally {
    process.stdout.write = previous.write;
    process.exitCode = previous.exitCode;
    if (previous.secret === undefined) delete process.env.O365_TEST_SECRET;
    else process.env.O365_TEST_SECRET = previous.secret;
  }
}
