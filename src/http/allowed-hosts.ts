// The names the endpoints answer to. A web page on another site can point a DNS name of its own at this
// machine (DNS rebinding) and then read the endpoints as if it were them, since to the browser they are
// its own origin; only the Host header gives such a request away. So a request is served only when its
// Host names this endpoint: the bound address or name, the loopback names when bound to loopback, this
// machine's name and addresses when bound to all of them, and whatever http.allowed_hosts adds.
import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

/** Whether a Host header value (with or without port) names this endpoint. */
export type HostCheck = (hostHeader: string | undefined) => boolean;

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '[::]', '']);

export function createHostCheck(boundHost: string, allowedHosts: readonly string[] = []): HostCheck {
  const bound = normaliseName(boundHost);
  const names = new Set([bound, ...allowedHosts.map(normaliseName)]);
  if (isLoopback(bound)) for (const name of LOOPBACK_NAMES) names.add(name);
  if (WILDCARD_ADDRESSES.has(bound)) for (const name of [...LOOPBACK_NAMES, ...machineNames()]) names.add(name);
  return (hostHeader) => hostHeader !== undefined && names.has(normaliseName(withoutPort(hostHeader)));
}

/** Whether the endpoints can be reached from other machines. */
export function isBeyondLoopback(boundHost: string): boolean {
  return !isLoopback(normaliseName(boundHost));
}

function isLoopback(name: string): boolean {
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** Lower case, IPv6 in brackets, no trailing dot: the spelling a Host header uses. */
function normaliseName(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\.$/, '');
  return isIP(lower) === 6 ? `[${lower}]` : lower;
}

function withoutPort(hostHeader: string): string {
  if (hostHeader.startsWith('[')) {
    const end = hostHeader.indexOf(']');
    return end < 0 ? hostHeader : hostHeader.slice(0, end + 1);
  }
  const colon = hostHeader.lastIndexOf(':');
  return colon < 0 ? hostHeader : hostHeader.slice(0, colon);
}

function machineNames(): string[] {
  const addresses = Object.values(networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
  return [hostname(), ...addresses].map(normaliseName);
}
