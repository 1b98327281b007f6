import { DomainError } from '../../lib/errors';

/** Calls WeChat's server APIs (or the local simulator, selected by WECHAT_API_BASE). */
export class WechatClient {
  private accessToken: { value: string; expiresAt: number } | null = null;

  constructor(private readonly opts: { base: string; appid: string; secret: string }) {}

  /** wx.login code → openid. session_key stays on the server and is never sent to the client. */
  async code2Session(code: string): Promise<{ openid: string; unionid?: string }> {
    const url = new URL('/sns/jscode2session', this.opts.base);
    url.search = new URLSearchParams({
      appid: this.opts.appid,
      secret: this.opts.secret,
      js_code: code,
      grant_type: 'authorization_code',
    }).toString();
    const body = await this.getJson(url);
    if (body.errcode) throw wechatError(body.errcode, body.errmsg);
    if (typeof body.openid !== 'string') throw wechatError(-1, 'no openid');
    return { openid: body.openid, unionid: typeof body.unionid === 'string' ? body.unionid : undefined };
  }

  /** getPhoneNumber button code → the phone, whose watermark must name our appid. */
  async phoneNumber(code: string): Promise<string> {
    const token = await this.getAccessToken();
    const url = new URL('/wxa/business/getuserphonenumber', this.opts.base);
    url.searchParams.set('access_token', token);
    const res = await this.fetchJson(url, { method: 'POST', body: JSON.stringify({ code }), headers: { 'content-type': 'application/json' } });
    if (res.errcode === 40001 || res.errcode === 42001) this.accessToken = null;
    if (res.errcode) throw wechatError(res.errcode, res.errmsg);
    const info = res.phone_info as { purePhoneNumber?: string; watermark?: { appid?: string } } | undefined;
    if (!info?.purePhoneNumber || info.watermark?.appid !== this.opts.appid) {
      throw new DomainError('BAD_REQUEST', '手机号校验失败');
    }
    return info.purePhoneNumber;
  }

  private async getAccessToken(): Promise<string> {
    if (this.accessToken && this.accessToken.expiresAt > Date.now() + 60_000) return this.accessToken.value;
    const url = new URL('/cgi-bin/token', this.opts.base);
    url.search = new URLSearchParams({ grant_type: 'client_credential', appid: this.opts.appid, secret: this.opts.secret }).toString();
    const body = await this.getJson(url);
    if (body.errcode || typeof body.access_token !== 'string') throw wechatError(body.errcode ?? -1, body.errmsg);
    this.accessToken = { value: body.access_token, expiresAt: Date.now() + Number(body.expires_in ?? 7200) * 1000 };
    return body.access_token;
  }

  private getJson(url: URL) {
    return this.fetchJson(url, { method: 'GET' });
  }

  private async fetchJson(url: URL, init: RequestInit): Promise<Record<string, any>> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
    } catch {
      throw new DomainError('SERVICE_UNAVAILABLE', '微信服务暂不可用，请稍后再试');
    }
    if (!res.ok) throw new DomainError('SERVICE_UNAVAILABLE', '微信服务暂不可用，请稍后再试');
    return (await res.json()) as Record<string, any>;
  }
}

function wechatError(errcode: number, errmsg: unknown): DomainError {
  const known: Record<number, string> = {
    40029: '登录凭证无效或已过期，请重新登录',
    40163: '登录凭证已被使用，请重新登录',
    45011: '操作过于频繁，请稍后再试',
  };
  return new DomainError(errcode === 45011 ? 'TOO_MANY_REQUESTS' : 'BAD_REQUEST', known[errcode] ?? `微信接口错误（${errcode}）`, {
    cause: new Error(`wechat errcode ${errcode}: ${String(errmsg)}`),
  });
}
