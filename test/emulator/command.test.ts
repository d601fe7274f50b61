// The acceptance interface of `o365-elk emulator`, run as a child process the way users and other
// tools run it: the ready line, the files it writes, the ground-truth routes, fault and option handling,
// shutdown, and how it answers bad input without falling over.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  groundTruth,
  managementToken,
  runEmulatorToExit,
  startEmulatorProcess,
  type EmulatorProcess,
  type TenantEntry,
} from '../independent-client/emulator-process.js';

const CONTENT_TYPES = ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'Audit.General', 'DLP.All'];
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
// One day of data at 3 entries a page: small, yet listings run over several pages.
const SMALL_DATA = ['--events', '1500', '--days', '1', '--page-size', '3'];

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'o365-emulator-command-'));
});
after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function apiTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/**
 * Lists every content type of every tenant over the API's 7 days, page by page, and fetches every blob.
 * Blobs the service answers AF20051 (expired) for are counted, not fatal.
 */
async function listAndFetchEverything(emulator: EmulatorProcess): Promise<{ ids: Set<string>; expiredBlobs: number; pages: number }> {
  const ids = new Set<string>();
  let expiredBlobs = 0;
  let pages = 0;
  const now = Date.now();
  for (const tenant of emulator.tenants) {
    const headers = { Authorization: `Bearer ${await managementToken(emulator, tenant)}` };
    const feed = `${tenant.api_url}/api/v1.0/${tenant.tenant_id}/activity/feed`;
    for (const contentType of CONTENT_TYPES) {
      for (let start = now - 7 * DAY_MS + 60_000; start < now + 60_000; start += DAY_MS) {
        const end = Math.min(start + DAY_MS, now + 60_000);
        let next: string | null = `${feed}/subscriptions/content?contentType=${contentType}&startTime=${apiTime(start)}&endTime=${apiTime(end)}`;
        while (next) {
          const listing = await emulator.fetch(next, { headers });
          assert.equal(listing.status, 200, `listing ${next}: ${await listing.clone().text()}`);
          pages++;
          for (const entry of (await listing.json()) as Array<{ contentUri: string }>) {
            const blob = await emulator.fetch(entry.contentUri, { headers });
            if (blob.status === 404 && ((await blob.json()) as { error: { code: string } }).error.code === 'AF20051') {
              expiredBlobs++;
              continue;
            }
            assert.equal(blob.status, 200, `blob ${entry.contentUri}`);
            for (const record of (await blob.json()) as Array<{ Id: string }>) ids.add(record.Id);
          }
          next = listing.headers.get('NextPageUri');
        }
      }
    }
  }
  return { ids, expiredBlobs, pages };
}

