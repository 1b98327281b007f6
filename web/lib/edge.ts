/**
 * What the web origin believes about a request it proxies to the API: the client's address, and
 * whether a state-changing call really comes from our own pages. Shared by proxy.ts and the /trpc and
 * /files route handlers (server only).
 *
 * By default the web server is the first hop: a client's own X-Forwarded-For is dropped by proxy.ts,
 * and Next.js then fills in the socket's peer address. Behind N reverse proxies of our own, set
 * TRUSTED_PROXY_HOPS=N: the client is the address the outermost of them appended.
 */

/** Reverse proxies of our own in front of the web server (0: browsers connect directly). */
export function trustedProxyHops(): number {
  const n = Number(process.env.TRUSTED_PROXY_HOPS ?? 0);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 10) : 0;
}

/** Headers a client could use to lie about itself when no trusted proxy stands in front of us. */
export const UNTRUSTED_FORWARDING_HEADERS = [
  'x-forwarded-for',
  'x-real-ip',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'forwarded',
];

/** The client's address, as the API should see it in X-Forwarded-For. */
export function clientAddress(headers: Headers, hops = trustedProxyHops()): string {
  const chain = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (chain.length === 0) return '127.0.0.1';
  // hops = 0: proxy.ts removed the client's header, so the only entry is the peer Next.js saw.
  // hops = N: each of our proxies appended the one before it; the outermost appended the client.
  return chain[Math.max(0, chain.length - Math.max(1, hops))];
}

/** The host the browser addressed: Host, or X-Forwarded-Host set by a trusted proxy. */
export function requestHost(headers: Headers, hops = trustedProxyHops()): string | null {
  const fwd = hops > 0 ? headers.get('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  return fwd || headers.get('host');
}

/** Origins besides our own Host that may post to /trpc (WEB_ALLOWED_ORIGINS, comma separated). */
function extraOrigins(): string[] {
  return (process.env.WEB_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

/**
 * Whether a POST may go on to the API: its Origin must be this site (same host), or — for the rare
 * browser that sends no Origin — Sec-Fetch-Site must not say cross-site. Non-browser clients (no
 * Origin, no Sec-Fetch-Site) pass: they hold no victim's cookies.
 */
export function sameOriginRequest(headers: Headers): boolean {
  const origin = headers.get('origin');
  if (origin !== null) {
    if (extraOrigins().includes(origin)) return true;
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return false; // "null" (sandboxed frames, file:) and garbage
    }
    const own = requestHost(headers);
    return own !== null && host.toLowerCase() === own.toLowerCase();
  }
  const site = headers.get('sec-fetch-site');
  return site === null || site === 'same-origin' || site === 'none';
}
