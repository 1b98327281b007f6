/**
 * Same-origin proxy for tRPC: the browser calls /trpc/* on the web origin and this handler
 * forwards to the API process. The API uses cookie transport (HttpOnly ps_at / ps_rt), so the
 * browser never sees tokens and never talks to :4000 directly. Bodies are streamed back (SSE).
 */
import type { NextRequest } from 'next/server';
import { t } from '@/lib/i18n';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const API_URL = (process.env.API_INTERNAL_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');

const FORWARD_REQUEST_HEADERS = ['content-type', 'cookie', 'accept', 'last-event-id', 'trpc-accept', 'user-agent'];
const FORWARD_RESPONSE_HEADERS = ['content-type', 'cache-control', 'retry-after', 'vary', 'x-request-id'];

function clientIp(req: NextRequest): string {
  const xff = req.headers.get('x-forwarded-for');
  if (xff) return xff;
  return req.headers.get('x-real-ip') ?? '127.0.0.1';
}

/** A tRPC-shaped error so the client shows a Chinese message instead of "bad response". */
function unavailable(pathPart: string, isBatch: boolean): Response {
  const one = {
    error: {
      message: t.errors.unavailable,
      code: -32603,
      data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 502 },
    },
  };
  const body = isBatch ? pathPart.split(',').map(() => one) : one;
  return new Response(JSON.stringify(body), {
    status: 502,
    headers: { 'content-type': 'application/json' },
  });
}

async function proxy(req: NextRequest): Promise<Response> {
  const url = new URL(req.url);
  // Keep the raw (still encoded) procedure path, e.g. "auth.me,account.list".
  const pathPart = url.pathname.replace(/^\/trpc\/?/, '');
  const target = `${API_URL}/trpc/${pathPart}${url.search}`;

  const headers = new Headers();
  for (const name of FORWARD_REQUEST_HEADERS) {
    const v = req.headers.get(name);
    if (v !== null) headers.set(name, v);
  }
  headers.set('x-auth-transport', 'cookie');
  headers.set('x-forwarded-for', clientIp(req));
  const proto = req.headers.get('x-forwarded-proto') ?? url.protocol.replace(':', '');
  headers.set('x-forwarded-proto', proto);
  const host = req.headers.get('host');
  if (host) headers.set('x-forwarded-host', host);

  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: req.method,
      headers,
      body: hasBody ? await req.arrayBuffer() : undefined,
      redirect: 'manual',
      cache: 'no-store',
      signal: req.signal,
    });
  } catch {
    return unavailable(pathPart, url.searchParams.get('batch') === '1');
  }

  const out = new Headers();
  for (const name of FORWARD_RESPONSE_HEADERS) {
    const v = upstream.headers.get(name);
    if (v !== null) out.set(name, v);
  }
  for (const cookie of upstream.headers.getSetCookie()) out.append('set-cookie', cookie);
  if ((upstream.headers.get('content-type') ?? '').includes('text/event-stream')) {
    out.set('cache-control', 'no-cache, no-transform');
    out.set('x-accel-buffering', 'no');
  }

  return new Response(upstream.body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers: out,
  });
}

export const GET = proxy;
export const POST = proxy;