function portIsClosed(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('o365-elk emulator over HTTPS', () => {
  let emulator: EmulatorProcess;
  let tenant: TenantEntry;
  let feed: string;
  let bearer: Record<string, string>;

  before(async () => {
    emulator = await startEmulatorProcess(join(work, 'https'), SMALL_DATA);
    tenant = emulator.tenants[0] as TenantEntry;
    feed = `/api/v1.0/${tenant.tenant_id}/activity/feed`;
    bearer = { Authorization: `Bearer ${await managementToken(emulator, tenant)}` };
  });
  after(() => emulator?.close());

  test('prints "ready <url>" with an https URL on loopback', () => {
    assert.match(emulator.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  test('writes ca.pem, connector.yml and the credentials, the secrets readable by their owner only', () => {
    const mode = (name: string) => statSync(join(emulator.dir, name)).mode & 0o777;
    new X509Certificate(readFileSync(join(emulator.dir, 'ca.pem')));
    assert.equal(mode('connector.yml'), 0o600);
    assert.equal(mode('tenant-1.secret'), 0o600);
    assert.equal(mode('tenant-2.key.pem'), 0o600);
    new X509Certificate(readFileSync(join(emulator.dir, 'tenant-2.cert.pem')));
    const [secretTenant, certificateTenant] = emulator.tenants as [TenantEntry, TenantEntry];
    assert.deepEqual(secretTenant.auth, { client_secret_file: 'tenant-1.secret' });
    assert.deepEqual(certificateTenant.auth, { certificate_key_file: 'tenant-2.key.pem', certificate_file: 'tenant-2.cert.pem' });
    for (const entry of emulator.tenants) {
      assert.equal(entry.login_url, emulator.url);
      assert.equal(entry.api_url, emulator.url);
      assert.deepEqual(entry.ssl, { certificate_authorities: ['ca.pem'] });
    }
  });

  test('/_emulator/records lists exactly the records a client can list and fetch, each once', async () => {
    const truth = await groundTruth(emulator);
    const truthIds = truth.map((record) => record.Id);
    assert.equal(new Set(truthIds).size, truthIds.length, 'ground truth repeats a record');
    const collected = await listAndFetchEverything(emulator);
    assert.deepEqual(collected.ids, new Set(truthIds));
    assert.equal(collected.expiredBlobs, 0);
    assert.ok(collected.pages > 2 * CONTENT_TYPES.length * 7, 'expected listings over several pages');
  });

  test('/_emulator/records?lost=1 is empty when no fault loses content', async () => {
    assert.deepEqual(await groundTruth(emulator, { lost: true }), []);
  });

  describe('answers bad input with the documented errors and keeps serving', () => {
    const afCode = async (response: { json(): Promise<unknown> }) =>
      ((await response.json()) as { error: { code: string } }).error.code;

    test('a malformed /start body: 400 AF20002', async () => {
      const response = await emulator.fetch(`${feed}/subscriptions/start?contentType=Audit.Exchange`, {
        method: 'POST',
        headers: { ...bearer, 'Content-Type': 'application/json' },
        body: '{"webhook": {"address":',
      });
      assert.equal(response.status, 400);
      assert.equal(await afCode(response), 'AF20002');
    });

    test('a token request whose body is not a form: 400 invalid_request AADSTS900144', async () => {
      const response = await emulator.fetch(`/${tenant.tenant_id}/oauth2/v2.0/token`, { method: 'POST', body: '\u0000%%%{]' });
      const body = (await response.json()) as { error: string; error_description: string; error_codes: number[] };
      assert.equal(response.status, 400);
      assert.equal(body.error, 'invalid_request');
      assert.deepEqual(body.error_codes, [900144]);
      assert.match(body.error_description, /^AADSTS900144: .*'grant_type'/);
    });

    test('an unknown operation: 404 with an error body; an unknown content type: 400 AF20020', async () => {
      const unknown = await emulator.fetch(`${feed}/subscriptions/everything`, { headers: bearer });
      assert.equal(unknown.status, 404);
      assert.match(await afCode(unknown), /^AF/);
      const badType = await emulator.fetch(`${feed}/subscriptions/content?contentType=Audit.Everything`, { headers: bearer });
      assert.equal(badType.status, 400);
      assert.equal(await afCode(badType), 'AF20020');
    });

    test('bad dates: unparsable 400 AF20002; over 24 h, older than 7 days or reversed 400 AF20055', async () => {
      const now = Date.now();
      const list = (start: string, end: string) =>
        emulator.fetch(`${feed}/subscriptions/content?contentType=Audit.Exchange&startTime=${start}&endTime=${end}`, { headers: bearer });
      const unparsable = await list('yesterday', apiTime(now));
      assert.equal(unparsable.status, 400);
      assert.equal(await afCode(unparsable), 'AF20002');
      for (const [start, end] of [
        [now - 25 * HOUR_MS, now],
        [now - 9 * DAY_MS, now - 9 * DAY_MS + HOUR_MS],
        [now - HOUR_MS, now - 2 * HOUR_MS],
      ] as const) {
        const response = await list(apiTime(start), apiTime(end));
        assert.equal(response.status, 400);
        assert.equal(await afCode(response), 'AF20055', `${apiTime(start)} to ${apiTime(end)}`);
      }
    });

    test('a garbled nextPage: 400 AF20031; an invalid content id: 400 AF20052', async () => {
      const stale = await emulator.fetch(`${feed}/subscriptions/content?contentType=Audit.Exchange&nextPage=forged.token`, { headers: bearer });
      assert.equal(stale.status, 400);
      assert.equal(await afCode(stale), 'AF20031');
      const blob = await emulator.fetch(`${feed}/audit/not!a*content(id)`, { headers: bearer });
      assert.equal(blob.status, 400);
      assert.equal(await afCode(blob), 'AF20052');
    });

    test('a bad or missing bearer token: 401 with a Bearer challenge', async () => {
      const forged = await emulator.fetch(`${feed}/subscriptions/list`, { headers: { Authorization: 'Bearer not.a.token' } });
      assert.equal(forged.status, 401);
      assert.match(forged.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
      const missing = await emulator.fetch(`${feed}/subscriptions/list`);
      assert.equal(missing.status, 401);
      assert.equal(missing.headers.get('www-authenticate'), 'Bearer');
    });

    test('after all of that, it still lists content', async () => {
      const response = await emulator.fetch(`${feed}/subscriptions/content?contentType=Audit.Exchange`, { headers: bearer });
      assert.equal(response.status, 200);
      assert.ok(Array.isArray(await response.json()));
      assert.equal(emulator.child.exitCode, null);
    });
  });

  test('SIGTERM stops it: exit code 0 and the port closed', async () => {
    const exit = await emulator.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.ok(await portIsClosed(emulator.url), `${emulator.url} still accepts connections`);
  });
});

describe('o365-elk emulator --faults expired_rate=0.3', () => {
  let emulator: EmulatorProcess;
  before(async () => {
    emulator = await startEmulatorProcess(join(work, 'expired'), [...SMALL_DATA, '--faults', 'expired_rate=0.3']);
  });
  after(() => emulator?.close());

  test('?lost=1 names records nobody can obtain, none of them obtainable, and a client gets exactly the rest', async () => {
    const obtainable = new Set((await groundTruth(emulator)).map((record) => record.Id));
    const lost = (await groundTruth(emulator, { lost: true })).map((record) => record.Id);
    assert.ok(lost.length > 0, 'expected lost records');
    assert.deepEqual(lost.filter((id) => obtainable.has(id)), []);
    const collected = await listAndFetchEverything(emulator);
    assert.ok(collected.expiredBlobs > 0, 'expected blobs answering AF20051');
    assert.deepEqual(collected.ids, obtainable);
  });
});

describe('o365-elk emulator refusing its options', () => {
  test('an unknown --faults knob: non-zero exit and one line naming the knob', async () => {
    const run = await runEmulatorToExit(join(work, 'bad-knob'), ['--faults', 'realistic,eror_rate=0.1']);
    assert.notEqual(run.code, 0);
    assert.equal(run.stdout, '');
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0] ?? '', /unknown fault knob "eror_rate"/);
  });

  test('an unreadable --register-certificate file: non-zero exit and one line naming the file', async () => {
    const missing = join(work, 'no-such-cert.pem');
    const run = await runEmulatorToExit(join(work, 'bad-cert'), ['--register-certificate', missing]);
    assert.notEqual(run.code, 0);
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.ok(lines[0]?.includes(missing), run.stderr);
  });
});

describe('o365-elk emulator --http', () => {
  let emulator: EmulatorProcess;
  before(async () => {
    emulator = await startEmulatorProcess(join(work, 'http'), [...SMALL_DATA, '--http']);
  });
  after(() => emulator?.close());

  test('serves plain HTTP: no CA written, no ssl section, and tokens, listings and ground truth all work', async () => {
    assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(existsSync(join(emulator.dir, 'ca.pem')), false);
    for (const entry of emulator.tenants) assert.equal(entry.ssl, undefined);
    const truth = await groundTruth(emulator);
    const collected = await listAndFetchEverything(emulator);
    assert.deepEqual(collected.ids, new Set(truth.map((record) => record.Id)));
  });
});
