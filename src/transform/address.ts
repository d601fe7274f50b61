// Client addresses as the audit records write them: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`,
// `[2001:db8::1]:443`, `::ffff:1.2.3.4` (an IPv4 client seen through an IPv6 socket), sometimes with
// an IPv6 zone. The result is a bare IP an `ip` field accepts, plus the port when one was given.
import { isIPv4, isIPv6 } from 'node:net';

export interface ClientAddress {
  ip: string;
  port?: number;
}

const BRACKETED = /^\[([^\]]*)\](?::(\d{1,5}))?$/;
const IPV4_WITH_PORT = /^([^:]+):(\d{1,5})$/;
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The address in `value` (already trimmed, non-empty), or undefined when it is not an IP address. */
export function parseClientAddress(value: string): ClientAddress | undefined {
  let host = value;
  let port: string | undefined;
  const bracketed = BRACKETED.exec(value);
  if (bracketed !== null) {
    host = bracketed[1] as string;
    port = bracketed[2];
  } else {
    // One colon can only be IPv4:port; IPv6 has at least two.
    const withPort = IPV4_WITH_PORT.exec(value);
    if (withPort !== null) {
      host = withPort[1] as string;
      port = withPort[2];
    }
  }
  const ip = normaliseIp(host);
  if (ip === undefined) return undefined;
  if (port === undefined) return { ip };
  const portNumber = Number(port);
  return portNumber <= 65535 ? { ip, port: portNumber } : undefined;
}

function normaliseIp(host: string): string | undefined {
  const zone = host.indexOf('%');
  const bare = zone >= 0 && host.includes(':') ? host.slice(0, zone) : host;
  const mapped = IPV4_MAPPED.exec(bare);
  if (mapped !== null) return isIPv4(mapped[1] as string) ? (mapped[1] as string) : undefined;
  if (isIPv4(bare)) return bare;
  if (isIPv6(bare)) return bare.toLowerCase();
  return undefined;
}

export interface HostName {
  domain: string;
  /** The address given beside the name, as in `host (1.2.3.4)`. */
  ip?: string;
}

// A host name has a letter somewhere, so that a malformed IPv4 address (`1.2.3.256`) is not taken for one.
const HOST_NAME = /^(?=[^:]*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)*$/;
const NAMED_ADDRESS = /^\[?([^\s()[\]]+) \(([^)]*)\)\]?$/;
const NAME_WITH_PORT = /^\[?([^\s()[\]:]+)\]?:\d{1,5}$/;

/** `name (what)`, as Exchange writes a host beside its address (or, for servers, its build number). */
export function splitNamedAddress(value: string): { name: string; inParentheses: string } | undefined {
  const named = NAMED_ADDRESS.exec(value);
  return named === null ? undefined : { name: named[1] as string, inParentheses: (named[2] as string).trim() };
}

/**
 * A client or server named by host name, as Exchange writes some of them: `host`, `host:port`,
 * `[host]:port`, or `host (address)` with the address in parentheses when it is an IP.
 */
export function parseHostName(value: string): HostName | undefined {
  const named = splitNamedAddress(value);
  if (named !== undefined) {
    if (!HOST_NAME.test(named.name)) return undefined;
    const ip = parseClientAddress(named.inParentheses)?.ip;
    return ip === undefined ? { domain: named.name } : { domain: named.name, ip };
  }
  const domain = NAME_WITH_PORT.exec(value)?.[1] ?? value;
  return HOST_NAME.test(domain) ? { domain } : undefined;
}
