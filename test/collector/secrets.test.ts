// No secret leaves the collector: a full pass at debug level, with API faults that make it log errors
// and retries, writes neither the client secret, nor the private key, nor any bearer token or client
// assertion — not to its log, its ledger or its output.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCollector } from './support/processes.mjs';
import { startScenario } from './support/scenario.js';

/** Every `length`-character slice of the key's base64 body, so that any fragment of it is caught. */
function keySlices(pem: string, length: number): string[] {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return Array.from({ length: body.length - length + 1 }, (_, start) => body.slice(start, start + length));
}

function assertHoldsNone(where: string, text: string, secrets: readonly string[]): void {
  const found = secrets.filter((secret) => text.includes(secret));
  assert.equal(found.length, 0, `${where} holds ${found.length} secret fragment(s), e.g. ${found[0]?.slice(0, 6)}…`);
}

test('secrets never appear in debug logs, the ledger or the output', async (t) => {
  const { dir, config, outputDir } = await startScenario(t, [
    '--events', '1500', '--faults', 'error_rate=0.05,throttle_rate=0.05,truncate_rate=0.05,malformed_uri_rate=0.1',
  ]);
  const secrets = [
    readFileSync(join(dir, 'tenant-1.secret'), 'utf8').trim(),
    ...keySlices(readFileSync(join(dir, 'tenant-2.key.pem'), 'utf8'), 40),
  ];

  const run = await runCollector({ command: 'once', config, args: ['-E', 'logging.level=debug', '-E', 'logging.json=true'] });

  assert.equal(run.code, 0, run.stderr);
  const log = run.stdout + run.stderr;
  assert.match(log, /management API answered with an error/, 'the faults made the collector log errors');
  assertHoldsNone('the log', log, secrets);
  // Access tokens and client assertions are JWTs, whose base64url header always begins with `eyJ`.
  assert.doesNotMatch(log, /eyJ/);
  assert.doesNotMatch(log, /Bearer\s+\S/i);
  assert.doesNotMatch(log, /client_assertion=/);

  const files = [
    ...readdirSync(dir).filter((name) => name.startsWith('state.db')),
    ...readdirSync(outputDir).map((name) => join('output', name)),
  ];
  assert.ok(files.includes('state.db'));
  for (const file of files) assertHoldsNone(file, readFileSync(join(dir, file), 'latin1'), secrets);
});
