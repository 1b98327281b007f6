/**
 * Same-origin proxy for signed files (receipt and e-invoice PDFs, order photos): the browser opens the path
 * that billing.documentLink / workorder.photoLinks returned (/files/…?token=…) on the web origin
 * and this handler streams it from the API. The short-lived token in the URL is the only credential,
 * so cookies are not forwarded.
 */
import type { NextRequest } from 'next/server';
import { clientAddress } from '@/lib/edge';
import { t } from '@/lib/i18n';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const API_URL = (process.env.API_INTERNAL_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');

const FORWARD_RESPONSE_HEADERS = ['content-type', 'content-length', 'content-disposition', 'cache-control', 'x-content-type-options'];

async function proxy(req: NextRequest): Promise<Response> {
  const url = new URL(req.url);
  // Dot segments are resolved by the URL parser: whatever is left must still be below /files/.
  if (!url.pathname.startsWith('/files/')) return Response.json({ error: 404, message: '文件不存在' }, { status: 404 });
  // The address we saw (proxy.ts dropped the client's own X-Forwarded-For), never the client's claim.
  const headers = new Headers({ 'x-forwarded-for': clientAddress(req.headers) });
  const ua = req.headers.get('user-agent');
  if (ua) headers.set('user-agent', ua);
  let upstream: Response;
  try {
    upstream = await fetch(`${API_URL}${url.pathname}${url.search}`, {
      method: req.method,
      headers,
      redirect: 'manual',
      cache: 'no-store',
      signal: req.signal,
    });
  } catch {
    return Response.json({ error: 502, message: t.errors.unavailable }, { status: 502, headers: { 'cache-control': 'no-store' } });
  }
  const out = new Headers();
  for (const name of FORWARD_RESPONSE_HEADERS) {
    const v = upstream.headers.get(name);
    if (v !== null) out.set(name, v);
  }
  // Receipts, invoices and order photos are personal: a browser may keep one (private), a shared cache never.
  const cc = out.get('cache-control') ?? '';
  if (!/\b(private|no-store)\b/.test(cc)) out.set('cache-control', 'private, no-store');
  out.set('x-content-type-options', 'nosniff');
  // The link's token is in the URL: never send it on as a Referer.
  out.set('referrer-policy', 'no-referrer');
  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: out });
}

export const GET = proxy;
