// The client against the emulator over HTTPS, signing in through MSAL with the emulated tenants' own
// credentials (tenant 1 a client secret, tenant 2 a certificate), compared with the emulator's ground truth.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FAULT_PRESETS } from '../../src/emulator/faults.js';
import { DEFAULT_BEHAVIOUR, type RunningEmulator } from '../../src/emulator/server.js';
import type { Faults } from '../../src/emulator/types.js';
import { AuthError } from '../../src/source/auth/auth-error.js';
import { createManagementClient, type ManagementApiClient } from '../../src/source/client.js';
import { ExpiredContentError, ForbiddenContentTypeError } from '../../src/source/errors.js';
import type { ClientCredential } from '../../src/source/options.js';
import { ensureSubscriptions } from '../../src/source/subscriptions.js';
import { CONTENT_TYPES, type ContentBlob, type ContentType } from '../../src/source/types.js';
import { captureLogger } from './support/servers.js';
import { startLocalEmulator } from '../support/emulator.js';

const HOUR_MS = 3600_000;

async function emulatorWith(faults: Partial<Faults>, options: { pageSize: number; events: number }): Promise<RunningEmulator> {
  const { pageSize, events } = options;
  return startLocalEmulator({
    seed: 7,
    events,
    days: 2,
    tenants: 2,
    meanBlobRecords: 10,
    faults: { ...FAULT_PRESETS.none, ...faults },
    behaviour: { ...DEFAULT_BEHAVIOUR, pageSize, lowercaseNextPage: true },
  });
}

function clientFor(emulator: RunningEmulator, tenantIndex: number, credential?: ClientCredential): { client: ManagementApiClient; logLines: () => string[] } {
  const tenant = emulator.credentials[tenantIndex];
  assert.ok(tenant && emulator.ca);
  const capture = captureLogger();
  const client = createManagementClient(
    {
      tenantId: tenant.tenantId,
      clientId: tenant.clientId,
      credential: credential ?? tenant.auth,
      loginUrl: emulator.url,
      apiUrl: emulator.url,
      ca: [emulator.ca.certificatePem],
      rejectUnauthorized: true,
      requestTimeoutMs: 10_000,
      retry: { maxAttempts: 10, baseDelayMs: 2, maxDelayMs: 20 },
    },
    { logger: capture.logger, configPath: `tenants[${tenantIndex}]` },
  );
  return { client, logLines: capture.lines };
}

type Windows = Array<[number, number]>;

/**
 * Two listing windows (each under 24 h) that cover the emulator's two days of backlog, which ends at its
 * start: `anchor` is a whole second taken just before starting it.
 */
function windowsFrom(anchor: number): Windows {
  return [
    [anchor - 47 * HOUR_MS, anchor - 23 * HOUR_MS],
    [anchor - 23 * HOUR_MS, anchor + HOUR_MS],
  ];
}

async function listAll(client: ManagementApiClient, contentType: ContentType, windows: Windows): Promise<ContentBlob[]> {
  const blobs: ContentBlob[] = [];
  for (const [start, end] of windows) {
    for await (const page of client.listContent(contentType, start, end)) blobs.push(...page);
  }
  return blobs;
}

function truthIds(emulator: RunningEmulator, tenantIndex: number, contentType: ContentType, windows: Windows): string[] {
  const tenantId = emulator.credentials[tenantIndex]?.tenantId ?? '';
  return windows.flatMap(([start, end]) => emulator.catalog.listBlobs(tenantId, contentType, start, end, emulator.clock.now()).map((blob) => blob.contentId));
}

async function recordIds(client: ManagementApiClient, blob: ContentBlob): Promise<unknown[]> {
  const ids: unknown[] = [];
  for await (const chunk of client.fetchBlob(blob)) ids.push(...chunk.map((record) => record.Id));
  return ids;
}

function servedIds(emulator: RunningEmulator, tenantIndex: number, contentId: string): unknown[] {
  const ref = emulator.catalog.findBlob(emulator.credentials[tenantIndex]?.tenantId ?? '', contentId);
  assert.ok(ref);
  return emulator.catalog.records(ref).map((record) => record.Id);
}

