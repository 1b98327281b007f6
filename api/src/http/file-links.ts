/**
 * Signed file links: a procedure that has checked who may see a file hands out `<path>?token=…`, and the
 * raw GET route under /files/ serves it to whoever holds the token. So an <img>, a browser download, the
 * web proxy and wx.downloadFile need no cookie or header. The token is a short-lived ES256 JWT from the
 * auth key ring with its own audience (it never passes as an access token, nor the reverse), naming the
 * one file it opens.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config';
import type { KeyRing } from '../modules/auth/tokens';

export const FILE_TOKEN_AUDIENCE = 'power-files';

export interface FileLink {
  url: string;
  expiresAt: string;
}

/** `claims` name the file (e.g. `{ pid, kind }`); the route compares them with the path it serves. */
export async function signFileLink(
  services: { cfg: Config; keys: KeyRing },
  path: string,
  claims: Record<string, string>,
  o: { subject: string; ttlSec: number; nowSec?: number },
): Promise<FileLink> {
  const nowSec = o.nowSec ?? Math.floor(Date.now() / 1000);
  const token = await services.keys.signScoped(claims, {
    audience: FILE_TOKEN_AUDIENCE,
    subject: o.subject,
    issuer: services.cfg.AUTH_ISSUER,
    ttlSec: o.ttlSec,
    nowSec,
  });
  return { url: `${path}?token=${token}`, expiresAt: new Date((nowSec + o.ttlSec) * 1000).toISOString() };
}

export function refuseFile(res: ServerResponse, status: number, message: string) {
  const body = JSON.stringify({ error: status, message });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/**
 * The claims of the request's token when it is valid and `matches` them; otherwise the request has been
 * answered (401 missing/invalid/expired, 403 a token for another file) and the result is null.
 */
export async function readFileToken(
  services: { cfg: Config; keys: KeyRing },
  req: IncomingMessage,
  res: ServerResponse,
  matches: (claims: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown> | null> {
  const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
  if (!token) {
    refuseFile(res, 401, '链接无效，请返回重新打开');
    return null;
  }
  let claims: Record<string, unknown>;
  try {
    claims = await services.keys.verifyScoped(token, { audience: FILE_TOKEN_AUDIENCE, issuer: services.cfg.AUTH_ISSUER });
  } catch (err) {
    const expired = (err as { code?: string }).code === 'ERR_JWT_EXPIRED';
    refuseFile(res, 401, expired ? '链接已过期，请返回重新打开' : '链接无效，请返回重新打开');
    return null;
  }
  if (!matches(claims)) {
    refuseFile(res, 403, '链接与文件不符');
    return null;
  }
  return claims;
}
