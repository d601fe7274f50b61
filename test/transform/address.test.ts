// Client addresses: every form the audit records use becomes a bare IP (and port) an `ip` field accepts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTransformer } from '../../src/transform/index.js';
import { at } from './support.js';

const transformer = createTransformer();
const context = { tenantId: 'b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd', contentType: 'Audit.SharePoint' };

function mapped(fields: Record<string, unknown>): Record<string, unknown> {
  const record = { Id: 'a0e4f6c2-3b1d-4c5e-8f7a-9b0c1d2e3f40', CreationTime: '2024-05-01T10:00:00', RecordType: 6, Operation: 'FileAccessed', ...fields };
  return transformer.transform(record, context).source as Record<string, unknown>;
}

const invalidTag = 'o365_audit_invalid_ip';

// [ClientIP as received, expected ip, expected port]
const VALID: Array<[string, string, number | undefined]> = [
  ['1.2.3.4', '1.2.3.4', undefined],
  ['1.2.3.4:5678', '1.2.3.4', 5678],
  ['79.159.10.151:12345', '79.159.10.151', 12345],
  ['[2001:db8::1]:443', '2001:db8::1', 443],
  ['[2001:db8::1]', '2001:db8::1', undefined],
  ['2001:db8::1', '2001:db8::1', undefined],
  ['2001:DB8::A', '2001:db8::a', undefined],
  ['::ffff:1.2.3.4', '1.2.3.4', undefined],
  ['::FFFF:10.0.0.1', '10.0.0.1', undefined],
  ['[::ffff:1.2.3.4]:8080', '1.2.3.4', 8080],
  ['[fdfd::555]:12346', 'fdfd::555', 12346],
  ['fe80::1%eth0', 'fe80::1', undefined],
  ['::1', '::1', undefined],
  ['  10.0.0.1  ', '10.0.0.1', undefined],
  ['[1.2.3.4]:80', '1.2.3.4', 80],
];

const INVALID: unknown[] = ['not an ip', '1.2.3.256', '1.2.3', '1.2.3.4:99999', '1.2.3.4:', '[2001:db8::1]:', 'host/path:443', '[::ffff:999.1.1.1]', 12345, true, { ip: '1.2.3.4' }, ['1.2.3.4']];

describe('client address normalisation', () => {
  for (const [raw, ip, port] of VALID) {
    it(`${JSON.stringify(raw)} → ${ip}${port === undefined ? '' : ` port ${port}`}`, () => {
      const doc = mapped({ ClientIP: raw });
      assert.equal(at(doc, 'source.ip'), ip);
      assert.equal(at(doc, 'client.ip'), ip);
      assert.equal(at(doc, 'source.port'), port);
      assert.equal(at(doc, 'client.port'), port);
      assert.equal(at(doc, 'client.address'), raw.trim());
      assert.deepEqual(at(doc, 'related.ip'), [ip]);
      assert.equal(at(doc, 'network.type'), ip.includes(':') ? 'ipv6' : 'ipv4');
      assert.equal(at(doc, 'tags'), undefined);
    });
  }

  for (const raw of INVALID) {
    it(`${JSON.stringify(raw)} is no address: absent and tagged`, () => {
      const doc = mapped({ ClientIP: raw });
      assert.equal(at(doc, 'source'), undefined);
      assert.equal(at(doc, 'client'), undefined);
      assert.equal(at(doc, 'related'), undefined);
      assert.deepEqual(at(doc, 'tags'), [invalidTag]);
      assert.match(String(at(doc, 'error.message')), /^ClientIP .* is not an IP address$/);
      assert.deepEqual(at(doc, 'o365.audit.ClientIP'), raw, 'the raw value stays in o365.audit');
    });
  }

  for (const empty of ['', '   ', null, undefined]) {
    it(`${JSON.stringify(empty)} means no address, which is not a problem`, () => {
      const doc = mapped({ ClientIP: empty });
      assert.equal(at(doc, 'source'), undefined);
      assert.equal(at(doc, 'tags'), undefined);
    });
  }

  it("prefers Exchange's ClientIPAddress, then ClientIP, then Azure AD's ActorIpAddress", () => {
    assert.equal(at(mapped({ ClientIPAddress: '10.0.0.1', ClientIP: '10.0.0.2', ActorIpAddress: '10.0.0.3' }), 'source.ip'), '10.0.0.1');
    assert.equal(at(mapped({ ClientIP: '10.0.0.2', ActorIpAddress: '10.0.0.3' }), 'source.ip'), '10.0.0.2');
    assert.equal(at(mapped({ ClientIP: '', ActorIpAddress: '10.0.0.3' }), 'source.ip'), '10.0.0.3');
  });

  it('falls back to the next field when the first is invalid, and still tags the invalid one', () => {
    const doc = mapped({ ClientIPAddress: 'garbage!', ClientIP: '10.0.0.2' });
    assert.equal(at(doc, 'source.ip'), '10.0.0.2');
    assert.deepEqual(at(doc, 'tags'), [invalidTag]);
    assert.match(String(at(doc, 'error.message')), /ClientIPAddress "garbage!"/);
  });
});