describe('against the emulator over HTTPS', () => {
  let emulator: RunningEmulator;
  let windows: Windows;
  before(async () => {
    windows = windowsFrom(Math.floor(Date.now() / 1000) * 1000);
    emulator = await emulatorWith({}, { pageSize: 2, events: 600 });
  });
  after(async () => {
    await emulator.close();
  });

  for (const [tenantIndex, how] of [
    [0, 'a client secret'],
    [1, 'a certificate'],
  ] as const) {
    test(`signs in with ${how}, finds its subscriptions and reads every blob and record`, async () => {
      assert.equal(emulator.credentials[tenantIndex]?.auth.kind, tenantIndex === 0 ? 'secret' : 'certificate');
      const { client } = clientFor(emulator, tenantIndex);
      try {
        const subscriptions = await ensureSubscriptions(client, CONTENT_TYPES);
        assert.deepEqual(subscriptions.enabled, [...CONTENT_TYPES]);
        for (const contentType of ['Audit.Exchange', 'Audit.AzureActiveDirectory'] as const) {
          const blobs = await listAll(client, contentType, windows);
          assert.ok(blobs.length > 3, `${contentType} has blobs to page through`);
          assert.deepEqual(blobs.map((blob) => blob.contentId).sort(), truthIds(emulator, tenantIndex, contentType, windows).sort());
          for (const blob of blobs.slice(0, 4)) {
            assert.deepEqual(await recordIds(client, blob), servedIds(emulator, tenantIndex, blob.contentId));
          }
        }
      } finally {
        await client.close();
      }
    });
  }

  test('a wrong client secret is refused with the one-line fix', async () => {
    const { client } = clientFor(emulator, 0, { kind: 'secret', secret: 'not-the-secret' });
    try {
      await assert.rejects(client.listSubscriptions(), (error: unknown) => {
        assert.ok(error instanceof AuthError);
        assert.equal(error.kind, 'wrong-secret');
        assert.equal(error.aadsts, 7000215);
        assert.match(error.message, /create a new secret .* set tenants\[0\]\.auth/);
        return true;
      });
    } finally {
      await client.close();
    }
  });

  test('a certificate the app does not know is refused as such', async () => {
    const other = emulator.credentials[1]?.auth;
    assert.ok(other?.kind === 'certificate');
    // Tenant 1's app signs with tenant 2's certificate.
    const { client } = clientFor(emulator, 0, { kind: 'certificate', privateKeyPem: other.privateKeyPem, certificatePem: other.certificatePem });
    try {
      await assert.rejects(client.listSubscriptions(), (error: unknown) => error instanceof AuthError && error.kind === 'certificate' && error.aadsts === 700027);
    } finally {
      await client.close();
    }
  });
});

describe('against a hostile emulator', () => {
  let emulator: RunningEmulator;
  let windows: Windows;
  before(async () => {
    windows = windowsFrom(Math.floor(Date.now() / 1000) * 1000);
    emulator = await emulatorWith(
      {
        errorRate: 0.1,
        throttleRate: 0.1,
        truncateRate: 0.3,
        staleNextPageRate: 0.05,
        listingDuplicateRate: 0.3,
        listingShuffle: true,
        malformedUriRate: 0.5,
        expiredRate: 0.1,
        duplicateRate: 0.1,
        clockSkewSeconds: 120,
        unauthorizedContentTypes: ['DLP.All'],
      },
      { pageSize: 3, events: 3000 },
    );
  });
  after(async () => {
    await emulator.close();
  });

  test('still lists each blob once and delivers every served record exactly once; lost blobs are reported', async () => {
    const { client, logLines } = clientFor(emulator, 0);
    try {
      const blobs = await listAll(client, 'Audit.SharePoint', windows);
      assert.deepEqual(blobs.map((blob) => blob.contentId).sort(), truthIds(emulator, 0, 'Audit.SharePoint', windows).sort());
      let expired = 0;
      for (const blob of blobs) {
        const ref = emulator.catalog.findBlob(client.tenantId, blob.contentId);
        assert.ok(ref);
        if (emulator.catalog.isLostByFault(ref)) {
          await assert.rejects(recordIds(client, blob), ExpiredContentError);
          expired += 1;
        } else {
          assert.deepEqual(await recordIds(client, blob), servedIds(emulator, 0, blob.contentId));
        }
      }
      assert.ok(expired < blobs.length);
      // The faults were met, not dodged: cut-off bodies, repaired URIs, refusals. (Stale pages depend on
      // the paging tokens, which carry the time, so a short listing may meet none; listing.test.ts
      // proves the restart deterministically.)
      for (const sign of ['broke off', 'rebuilding it from api_url', 'answered with an error']) {
        assert.ok(logLines().some((line) => line.includes(sign)), `no "${sign}" in the log`);
      }
      assert.ok(Math.abs(client.clockSkewMs() - 120_000) < 5000);
    } finally {
      await client.close();
    }
  });

  test('a content type without permission fails alone', async () => {
    const { client } = clientFor(emulator, 1);
    try {
      const [start, end] = windows[1] as [number, number];
      await assert.rejects(
        (async () => {
          for await (const _ of client.listContent('DLP.All', start, end));
        })(),
        ForbiddenContentTypeError,
      );
      assert.deepEqual((await listAll(client, 'Audit.General', windows)).map((blob) => blob.contentId).sort(), truthIds(emulator, 1, 'Audit.General', windows).sort());
    } finally {
      await client.close();
    }
  });
});
