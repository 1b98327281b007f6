/**
 * WeChat login / phone-number simulator (development and tests only).
 *
 * It stands in for the external WeChat service, speaking the real server-side endpoints with the real
 * error codes, plus "device side" endpoints that do what the WeChat client would do (wx.login,
 * the getPhoneNumber button), so the H5 build and tests can obtain codes.
 *
 * Real endpoints (answers are HTTP 200 with `errcode` on failure, like WeChat):
 *   GET  /sns/jscode2session?appid&secret&js_code&grant_type=authorization_code
 *        → {openid, session_key, unionid?}   (Content-Type text/plain, as the real one: parse the text)
 *   GET  /cgi-bin/token?grant_type=client_credential&appid&secret → {access_token, expires_in: 7200}
 *   POST /cgi-bin/stable_token {grant_type, appid, secret, force_refresh?} → {access_token, expires_in}
 *   POST /wxa/business/getuserphonenumber?access_token=…  {code}
 *        → {errcode: 0, errmsg: 'ok', phone_info: {phoneNumber, purePhoneNumber, countryCode, watermark: {timestamp, appid}}}
 *
 * Device side (CORS open, incl. OPTIONS preflight):
 *   POST /sim/wx/login {appid, simUser}        → {code}     (same appid+simUser → same openid)
 *   POST /sim/wx/phone {appid, simUser, phone} → {code}
 *   GET  /sim/wx/openid?appid&simUser          → {openid, unionid}   (what a login of simUser yields)
 *   GET  /sim/health                           → {ok: true, appids}
 *   POST /sim/reset                            → {ok: true}          (forget all codes and tokens)
 *
 * Error codes used: 40013 invalid appid, 40125 invalid appsecret, 40029 invalid code (unknown, expired
 * after 5 minutes, or issued for another appid), 40163 code been used, 40002 invalid grant_type,
 * 41002/41004/41008 missing appid/secret/code, 40001 invalid access_token, 42001 access_token expired,
 * 47001 data format error, 43001/43002 wrong HTTP method. Messages end with ", rid: …" like WeChat's;
 * match on errcode, never on errmsg.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface WechatSimApp {
  appid: string;
  secret: string;
}

export interface WechatSimulatorOptions {
  /** The mini-program's appid (default wx8d2c3f1a5b7e9d01). Ignored when `apps` is given. */
  appid?: string;
  /** Its AppSecret (default dev-secret-change-me). Ignored when `apps` is given. */
  appSecret?: string;
  /** Several apps at once. */
  apps?: WechatSimApp[];
  /** Clock in epoch milliseconds (default Date.now); inject one to test expiry. */
  now?: () => number;
  /** Lifetime of wx.login and phone codes (default 5 minutes). */
  codeTtlMs?: number;
  /** access_token lifetime in seconds (default 7200). */
  accessTokenTtlSec?: number;
  /** Include `unionid` in jscode2session answers (default true). */
  unionid?: boolean;
  /** Request log (default: none). */
  log?: (line: string) => void;
}

export interface WechatSimulatorControl {
  /** Same as POST /sim/wx/login. Throws on an unknown appid. */
  issueLoginCode(appid: string, simUser: string): string;
  /** Same as POST /sim/wx/phone. */
  issuePhoneCode(appid: string, simUser: string, phone: string, countryCode?: string): string;
  openidFor(appid: string, simUser: string): string;
  unionidFor(simUser: string): string;
  /** Forget every code, session and token. */
  reset(): void;
}

export type WechatSimulatorServer = Server & { wechat: WechatSimulatorControl };

export const DEFAULT_WECHAT_APPID = 'wx8d2c3f1a5b7e9d01';
export const DEFAULT_WECHAT_APP_SECRET = 'dev-secret-change-me';

const base64url = (b: Buffer) => b.toString('base64url');
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Deterministic openid of a simulated user for one app: 'o' + base64url(sha256(appid + simUser)).slice(0, 27). */
export function simOpenid(appid: string, simUser: string): string {
  return 'o' + base64url(sha256(appid + simUser)).slice(0, 27);
}

/** Deterministic unionid (same across apps of one open-platform account). */
export function simUnionid(simUser: string): string {
  return 'o' + base64url(sha256('unionid:' + simUser)).slice(0, 27);
}

interface LoginCode {
  appid: string;
  simUser: string;
  issuedAt: number;
  used: boolean;
}

interface PhoneCode {
  appid: string;
  simUser: string;
  purePhoneNumber: string;
  countryCode: string;
  issuedAt: number;
  used: boolean;
}

