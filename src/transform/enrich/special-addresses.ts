// Addresses that name no place on the Internet: private networks, loopback, link-local, carrier-grade
// NAT, documentation and benchmarking ranges, multicast and reserved space (IANA's special-purpose
// registries, RFC 6890 and successors). A GeoIP database either has nothing for them or something
// misleading, so they are marked instead of located.
import { BlockList, isIPv4 } from 'node:net';

const IPV4_RANGES: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.88.99.0', 24], // former 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the limited broadcast address
];

const IPV6_RANGES: Array<[string, number]> = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001:2::', 48], // benchmarking
  ['2001:10::', 28], // deprecated ORCHID
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation (RFC 9637)
  ['5f00::', 16], // SRv6 SIDs
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
];

const SPECIAL = new BlockList();
for (const [network, prefix] of IPV4_RANGES) SPECIAL.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of IPV6_RANGES) SPECIAL.addSubnet(network, prefix, 'ipv6');

/** Whether `ip` (a bare IPv4 or IPv6 address) belongs to a range that has no location. */
export function isSpecialPurposeAddress(ip: string): boolean {
  return SPECIAL.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6');
}
