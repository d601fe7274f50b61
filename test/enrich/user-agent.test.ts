// User agent parsing (ua-parser-js 1.x) through the whole transform.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEnrichment } from '../../src/transform/enrich/index.js';
import { read } from '../../src/transform/fields.js';
import { createTransformer } from '../../src/transform/index.js';
import { captureLogger } from '../source/support/servers.js';

async function userAgentTransformer() {
  const enrichment = await createEnrichment(
    { geoip: { enabled: false }, userAgent: { enabled: true }, appNames: { enabled: false, ttlMs: 0 }, tenantNames: {} },
    { logger: captureLogger().logger },
  );
  return createTransformer({ enrichers: enrichment.enrichers });
}

const context = { tenantId: 'b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd', contentType: 'Audit.SharePoint' };

function fileAccess(userAgent: string): Record<string, unknown> {
  return { Id: 'b1f2c3d4-0000-4000-8000-000000000001', CreationTime: '2026-03-01T10:00:00', RecordType: 6, Operation: 'FileAccessed', UserAgent: userAgent };
}

describe('user agent', () => {
  it('names the browser, its version, the OS and the device', async () => {
    const transformer = await userAgentTransformer();
    const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
    assert.deepEqual(read(transformer.transform(fileAccess(iphone), context).source, 'user_agent'), {
      original: iphone,
      name: 'Mobile Safari',
      version: '17.1',
      os: { name: 'iOS', version: '17.1', full: 'iOS 17.1' },
      device: { name: 'iPhone' },
    });
    const edge = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0';
    assert.deepEqual(read(transformer.transform(fileAccess(edge), context).source, 'user_agent'), {
      original: edge,
      name: 'Edge',
      version: '120.0.0.0',
      os: { name: 'Windows', version: '10', full: 'Windows 10' },
    });
  });

  it('parses the sign-in user agent Entra ID keeps in ExtendedProperties', async () => {
    const transformer = await userAgentTransformer();
    const firefox = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.14; rv:72.0) Gecko/20100101 Firefox/72.0';
    const record = {
      Id: 'c1f2c3d4-0000-4000-8000-000000000002',
      CreationTime: '2026-03-01T10:00:00',
      RecordType: 15,
      Operation: 'UserLoggedIn',
      ExtendedProperties: [{ Name: 'UserAgent', Value: firefox }],
    };
    const doc = transformer.transform(record, context).source;
    assert.equal(read(doc, 'user_agent.name'), 'Firefox');
    assert.equal(read(doc, 'user_agent.os.full'), 'Mac OS 10.14');
  });

  it('keeps only the original of an agent it cannot read, and adds nothing without one', async () => {
    const transformer = await userAgentTransformer();
    assert.deepEqual(read(transformer.transform(fileAccess('python-requests/2.31.0'), context).source, 'user_agent'), { original: 'python-requests/2.31.0' });
    const outlook = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.12325; Pro)';
    assert.deepEqual(read(transformer.transform(fileAccess(outlook), context).source, 'user_agent.os'), { name: 'Windows', version: '10', full: 'Windows 10' });
    const { UserAgent: _none, ...withoutAgent } = fileAccess('');
    assert.equal(read(transformer.transform(withoutAgent, context).source, 'user_agent'), undefined);
  });
});
