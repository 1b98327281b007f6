import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientIpOf } from '../http/client-ip';
import type { AppServices } from '../http/types';
import type { AccessClaims } from '../modules/auth/tokens';
import { checkSession } from '../modules/auth/session-check';

export type { AppServices } from '../http/types';

export const ACCESS_COOKIE = 'ps_at';
export const REFRESH_COOKIE = 'ps_rt';

export interface Context extends AppServices {
  req: IncomingMessage;
  res: ServerResponse;
  /** 'cookie' when the call came through the web origin's proxy: tokens travel only in HttpOnly cookies. */
  transport: 'cookie' | 'bearer';
  ip: string;
  user: AccessClaims | null;
  /** Why the presented token was refused, to tell "expired" from "never logged in". */
  authError: string | null;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (k) out[k] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

export function createContextFactory(services: AppServices) {
  return async ({ req, res }: { req: IncomingMessage; res: ServerResponse }): Promise<Context> => {
    const transport = req.headers['x-auth-transport'] === 'cookie' ? 'cookie' : 'bearer';
    const cookies = parseCookies(req.headers.cookie);
    const auth = req.headers.authorization;
    const token = transport === 'cookie' ? cookies[ACCESS_COOKIE] : auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    let user: AccessClaims | null = null;
    let authError: string | null = null;
    if (token) {
      try {
        user = await services.keys.verifyAccess(token, services.cfg.AUTH_ISSUER);
      } catch (err) {
        authError = (err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid';
      }
      // A valid signature is not enough: the session must still stand (logout, disable, family revoke).
      if (user && !(await checkSession(services, user))) {
        user = null;
        authError = 'revoked';
      }
    }
    // X-Forwarded-For only from configured proxies (the web origin's /trpc proxy on loopback by default).
    const ip = clientIpOf(req, services.cfg.TRUSTED_PROXIES);
    return { ...services, req, res, transport, ip, user, authError };
  };
}
