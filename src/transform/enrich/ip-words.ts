// IP addresses as 32-bit words (one for IPv4, four for IPv6), the form in which the ASN table bisects
// its ranges and the MaxMind DB reader walks its search tree bit by bit.

export function ipv4Word(ip: string, words: Uint32Array): boolean {
  let value = 0;
  for (const part of ip.split('.')) value = value * 256 + Number(part);
  words[0] = value;
  return true;
}

/** Writes an IPv6 address (`::` shorthand, an IPv4 tail and a zone allowed) as four words at `at`. */
export function ipv6Words(text: string, words: Uint32Array, at: number): boolean {
  let address = text.split('%')[0] as string;
  const tail = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    address = `${address.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const head = halves[0] === '' ? [] : (halves[0] as string).split(':');
  const rest = halves.length === 1 || halves[1] === '' ? [] : (halves[1] as string).split(':');
  const missing = 8 - head.length - rest.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return false;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...rest];
  for (let i = 0; i < 8; i += 2) {
    const high = Number.parseInt(groups[i] as string, 16);
    const low = Number.parseInt(groups[i + 1] as string, 16);
    if (!(high >= 0 && high <= 0xffff && low >= 0 && low <= 0xffff)) return false;
    words[at + i / 2] = high * 0x10000 + low;
  }
  return true;
}
