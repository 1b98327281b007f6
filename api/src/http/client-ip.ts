/**
 * The client's address behind reverse proxies. X-Forwarded-For is a list anyone can write, so it is
 * believed only hop by hop from the right: the direct peer must be a configured proxy (TRUSTED_PROXIES),
 * then each address it reports is the client unless it is itself a trusted proxy, and so on. The first
 * untrusted address from the right is the client; entries further left were written by the client itself.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export interface TrustedProxies {
  has(address: string): boolean;
}

/** "::ffff:1.2.3.4" → "1.2.3.4", "[::1]:443" → "::1", "1.2.3.4:80" → "1.2.3.4", "fe80::1%eth0" → "fe80::1"; null if not an IP. */
export function normalizeIp(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let s = raw.trim();
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracket) s = bracket[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(':'));
  const zone = s.indexOf('%');
  if (zone > 0) s = s.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(s);
  if (mapped) s = mapped[1];
  return isIP(s) ? s.toLowerCase() : null;
}

function parseEntry(entry: string): { address: string; prefix: number | null; family: 'ipv4' | 'ipv6' } | null {
  const [addr, bits, ...rest] = entry.trim().split('/');
  if (rest.length) return null;
  const address = normalizeIp(addr);
  if (!address) return null;
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  if (bits === undefined) return { address, prefix: null, family };
  if (!/^\d{1,3}$/.test(bits)) return null;
  let prefix = Number(bits);
  // "::ffff:10.0.0.0/104" is the IPv4 range 10.0.0.0/8 written as IPv6.
  if (family === 'ipv4' && isIP(addr.trim()) === 6) prefix -= 96;
  if (prefix < 0 || prefix > (family === 'ipv4' ? 32 : 128)) return null;
  return { address, prefix, family };
}

/** True when every comma-separated entry is an IP address or CIDR (an empty list trusts nobody). */
export function isValidProxyList(spec: string): boolean {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .every((e) => parseEntry(e) !== null);
}

/** Parses TRUSTED_PROXIES ("127.0.0.1,::1,10.0.0.0/8"); throws on an entry that is not an IP or CIDR. */
export function parseTrustedProxies(spec: string): TrustedProxies {
  const list = new BlockList();
  for (const raw of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const e = parseEntry(raw);
    if (!e) throw new Error(`TRUSTED_PROXIES: not an IP address or CIDR: ${raw}`);
    if (e.prefix === null) list.addAddress(e.address, e.family);
    else list.addSubnet(e.address, e.prefix, e.family);
  }
  return {
    has(address: string) {
      const ip = normalizeIp(address);
      if (!ip) return false;
      return list.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The client address for a request that arrived from `peer` (req.socket.remoteAddress) carrying
 * `forwardedFor` (the X-Forwarded-For header, possibly repeated). Pure, for tests.
 */
export function resolveClientIp(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: TrustedProxies): string {
  const direct = normalizeIp(peer) ?? peer ?? '';
  if (!direct || !trusted.has(direct) || !forwardedFor) return direct;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let client = direct;
  for (let i = hops.length - 1; i >= 0; i--) {
    const ip = normalizeIp(hops[i]);
    // Garbage in the list: nothing left of it can be believed; the last trusted hop is what we know.
    if (!ip) return client;
    client = ip;
    if (!trusted.has(ip)) return ip;
  }
  // Every hop is a trusted proxy (e.g. a browser on the same machine as the web proxy): the left-most one.
  return client;
}

const cache = new Map<string, TrustedProxies>();

/** resolveClientIp with TRUSTED_PROXIES parsed once per distinct setting. */
export function clientIpOf(req: Pick<IncomingMessage, 'socket' | 'headers'>, trustedSpec: string): string {
  let trusted = cache.get(trustedSpec);
  if (!trusted) {
    trusted = parseTrustedProxies(trustedSpec);
    cache.set(trustedSpec, trusted);
  }
  return resolveClientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], trusted);
}
