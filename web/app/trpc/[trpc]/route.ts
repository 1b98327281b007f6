/**
 * Same-origin proxy for tRPC: the browser calls /trpc/* on the web origin and this handler
 * forwards to the API process. The API uses cookie transport (HttpOnly ps_at / ps_rt), so the
 * browser never sees tokens and never talks to :4000 directly. Bodies are streamed back (SSE).
 */
import type { NextRequest } from 'next/server';
import { clientAddress, requestHost, sameOriginRequest, trustedProxyHops } from '@/lib/edge';
import { t } from '@/lib/i18n';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const API_URL = (process.env.API_INTERNAL_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');

const FORWARD_REQUEST_HEADERS = ['content-type', 'cookie', 'accept', 'last-event-id', 'trpc-accept', 'user-agent'];
const FORWARD_RESPONSE_HEADERS = ['content-type', 'cache-control', 'retry-after', 'vary', 'x-request-id'];

/** Largest request body passed on (the API's own limit: order photos travel as data URLs). */
const MAX_BODY_BYTES = 15 * 1024 * 1024;

const REFUSALS = {
  unavailable: { status: 502, code: 'INTERNAL_SERVER_ERROR', rpc: -32603, message: () => t.errors.unavailable },
  crossSite: { status: 403, code: 'FORBIDDEN', rpc: -32003, message: () => '请求来源不受信任：请在本站页面内操作' },
  tooLarge: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    rpc: -32413,
    message: () => `请求内容过大（上限 ${MAX_BODY_BYTES / 1024 / 1024} MB），请压缩图片或减少内容后重试`,
  },
} as const;

/** A tRPC-shaped error so the client shows a Chinese message instead of "bad response". */
function refuse(kind: keyof typeof REFUSALS, pathPart: string, isBatch: boolean): Response {
  const r = REFUSALS[kind];
  const one = { error: { message: r.message(), code: r.rpc, data: { code: r.code, httpStatus: r.status } } };
  const body = isBatch ? pathPart.split(',').map(() => one) : one;
  return new Response(JSON.stringify(body), {
    status: r.status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}

function unavailable(pathPart: string, isBatch: boolean): Response {
  return refuse('unavailable', pathPart, isBatch);
}

/** The request body, or null once it passes `limit` bytes (read no further: the answer is 413). */
async function readCapped(req: NextRequest, limit: number): Promise<ArrayBuffer | null> {
  if (!req.body) return new ArrayBuffer(0);
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out.buffer;
}

async function proxy(req: NextRequest): Promise<Response> {
  const url = new URL(req.url);
  // Keep the raw (still encoded) procedure path, e.g. "auth.me,account.list".
  const pathPart = url.pathname.replace(/^\/trpc\/?/, '');
  const target = `${API_URL}/trpc/${pathPart}${url.search}`;
  const isBatch = url.searchParams.get('batch') === '1';
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';

  // Cookies ride along with any request the browser makes: a mutation must come from our own pages.
  if (hasBody && !sameOriginRequest(req.headers)) return refuse('crossSite', pathPart, isBatch);
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (hasBody && declared > MAX_BODY_BYTES) return refuse('tooLarge', pathPart, isBatch);
  let body: ArrayBuffer | undefined;
  if (hasBody) {
    const read = await readCapped(req, MAX_BODY_BYTES);
    if (read === null) return refuse('tooLarge', pathPart, isBatch);
    body = read;
  }

  const headers = new Headers();
  for (const name of FORWARD_REQUEST_HEADERS) {
    const v = req.headers.get(name);
    if (v !== null) headers.set(name, v);
  }
  headers.set('x-auth-transport', 'cookie');
  // Only the address we actually saw (or our trusted proxies reported): never the client's own claim.
  headers.set('x-forwarded-for', clientAddress(req.headers));
  const proto = (trustedProxyHops() > 0 ? req.headers.get('x-forwarded-proto') : null) ?? url.protocol.replace(':', '');
  headers.set('x-forwarded-proto', proto);
  const host = requestHost(req.headers);
  if (host) headers.set('x-forwarded-host', host);

  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: req.method,
      headers,
      body,
      redirect: 'manual',
      cache: 'no-store',
      signal: req.signal,
    });
  } catch {
    return unavailable(pathPart, isBatch);
  }

  const out = new Headers();
  for (const name of FORWARD_RESPONSE_HEADERS) {
    const v = upstream.headers.get(name);
    if (v !== null) out.set(name, v);
  }
  for (const cookie of upstream.headers.getSetCookie()) out.append('set-cookie', cookie);
  // Personal data: never cached, whatever the upstream said or forgot to say.
  if (!out.has('cache-control')) out.set('cache-control', 'no-store');
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