interface AccessToken {
  appid: string;
  expiresAt: number;
  /** Set when a newer token replaced this one: WeChat keeps the old one valid for 5 more minutes. */
  supersededAt: number | null;
  kind: 'token' | 'stable';
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.errmsg ?? body.error ?? status));
  }
}

const ACCESS_TOKEN_GRACE_MS = 5 * 60_000;
const MAX_BODY_BYTES = 64 * 1024;

export function createWechatSimulator(opts: WechatSimulatorOptions = {}): WechatSimulatorServer {
  const now = opts.now ?? Date.now;
  const codeTtlMs = opts.codeTtlMs ?? 5 * 60_000;
  const tokenTtlSec = opts.accessTokenTtlSec ?? 7200;
  const withUnionid = opts.unionid ?? true;
  const log = opts.log;
  const apps = new Map<string, string>(
    (opts.apps ?? [{ appid: opts.appid ?? DEFAULT_WECHAT_APPID, secret: opts.appSecret ?? DEFAULT_WECHAT_APP_SECRET }]).map((a) => [
      a.appid,
      a.secret,
    ]),
  );

  const loginCodes = new Map<string, LoginCode>();
  const phoneCodes = new Map<string, PhoneCode>();
  const tokens = new Map<string, AccessToken>();
  /** Current token per appid and kind. */
  const currentToken = new Map<string, string>();

  const rid = () => randomBytes(12).toString('hex').slice(0, 24);
  const wxError = (errcode: number, errmsg: string) => ({ errcode, errmsg: `${errmsg}, rid: ${rid()}` });
  const newCode = () => base64url(randomBytes(24)); // 32 chars, like a real wx.login code

  function prune(): void {
    const t = now();
    if (loginCodes.size > 1000) for (const [k, v] of loginCodes) if (t - v.issuedAt > codeTtlMs * 2) loginCodes.delete(k);
    if (phoneCodes.size > 1000) for (const [k, v] of phoneCodes) if (t - v.issuedAt > codeTtlMs * 2) phoneCodes.delete(k);
    if (tokens.size > 1000) for (const [k, v] of tokens) if (v.expiresAt < t) tokens.delete(k);
  }

  function requireKnownApp(appid: unknown): string {
    if (typeof appid !== 'string' || !apps.has(appid)) {
      throw new HttpError(400, { error: `unknown appid ${JSON.stringify(appid)}`, errcode: 40013, errmsg: 'invalid appid' });
    }
    return appid;
  }

  function requireSimUser(simUser: unknown): string {
    if (typeof simUser !== 'string' || simUser.length === 0 || simUser.length > 128) {
      throw new HttpError(400, { error: 'simUser must be a non-empty string (max 128 chars)' });
    }
    return simUser;
  }

  const control: WechatSimulatorControl = {
    issueLoginCode(appid, simUser) {
      requireKnownApp(appid);
      requireSimUser(simUser);
      prune();
      const code = newCode();
      loginCodes.set(code, { appid, simUser, issuedAt: now(), used: false });
      return code;
    },
    issuePhoneCode(appid, simUser, phone, countryCode = '86') {
      requireKnownApp(appid);
      requireSimUser(simUser);
      const cc = String(countryCode).replace(/^\+/, '');
      if (!/^\d{1,4}$/.test(cc)) throw new HttpError(400, { error: 'countryCode must be 1-4 digits' });
      let pure = String(phone).replace(/[\s-]/g, '');
      if (cc === '86') pure = pure.replace(/^(\+86|0086)/, '');
      if (cc === '86' ? !/^1\d{10}$/.test(pure) : !/^\d{4,15}$/.test(pure)) {
        throw new HttpError(400, { error: `invalid phone ${JSON.stringify(phone)} (mainland numbers: 1 + 10 digits)` });
      }
      prune();
      const code = newCode();
      phoneCodes.set(code, { appid, simUser, purePhoneNumber: pure, countryCode: cc, issuedAt: now(), used: false });
      return code;
    },
    openidFor: simOpenid,
    unionidFor: simUnionid,
    reset() {
      loginCodes.clear();
      phoneCodes.clear();
      tokens.clear();
      currentToken.clear();
    },
  };

  // -------------------------------------------------------------------------------------------
  // Real endpoints
  // -------------------------------------------------------------------------------------------

  /** Common appid/secret check; returns an error body or null. */
  function checkCredentials(appid: string | null, secret: string | null): Record<string, unknown> | null {
    if (!appid) return wxError(41002, 'appid missing');
    if (!apps.has(appid)) return wxError(40013, 'invalid appid');
    if (!secret) return wxError(41004, 'appsecret missing');
    if (apps.get(appid) !== secret) return wxError(40125, 'invalid appsecret');
    return null;
  }

  function jscode2session(q: URLSearchParams): Record<string, unknown> {
    const appid = q.get('appid');
    const credErr = checkCredentials(appid, q.get('secret'));
    if (credErr) return credErr;
    const grantType = q.get('grant_type');
    if (grantType !== null && grantType !== 'authorization_code') return wxError(40002, 'invalid grant_type');
    const jsCode = q.get('js_code');
    if (!jsCode) return wxError(41008, 'missing code');
    const entry = loginCodes.get(jsCode);
    if (!entry || entry.appid !== appid) return wxError(40029, 'invalid code');
    if (entry.used) return wxError(40163, 'code been used');
    if (now() - entry.issuedAt > codeTtlMs) return wxError(40029, 'invalid code');
    entry.used = true;
    const body: Record<string, unknown> = {
      session_key: randomBytes(16).toString('base64'),
      openid: simOpenid(entry.appid, entry.simUser),
    };
    if (withUnionid) body.unionid = simUnionid(entry.simUser);
    return body;
  }

  function issueAccessToken(appid: string, kind: 'token' | 'stable', forceRefresh: boolean) {
    const t = now();
    const key = `${kind}:${appid}`;
    const existingId = currentToken.get(key);
    const existing = existingId ? tokens.get(existingId) : undefined;
    // stable_token without force_refresh returns the current token while it is valid.
    if (kind === 'stable' && !forceRefresh && existing && existing.expiresAt > t) {
      return { access_token: existingId!, expires_in: Math.floor((existing.expiresAt - t) / 1000) };
    }
    if (existing) existing.supersededAt = t;
    prune();
    const token = `SIM_${kind === 'stable' ? 'S' : 'T'}_${base64url(randomBytes(48))}`;
    tokens.set(token, { appid, expiresAt: t + tokenTtlSec * 1000, supersededAt: null, kind });
    currentToken.set(key, token);
    return { access_token: token, expires_in: tokenTtlSec };
  }

  function cgiToken(q: URLSearchParams): Record<string, unknown> {
    if (q.get('grant_type') !== 'client_credential') return wxError(40002, 'invalid grant_type');
    const appid = q.get('appid');
    const credErr = checkCredentials(appid, q.get('secret'));
    if (credErr) return credErr;
    return issueAccessToken(appid!, 'token', false);
  }

  function stableToken(body: Record<string, unknown>): Record<string, unknown> {
    if (body.grant_type !== 'client_credential') return wxError(40002, 'invalid grant_type');
    const appid = typeof body.appid === 'string' ? body.appid : null;
    const secret = typeof body.secret === 'string' ? body.secret : null;
    const credErr = checkCredentials(appid, secret);
    if (credErr) return credErr;
    return issueAccessToken(appid!, 'stable', body.force_refresh === true);
  }

  /** Returns the appid of a usable access token, or an error body. */
  function checkAccessToken(token: string | null): { appid: string } | { error: Record<string, unknown> } {
    if (!token) return { error: wxError(41001, 'access_token missing') };
    const entry = tokens.get(token);
    const t = now();
    if (!entry) return { error: wxError(40001, 'invalid credential, access_token is invalid or not latest') };
    if (entry.expiresAt <= t) return { error: wxError(42001, 'access_token expired') };
    if (entry.supersededAt !== null && t - entry.supersededAt > ACCESS_TOKEN_GRACE_MS) {
      return { error: wxError(40001, 'invalid credential, access_token is invalid or not latest') };
    }
    return { appid: entry.appid };
  }

  function getUserPhoneNumber(q: URLSearchParams, body: Record<string, unknown>): Record<string, unknown> {
    const auth = checkAccessToken(q.get('access_token'));
    if ('error' in auth) return auth.error;
    const code = body.code;
    if (typeof code !== 'string' || code === '') return wxError(47001, 'data format error');
    const entry = phoneCodes.get(code);
    if (!entry || entry.appid !== auth.appid) return wxError(40029, 'invalid code');
    if (entry.used) return wxError(40163, 'code been used');
    if (now() - entry.issuedAt > codeTtlMs) return wxError(40029, 'invalid code');
    entry.used = true;
    const phoneNumber = entry.countryCode === '86' ? entry.purePhoneNumber : `+${entry.countryCode}${entry.purePhoneNumber}`;
    return {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber,
        purePhoneNumber: entry.purePhoneNumber,
        countryCode: entry.countryCode,
        watermark: { timestamp: Math.floor(now() / 1000), appid: entry.appid },
      },
    };
  }

  // -------------------------------------------------------------------------------------------
  // HTTP plumbing
  // -------------------------------------------------------------------------------------------

  function setCors(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('Access-Control-Allow-Origin', typeof req.headers.origin === 'string' ? req.headers.origin : '*');
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'content-type, authorization');
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Max-Age', '600');
  }

  function send(res: ServerResponse, status: number, body: unknown, contentType = 'application/json; charset=utf-8'): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) {
          reject(new HttpError(413, { errcode: 47001, errmsg: 'data format error' }));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  /** JSON object body; `wx` selects WeChat-style (47001) or device-style (400) errors. */
  async function readJson(req: IncomingMessage, wx: boolean): Promise<Record<string, unknown>> {
    const text = await readBody(req);
    let parsed: unknown;
    try {
      parsed = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      if (wx) throw new HttpError(200, wxError(47001, 'data format error'));
      throw new HttpError(400, { error: 'body must be a JSON object' });
    }
    return parsed as Record<string, unknown>;
  }

  function requireMethod(req: IncomingMessage, method: 'GET' | 'POST'): void {
    if (req.method !== method) {
      throw new HttpError(200, method === 'GET' ? wxError(43001, 'require GET method') : wxError(43002, 'require POST method'));
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setCors(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Content-Length': '0' });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://wechat-sim.local');
    const q = url.searchParams;

    switch (url.pathname) {
      case '/sns/jscode2session':
        requireMethod(req, 'GET');
        // The real endpoint answers with Content-Type text/plain: clients must parse the text.
        return send(res, 200, jscode2session(q), 'text/plain; charset=utf-8');
      case '/cgi-bin/token':
        requireMethod(req, 'GET');
        return send(res, 200, cgiToken(q));
      case '/cgi-bin/stable_token':
        requireMethod(req, 'POST');
        return send(res, 200, stableToken(await readJson(req, true)));
      case '/wxa/business/getuserphonenumber':
        requireMethod(req, 'POST');
        return send(res, 200, getUserPhoneNumber(q, await readJson(req, true)));

      case '/sim/wx/login': {
        if (req.method !== 'POST') throw new HttpError(405, { error: 'POST only' });
        const body = await readJson(req, false);
        const code = control.issueLoginCode(body.appid as string, body.simUser as string);
        return send(res, 200, { code });
      }
      case '/sim/wx/phone': {
        if (req.method !== 'POST') throw new HttpError(405, { error: 'POST only' });
        const body = await readJson(req, false);
        if (typeof body.phone !== 'string') throw new HttpError(400, { error: 'phone must be a string' });
        const cc = body.countryCode === undefined ? '86' : String(body.countryCode);
        const code = control.issuePhoneCode(body.appid as string, body.simUser as string, body.phone, cc);
        return send(res, 200, { code });
      }
      case '/sim/wx/openid': {
        const appid = requireKnownApp(q.get('appid'));
        const simUser = requireSimUser(q.get('simUser'));
        return send(res, 200, { openid: simOpenid(appid, simUser), unionid: simUnionid(simUser) });
      }
      case '/sim/health':
        return send(res, 200, { ok: true, service: 'wechat-simulator', appids: [...apps.keys()] });
      case '/sim/reset':
        if (req.method !== 'POST') throw new HttpError(405, { error: 'POST only' });
        control.reset();
        return send(res, 200, { ok: true });
      default:
        return send(res, 404, { errcode: 40066, errmsg: `invalid url, rid: ${rid()}` });
    }
  }

  const server = createServer((req, res) => {
    const started = now();
    handle(req, res)
      .catch((err: unknown) => {
        if (err instanceof HttpError) {
          if (!res.headersSent) send(res, err.status, err.body);
        } else {
          if (!res.headersSent) send(res, 500, { errcode: -1, errmsg: 'system error' });
          log?.(`wechat-sim: internal error ${(err as Error)?.stack ?? String(err)}`);
        }
      })
      .finally(() => {
        log?.(
          `wechat-sim ${req.method} ${(req.url ?? '').replace(/(secret|js_code|access_token)=[^&]*/g, '$1=…')} ${res.statusCode} ${now() - started}ms`,
        );
      });
  }) as WechatSimulatorServer;
  server.wechat = control;
  return server;
}
