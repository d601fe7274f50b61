// `o365-elk status` as a user runs it, beside a running daemon: it reads the ledger the daemon writes,
// changes nothing, and shows the same data the daemon serves at /api/status.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { request } from 'undici';
import { startCollector } from '../collector/support/processes.mjs';
import { startScenario } from '../collector/support/scenario.js';
import { runCli } from '../http/support/cli.js';
import { waitFor } from '../http/support/emulated.js';

const status = (config: string, args: string[] = []) => runCli(['status', '-c', config, ...args]);

interface StreamJson {
  tenant: string;
  contentType: string;
  cursor: string | null;
  lagSeconds: number | null;
  nextPollAt: string | null;
  lastHour: { blobs: number; events: number };
  total: { events: number };
}

test('status prints every stream while the daemon runs, and --json matches /api/status', async (t) => {
  const { config } = await startScenario(t, ['--events', '500', '--days', '1']);
  const daemon = startCollector({
    command: 'run',
    config,
    args: ['-E', 'http.enabled=true', '-E', 'http.port=0', '-E', 'poll.interval=1h', '-E', 'logging.json=true'],
  });
  t.after(async () => {
    daemon.kill('SIGTERM');
    await daemon.exited;
  });
  let url = '';
  await waitFor(() => {
    url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(daemon.stderr())?.[1] ?? '';
    return url !== '';
  });
  const apiStatus = async () => (await (await request(`${url}/api/status`)).body.json()) as { streams: StreamJson[]; retentionGaps: unknown[] };
  await waitFor(async () => (await apiStatus()).streams.filter((stream) => stream.nextPollAt !== null).length === 10);

  const json = await status(config, ['--json']);
  assert.equal(json.code, 0, json.stderr);
  const fromCommand = JSON.parse(json.stdout) as { streams: StreamJson[]; retentionGaps: unknown[] };
  const fromDaemon = await apiStatus();
  const comparable = (streams: StreamJson[]) => streams.map(({ lagSeconds: _lag, ...rest }) => rest);
  assert.deepEqual(comparable(fromCommand.streams), comparable(fromDaemon.streams));
  assert.deepEqual(fromCommand.retentionGaps, []);
  const delivered = fromCommand.streams.reduce((n, stream) => n + stream.total.events, 0);
  assert.equal(delivered, 500);

  const text = await status(config);
  assert.equal(text.code, 0, text.stderr);
  const lines = text.stdout.split('\n');
  assert.match(lines[0] ?? '', /^Ledger \/.*\/state\.db, as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  assert.match(lines[2] ?? '', /^TENANT\s+CONTENT TYPE\s+CURSOR\s+LAG\s+DELIVERED \(LAST HOUR\)\s+NEXT POLL\s+LAST ERROR$/);
  const rows = lines.slice(3, 13);
  for (const stream of fromCommand.streams) {
    const row = rows.find((line) => line.startsWith(`${stream.tenant} `) && line.includes(` ${stream.contentType} `));
    assert.ok(row, `a row for ${stream.tenant} ${stream.contentType}`);
    const { blobs, events } = stream.lastHour;
    assert.match(row, new RegExp(`${blobs} blobs?, ${events} events?\\s+in (59m|1h)`), 'delivered in the last hour, and the next poll an hour away');
    if (stream.lagSeconds !== null) assert.match(row, /\s\d+[dhms]( \d+[hms])?\s/);
  }
  assert.equal(lines[14], 'Retention gaps: none');
});

test('status without a ledger says to run `once` first and exits 2', async (t) => {
  const { config, ledger } = await startScenario(t, ['--events', '10']);
  const result = await status(config);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, `o365-elk: no ledger at ${ledger} — run \`o365-elk once\` first\n`);
});
