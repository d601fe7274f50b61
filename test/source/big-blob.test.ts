import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { blobFor, contentId, createTestClient } from './support/fake-api.js';

const BODY_BYTES = 100 * 1024 * 1024;

// Serves one ~100 MB JSON array of ~1 KB audit records, generated as it is sent, from a child process so
// that the server's own buffers do not count against the client's heap.
const SERVER = `
const http = require('node:http');
const bodyBytes = Number(process.argv[1]);
const filler = 'x'.repeat(800);
const record = (i) => JSON.stringify({ Id: 'rec-' + i, CreationTime: '2024-01-01T00:00:00', Operation: 'FileAccessed', Workload: 'SharePoint', UserId: 'user' + (i % 97) + '@contoso.onmicrosoft.com', ObjectId: 'https://contoso.sharepoint.com/sites/s/' + filler + i });
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  let sent = 0, i = 0;
  const pump = () => {
    while (sent < bodyBytes) {
      const batch = [];
      for (let k = 0; k < 100; k++) batch.push(record(i++));
      const text = (i === 100 ? '[' : ',') + batch.join(',');
      sent += Buffer.byteLength(text);
      if (!res.write(text)) return res.once('drain', pump);
    }
    res.end(']');
    process.stdout.write('records ' + i + '\\n');
  };
  pump();
});
server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));
`;

async function startBigBlobServer(): Promise<{ url: string; child: ChildProcess; records: Promise<number> }> {
  const child = spawn(process.execPath, ['-e', SERVER, String(BODY_BYTES)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let resolveRecords!: (count: number) => void;
  const records = new Promise<number>((resolve) => (resolveRecords = resolve));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', () => reject(new Error('big blob server exited early')));
    child.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
      const portMatch = /port (\d+)/.exec(output);
      if (portMatch) resolve(Number(portMatch[1]));
      const recordsMatch = /records (\d+)/.exec(output);
      if (recordsMatch) resolveRecords(Number(recordsMatch[1]));
    });
  });
  return { url: `http://127.0.0.1:${port}`, child, records };
}

test('a ~100 MB blob streams through with heap growth far below its size', { timeout: 300_000 }, async () => {
  const { url, child, records } = await startBigBlobServer();
  const { client } = createTestClient(url, { requestTimeoutMs: 60_000 });
  try {
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    let count = 0;
    let lastId: unknown;
    for await (const chunk of client.fetchBlob(blobFor(url, contentId(1)))) {
      count += chunk.length;
      lastId = chunk.at(-1)?.Id;
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    const expected = await records;
    assert.equal(count, expected);
    assert.equal(lastId, `rec-${expected - 1}`);
    const growth = peak - baseline;
    // Buffering the body would cost well over its size (the text plus the parsed objects).
    assert.ok(growth < BODY_BYTES / 3, `heap grew by ${Math.round(growth / 1048576)} MB while streaming ${BODY_BYTES / 1048576} MB`);
  } finally {
    await client.close();
    child.kill();
    await once(child, 'exit');
  }
});
