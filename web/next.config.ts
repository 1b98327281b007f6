import path from 'node:path';
import type { NextConfig } from 'next';

// npm workspaces hoist dependencies to the monorepo root.
const monorepoRoot = path.join(__dirname, '..');

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  outputFileTracingRoot: monorepoRoot,
  turbopack: { root: monorepoRoot },
};

export default nextConfig;
