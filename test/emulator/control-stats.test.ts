// GET /_emulator/stats: what the benchmark reads to know how many requests a client made and how they
// were answered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';

import { startLocalEmulator } from '../support/emulator.js';

interface RequestCount {
  tenant: string;
  operation: string;
  status: number;
  count: number;
}

test('the stats route counts requests by tenant, operation and status, and not its own', async () => {
  const emulator = await startLocalEmulator({
    seed: 1,
    events: 20,
    days: 1,
    tenants: 1,
    plainHttp: true,
  });
  try {
    const tenantId = emulator.tenants[0]!.tenantId;
    const feed = `${emulator.url}/api/v1.0/${tenantId.toUpperCase()}/activity/feed`;
    const get = async (url: string): Promise<number> => {
      const response = await request(url);
      await response.body.dump();
      return response.statusCode;
    };
    // Without a token every call is refused, which is enough to tell the operations apart.
    for (let i = 0; i < 3; i++) assert.equal(await get(`${feed}/subscriptions/content?contentType=Audit.Exchange`), 401);
    assert.equal(await get(`${feed}/audit/20250115000000000000001$x$audit_exchange$Audit_Exchange$emea0036`), 401);
    await get(`${emulator.url}/_emulator/clock`);

    const response = await request(`${emulator.url}/_emulator/stats`);
    const { requests } = (await response.body.json()) as { requests: RequestCount[] };
    const sorted = [...requests].sort((a, b) => a.operation.localeCompare(b.operation));
    assert.deepEqual(sorted, [
      { tenant: tenantId.toLowerCase(), operation: 'audit/{contentId}', status: 401, count: 1 },
      { tenant: tenantId.toLowerCase(), operation: 'subscriptions/content', status: 401, count: 3 },
    ]);
  } finally {
    await emulator.close();
  }
});
