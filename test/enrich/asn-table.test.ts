// The ASN table read from ip-location-db's CSV files a piece at a time: the same answers whatever the
// piece size (lines straddling pieces or longer than one, CRLF, blank lines, no final newline, a name
// whose multi-byte characters are cut in two), and one-line refusals naming the file and the line.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadAsnTable, type AutonomousSystem } from '../../src/transform/enrich/asn-table.js';

const FIX = 'reinstall @ip-location-db/asn or set enrich.geoip.asn_database';

const IPV4_ROWS = [
  '16777216,16777471,13335,"Cloudflare, Inc."\r\n',
  '16778240,16779263,38803,Gtelecom Pty Ltd \t\r\n',
  '\r\n',
  '16781312,16781567,2519,ARTERIA Networks Corporation\n',
  '16785408,16793599,64496,"The ""Quoted"" Network"\n',
  '16793600,16809983,2519,ARTERIA Networks Corporation\n',
  '16809984,16810239,64497,\n',
  // The last row has no newline.
  '3758096128,3758096383,64500,Telefónica Ærø 日本ネットワーク 🌐',
].join('');

const IPV6_ROWS = [
  '2001::,2001::ffff:ffff:ffff:ffff:ffff:ffff,6939,Hurricane Electric LLC\n',
  '2001:200::,2001:200:1b9:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project\n',
  '2001:200:1ba::,2001:200:1ba:ffff:ffff:ffff:ffff:ffff,24047,"Internet Systems Consortium, Inc."\n',
  '2a00:1450::,2a00:1450:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC\n',
].join('');

const EXPECTED: Array<[string, AutonomousSystem | undefined]> = [
  ['1.0.0.0', { number: 13335, organization: 'Cloudflare, Inc.' }],
  ['1.0.0.255', { number: 13335, organization: 'Cloudflare, Inc.' }],
  ['1.0.1.0', undefined],
  ['1.0.4.0', { number: 38803, organization: 'Gtelecom Pty Ltd' }],
  ['1.0.16.1', { number: 2519, organization: 'ARTERIA Networks Corporation' }],
  ['1.0.32.0', { number: 64496, organization: 'The "Quoted" Network' }],
  ['1.0.64.0', { number: 2519, organization: 'ARTERIA Networks Corporation' }],
  ['1.0.128.0', { number: 64497 }],
  ['223.255.255.255', { number: 64500, organization: 'Telefónica Ærø 日本ネットワーク 🌐' }],
  ['224.0.0.0', undefined],
  ['2001::1', { number: 6939, organization: 'Hurricane Electric LLC' }],
  ['2001:200:1b9:ffff:ffff:ffff:ffff:ffff', { number: 2500, organization: 'WIDE Project' }],
  ['2001:200:1ba::', { number: 24047, organization: 'Internet Systems Consortium, Inc.' }],
  ['2a00:1450:4001::1', { number: 15169, organization: 'Google LLC' }],
  ['2a00:1451::', undefined],
];

describe('the ASN table', () => {
  let directory: string;
  const file = (name: string, text: string): string => {
    const path = join(directory, name);
    writeFileSync(path, text);
    return path;
  };
  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'o365-elk-asn-'));
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('answers the same whatever the size of the pieces it reads', () => {
    const files = { ipv4: file('v4.csv', IPV4_ROWS), ipv6: file('v6.csv', IPV6_ROWS) };
    // 1 and 7 bytes: every line straddles pieces and is longer than one; then pieces holding a few lines.
    for (const pieceBytes of [1, 7, 64, 100, 4096, undefined]) {
      const table = loadAsnTable(files, pieceBytes === undefined ? {} : { pieceBytes });
      for (const [ip, expected] of EXPECTED) assert.deepEqual(table.lookup(ip), expected, `${ip} in pieces of ${pieceBytes ?? 'the default'}`);
    }
  });

  it('names the file and the line of a malformed row, also far into the file and past the first piece', () => {
    const good = (index: number) => `${index * 256},${index * 256 + 255},64496,Network ${index}${index % 3 === 0 ? '\r' : ''}\n`;
    // 30,000 rows (1.2 MB) are more than one default piece of 1 MiB.
    const rows = Array.from({ length: 30_000 }, (_, index) => good(index));
    const cases: Array<[string, number, string]> = [
      ['a word for an address', 1001, '1.2.3.4,1.2.3.5,64496,Dotted\n'],
      ['a missing column', 25_000, '6399744,6399999,64496\n'],
      ['a start before the previous one', 29_999, '0,255,64496,Back to the start\n'],
      ['a last line without its newline', 30_001, '7680000,7680255,AS64496,Named'],
    ];
    for (const [label, line, bad] of cases) {
      const ipv4 = file('malformed.csv', [...rows.slice(0, line - 1), bad, ...rows.slice(line)].join(''));
      for (const options of [{ pieceBytes: 100 }, {}]) {
        assert.throws(
          () => loadAsnTable({ ipv4, ipv6: file('v6.csv', IPV6_ROWS) }, options),
          { message: `the ASN table ${ipv4} is malformed at line ${line} — ${FIX}` },
          `${label}, pieces of ${options.pieceBytes ?? 'the default'}`,
        );
      }
    }
    const ipv6 = file('malformed-v6.csv', `${IPV6_ROWS}\r\n2a00:1450::1::,2a00:1451::,15169,Google LLC\r\n`);
    assert.throws(() => loadAsnTable({ ipv4: file('v4.csv', IPV4_ROWS), ipv6 }, { pieceBytes: 5 }), { message: `the ASN table ${ipv6} is malformed at line 6 — ${FIX}` });
  });

  it('refuses, in one line naming the file, one it cannot read', () => {
    const ipv4 = file('v4.csv', IPV4_ROWS);
    for (const [ipv6, code] of [
      [join(directory, 'missing.csv'), 'ENOENT'],
      [directory, 'EISDIR'],
    ]) {
      assert.throws(() => loadAsnTable({ ipv4, ipv6: ipv6 as string }), { message: `cannot read the ASN table ${ipv6} (${code}) — ${FIX}` });
    }
  });
});
