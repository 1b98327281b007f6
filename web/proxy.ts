/**
 * Runs before every page and route (Next.js 16 "proxy", formerly middleware):
 * - a fresh nonce per page request and a Content-Security-Policy that allows only scripts carrying it
 *   ('strict-dynamic' lets them load Next's chunks). Next.js reads the nonce from the CSP request header
 *   and puts it on its own scripts; pages render dynamically (app/layout.tsx) so every response gets one.
 * - unless TRUSTED_PROXY_HOPS says a proxy of ours stands in front, the client's own X-Forwarded-* headers
 *   are dropped, so Next.js fills in the real peer and the /trpc proxy passes the truth to the API.
 * The static security headers (X-Frame-Options, nosniff, Referrer-Policy, Permissions-Policy, HSTS) are in
 * next.config.ts.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { trustedProxyHops, UNTRUSTED_FORWARDING_HEADERS } from '@/lib/edge';

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === 'development';
  return [
    "default-src 'self'",
    // React's development build evaluates code for refresh and error overlays: never in production.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // Ant Design (CSS-in-JS) injects <style> tags and style attributes at run time.
    "style-src 'self' 'unsafe-inline'",
    // QR codes and ECharts exports are data: URLs, photo previews blob: URLs, documents come from /files.
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  if (trustedProxyHops() === 0) for (const h of UNTRUSTED_FORWARDING_HEADERS) headers.delete(h);

  const path = request.nextUrl.pathname;
  // API proxies answer JSON, event streams and PDFs: no page, no scripts, no nonce.
  if (path.startsWith('/trpc/') || path.startsWith('/files/')) {
    return NextResponse.next({ request: { headers } });
  }

  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const csp = contentSecurityPolicy(nonce);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  matcher: [
    // Everything but build assets (hashed, immutable, no personal data) and the icon.
    '/((?!_next/static|_next/image|favicon.ico|icon.svg).*)',
  ],
};
