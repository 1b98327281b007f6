import path from 'node:path';
import type { NextConfig } from 'next';

// npm workspaces hoist dependencies to the monorepo root.
const monorepoRoot = path.join(__dirname, '..');

/**
 * Security headers on every response. The Content-Security-Policy (with a per-request nonce) comes from
 * proxy.ts; HSTS only from a production server (`next start` after `next build`), never in development.
 */
const securityHeaders = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), browsing-topics=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  ...(process.env.NODE_ENV === 'production' ? [{ key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' }] : []),
];

const nextConfig: NextConfig = {
  // Container images (web/Dockerfile) build with NEXT_OUTPUT=standalone: a self-contained server.js with only
  // the files it needs. Left unset, the build is the one `next start` serves (npm start, the e2e stack).
  ...(process.env.NEXT_OUTPUT === 'standalone' ? { output: 'standalone' as const } : {}),
  reactStrictMode: true,
  poweredByHeader: false,
  outputFileTracingRoot: monorepoRoot,
  turbopack: { root: monorepoRoot },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
