// `o365-elk transform` as a user runs it: a child process fed on stdin, its stdout, stderr and exit code.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { RunningEmulator } from '../../src/emulator/server.js';
import { read } from '../../src/transform/fields.js';
import { startLocalEmulator } from '../support/emulator.js';

const FIXTURES = new URL('../transform/fixtures/', import.meta.url);
const WORKLOADS = ['aad', 'exchange', 'sharepoint', 'general', 'dlp'];
const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

interface Run {
  code: number | null;
  docs: Record<string, unknown>[];
  stderr: string;
}

async function transform(args: string[], input: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'transform', ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const docs = stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, docs, stderr };
}

function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

function idsOf(text: string, format: 'json' | 'jsonl'): string[] {
  const records = format === 'json' ? (JSON.parse(text) as { Id: string }[]) : text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { Id: string });
  return records.map((record) => record.Id);
}

/** Lines of stderr that report input problems (not log lines). */
function problemLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /^line \d+: /.test(line));
}

describe('o365-elk transform', () => {
  it('maps and enriches the example blobs (JSON arrays) and NDJSON files, all in one stream', async () => {
    const parts = WORKLOADS.flatMap((workload) => [fixture(`${workload}.json`), fixture(`${workload}.jsonl`)]);
    const expectedIds = WORKLOADS.flatMap((workload) => [...idsOf(fixture(`${workload}.json`), 'json'), ...idsOf(fixture(`${workload}.jsonl`), 'jsonl')]);
    const run = await transform([], parts.join('\n'));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(problemLines(run.stderr), []);
    assert.deepEqual(run.docs.map((doc) => read(doc, 'event.id')), expectedIds);

    const signIn = run.docs.find((doc) => read(doc, 'event.id') === 'ca0efc24-1b89-4962-8fef-a3ac5437302f');
    assert.ok(signIn);
    assert.equal(read(signIn, 'source.geo.country_iso_code'), 'ES');
    assert.equal(read(signIn, 'source.geo.city_name'), 'Playa de las Americas');
    assert.equal(read(signIn, 'source.as.number'), 3352);
    assert.equal(read(signIn, 'user_agent.name'), 'Firefox');
    assert.deepEqual(read(signIn, 'o365.application'), { id: '4345a7b9-9a63-4910-a426-35363201d503', name: 'O365 Suite UX' });
    assert.equal(read(signIn, 'event.original'), undefined);
    assert.ok(run.docs.filter((doc) => read(doc, 'source.ip') !== undefined).every((doc) => read(doc, 'source.geo.country_iso_code') !== undefined));
  });

  it('reads NDJSON whose lines are arrays, and keeps the original with --keep-original', async () => {
    const input = WORKLOADS.map((workload) => JSON.stringify(JSON.parse(fixture(`${workload}.json`)))).join('\r\n');
    const run = await transform(['--no-geoip', '--keep-original'], input);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.docs.length, WORKLOADS.flatMap((workload) => idsOf(fixture(`${workload}.json`), 'json')).length);
    assert.ok(run.docs.every((doc) => typeof read(doc, 'event.original') === 'string'));
    assert.ok(run.docs.every((doc) => read(doc, 'source.geo') === undefined));
  });

  it('reports each unreadable line with its number, transforms the rest, and exits 1', async () => {
    const good = (id: string) => JSON.stringify({ Id: id, CreationTime: '2026-03-01T10:00:00', RecordType: 15, Operation: 'UserLoggedIn', ClientIP: '81.2.69.143' });
    const input = [
      good('r1'),
      'this is not JSON',
      '',
      '{"Id": "truncated", "CreationTime": ',
      '42',
      `[${good('r2')}, "a string", ${good('r3')}]`,
      `[${good('r4')}] trailing`,
      '[',
      `  ${good('r5')},`,
      '  {"Id": oops},',
      `  ${good('lost')}`,
      ']',
      good('r6'),
      `[${good('r7')},`,
    ].join('\n');
    const run = await transform(['--no-geoip'], input);
    assert.equal(run.code, 1);
    assert.deepEqual(run.docs.map((doc) => read(doc, 'event.id')), ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
    const problems = problemLines(run.stderr);
    assert.deepEqual(problems.map((line) => Number(/^line (\d+)/.exec(line)?.[1])), [2, 4, 5, 6, 7, 10, 14]);
    assert.match(problems[0] ?? '', /^line 2: not valid JSON/);
    assert.match(problems[2] ?? '', /^line 5: a number, not an audit record/);
    assert.match(problems[3] ?? '', /^line 6: element 1 of the array is a string/);
    assert.match(problems[5] ?? '', /^line 10: not valid JSON in the array that began on line 8/);
    assert.match(problems[6] ?? '', /^line 14: the input ended inside the array that began on line 14/);
  });

  it('exits 0 on empty input and 2 with one line on a GeoIP database it cannot open', async () => {
    const empty = await transform(['--no-geoip'], '');
    assert.equal(empty.code, 0);
    assert.deepEqual(empty.docs, []);
    const broken = await transform(['--geoip-city', '/nonexistent/GeoLite2-City.mmdb'], '{"Id":"x"}\n');
    assert.equal(broken.code, 2);
    assert.deepEqual(broken.stderr.trim().split('\n'), [
      'o365-elk: cannot open the GeoIP city database /nonexistent/GeoLite2-City.mmdb (ENOENT) — check enrich.geoip.city_database, or set enrich.geoip.enabled=false',
    ]);
  });
});

