// Real, long-lived public addresses (public DNS resolvers, registries, large ISPs and universities) in
// many countries, so that GeoIP enrichment of emulated sign-ins finds real places. The place in each
// comment is where the address is registered; anycast resolvers may be placed elsewhere by some databases.
export const PUBLIC_ADDRESSES: readonly string[] = [
  '8.8.8.8', // Google Public DNS, US
  '8.8.4.4', // Google Public DNS, US
  '208.67.222.222', // OpenDNS (Cisco), US
  '4.2.2.2', // Lumen (Level 3), US
  '68.160.247.154', // Verizon, US
  '216.160.83.56', // Lumen (Qwest), Milton WA, US
  '2001:4860:4860::8888', // Google Public DNS, US
  '2001:470:20::2', // Hurricane Electric, US
  '149.112.121.10', // CIRA Canadian Shield, CA
  '132.248.10.2', // UNAM, MX
  '200.160.2.3', // NIC.br, BR
  '189.38.95.95', // GigaDNS, BR
  '81.2.69.143', // Andrews & Arnold, London, GB
  '194.168.4.100', // Virgin Media, GB
  '212.27.40.240', // Free, FR
  '80.10.246.2', // Orange, FR
  '213.133.98.98', // Hetzner, DE
  '84.200.69.80', // DNS.WATCH, DE
  '2a01:4f8:0:1::add:1010', // Hetzner, DE
  '193.0.6.139', // RIPE NCC, Amsterdam, NL
  '2001:67c:2e8:22::c100:68b', // RIPE NCC, Amsterdam, NL
  '80.80.80.80', // Freenom, NL
  '83.57.233.151', // Telefónica, ES
  '80.58.61.250', // Movistar, ES
  '212.216.112.112', // TIM, IT
  '195.186.1.111', // Swisscom, CH
  '9.9.9.9', // Quad9, CH
  '194.242.2.2', // Mullvad, SE
  '89.160.20.112', // Bredband2, Linköping, SE
  '193.17.47.1', // CZ.NIC, CZ
  '194.204.159.1', // Orange Polska, PL
  '195.175.39.39', // Türk Telekom, TR
  '77.88.8.8', // Yandex, RU
  '2a02:6b8::feed:0ff', // Yandex, RU
  '197.210.54.33', // MTN Nigeria, NG
  '137.158.154.1', // University of Cape Town, ZA
  '202.54.1.30', // Tata Communications (VSNL), IN
  '114.114.114.114', // 114DNS, CN
  '223.5.5.5', // AliDNS, CN
  '2400:3200::1', // AliDNS, CN
  '119.29.29.29', // DNSPod (Tencent), CN
  '180.76.76.76', // Baidu, CN
  '175.16.199.1', // China Unicom, Changchun, CN
  '2001:da8::666', // CERNET, CN
  '101.101.101.101', // TWNIC Quad101, TW
  '168.126.63.1', // KT, KR
  '164.124.101.2', // LG U+, KR
  '202.12.27.33', // WIDE Project, JP
  '165.21.83.88', // SingNet, SG
  '139.130.4.5', // Telstra, AU
  '1.1.1.1', // Cloudflare and APNIC, AU
];

export function isIpv6(address: string): boolean {
  return address.includes(':');
}

/** `1.2.3.4:5678` or `[2001:db8::1]:443`, as Yammer and Exchange report a client. */
export function withPort(address: string, port: number): string {
  return isIpv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
}

/** `::ffff:1.2.3.4`, the IPv4-mapped form dual-stack front ends log; IPv6 addresses stay as they are. */
export function ipv4Mapped(address: string): string {
  return isIpv6(address) ? address : `::ffff:${address}`;
}
