import http from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { appRouter } from '../trpc/app-router';
import { createContextFactory } from '../trpc/context';
import type { AppServices, RawRoute } from './types';
export type { RawRoute } from './types';
import { pingDatabase } from '../db/connect';
import { scrubText } from '../logger';
import { MAX_BATCH_SIZE, MAX_BODY_BYTES } from '../trpc/edge-errors';

/**
 * Extra routes outside tRPC (e.g. the WeChat Pay callback), which need the raw body and own status codes.
 * Keys are "METHOD /path"; a key ending in "/*" matches every path below it (file downloads).
 */

function findRawRoute(routes: Record<string, RawRoute>, method: string, pathname: string): RawRoute | undefined {
  const exact = routes[`${method} ${pathname}`];
  if (exact) return exact;
  for (const [key, route] of Object.entries(routes)) {
    if (key.endsWith('/*') && `${method} ${pathname}`.startsWith(key.slice(0, -1))) return route;
  }
  return undefined;
}

export function createApiServer(services: AppServices, rawRoutes: Record<string, RawRoute> = {}) {
  const allowedOrigins = new Set(
    services.cfg.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: createContextFactory(services),
    // Order photos arrive as base64 data URLs (≤ 5 MB decoded ≈ 6.7 MB encoded).
    maxBodySize: MAX_BODY_BYTES,
    // One HTTP request may carry at most this many calls (the errorFormatter words the refusal in Chinese).
    maxBatchSize: MAX_BATCH_SIZE,
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        services.log.error({ path, err: scrubText(String(error.cause?.stack ?? error.stack)) }, 'procedure failed');
      }
    },
  });

  return http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    if (origin && allowedOrigins.has(origin)) {
      // Bearer-token clients only (the mini-program's H5 build); cookies never cross origins.
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
      res.setHeader('access-control-allow-headers', 'content-type, authorization, trpc-accept, last-event-id');
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
    }
    try {
      if (url.pathname === '/healthz') {
        const db = await pingDatabase();
        res.writeHead(db ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ status: db ? 'ok' : 'degraded', db: db ? 'up' : 'down', time: new Date().toISOString() }));
        return;
      }
      if (url.pathname.startsWith('/trpc/')) {
        // Answers carry personal data: never stored by browsers or shared caches.
        res.setHeader('cache-control', 'no-store');
        res.setHeader('x-content-type-options', 'nosniff');
        trpcHandler(req, res);
        return;
      }
      const raw = findRawRoute(rawRoutes, req.method ?? 'GET', url.pathname);
      if (raw) {
        await raw(req, res);
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
    } catch (err) {
      services.log.error({ err: scrubText(String((err as Error).stack ?? err)) }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal error' }));
    }
  });
}