describe('o365-elk transform -c (application names through Graph)', () => {
  let running: RunningEmulator;
  let directory: string;
  let configPath: string;
  const secretEnv = 'O365_ELK_TEST_TRANSFORM_SECRET';
  let secret: string;

  before(async () => {
    running = await startLocalEmulator({
      seed: 9,
      events: 10,
      days: 1,
      tenants: 1,
    });
    directory = mkdtempSync(join(tmpdir(), 'o365-elk-transform-cli-'));
    const tenant = running.credentials[0];
    assert.ok(tenant?.auth.kind === 'secret' && running.ca);
    secret = tenant.auth.secret;
    writeFileSync(join(directory, 'ca.pem'), running.ca.certificatePem);
    configPath = join(directory, 'o365-elk.yml');
    writeFileSync(
      configPath,
      [
        'tenants:',
        `  - tenant_id: ${tenant.tenantId}`,
        '    name: Contoso (emulated)',
        `    client_id: ${tenant.clientId}`,
        `    auth: { client_secret_env: ${secretEnv} }`,
        '    cloud: custom',
        `    login_url: ${running.url}`,
        `    api_url: ${running.url}`,
        `    graph_url: ${running.url}`,
        '    ssl: { certificate_authorities: [ca.pem] }',
        'state: { path: state/o365-elk.db }',
        'output: { console: {} }',
        'logging: { json: true }',
      ].join('\n'),
    );
  });
  after(async () => {
    await running.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('looks an application up in the tenant’s Graph, and the next run names it from the cache', async () => {
    const tenant = running.credentials[0];
    assert.ok(tenant);
    const input = `${JSON.stringify({ Id: 'sign-in', CreationTime: '2026-03-01T10:00:00', RecordType: 15, Operation: 'UserLoggedIn', OrganizationId: tenant.tenantId, ApplicationId: tenant.clientId })}\n`;
    const env = { [secretEnv]: secret };

    const first = await transform(['-c', configPath, '--no-geoip'], input, env);
    assert.equal(first.code, 0, first.stderr);
    const [signIn = {}] = first.docs;
    assert.equal(read(signIn, 'organization.name'), 'Contoso (emulated)');
    assert.equal(read(signIn, 'o365.application.id'), tenant.clientId);
    assert.ok(!first.stderr.includes(secret));

    const second = await transform(['-c', configPath, '--no-geoip', '--no-graph'], input, env);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(read(second.docs[0] ?? {}, 'o365.application'), { id: tenant.clientId, name: 'o365-elk collector' });
  });
});
