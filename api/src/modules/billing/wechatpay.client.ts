/**
 * Outbound WeChat Pay v3 calls through `wechatpay-node-v3`, with its transport replaced (createHttp)
 * so requests go to WECHATPAY_API_BASE (the real host, or the local simulator) over fetch, and its
 * Math.random request nonces replaced by crypto ones. Callbacks are verified elsewhere (wechatpay.crypto).
 */
import fs from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import WxPay from 'wechatpay-node-v3';
import type { Config } from '../../config';
import { loadOrCreateDevKeys } from '../../simulators/wechatpay/dev-keys';
import { PlatformKeys, secureNonce, jsapiPayParams } from './wechatpay.crypto';

const WECHAT_HOST = 'https://api.mch.weixin.qq.com';

export interface WechatPaySettings {
  apiBase: string;
  mchid: string;
  appid: string;
  apiV3Key: string;
  merchantPrivateKey: KeyObject;
  merchantPrivateKeyPem: string;
  merchantSerial: string;
  platformKeys: PlatformKeys;
  notifyUrl: string | null;
  source: 'config' | 'dev-keys';
}

/** Settings from the configuration; in development/test the missing keys come from .data/wechatpay. */
export function resolveWechatPaySettings(cfg: Config): WechatPaySettings {
  const complete =
    cfg.WECHATPAY_MCHID &&
    cfg.WECHATPAY_APIV3_KEY &&
    cfg.WECHATPAY_MERCHANT_PRIVATE_KEY_PATH &&
    cfg.WECHATPAY_MERCHANT_SERIAL &&
    (cfg.WECHATPAY_PLATFORM_CERT_PATHS || cfg.WECHATPAY_PUBLIC_KEY_PATH);
  if (!complete && cfg.NODE_ENV === 'production') throw new Error('WeChat Pay is not configured');
  const dev = complete ? null : loadOrCreateDevKeys(cfg.WECHATPAY_DEV_KEYS_DIR || undefined);
  const platformKeys = new PlatformKeys();
  if (cfg.WECHATPAY_PLATFORM_CERT_PATHS) {
    for (const p of cfg.WECHATPAY_PLATFORM_CERT_PATHS.split(',')
      .map((s) => s.trim())
      .filter(Boolean))
      platformKeys.addCertificate(fs.readFileSync(p));
  }
  if (cfg.WECHATPAY_PUBLIC_KEY_PATH && cfg.WECHATPAY_PUBLIC_KEY_ID)
    platformKeys.addPublicKey(cfg.WECHATPAY_PUBLIC_KEY_ID, fs.readFileSync(cfg.WECHATPAY_PUBLIC_KEY_PATH));
  if (dev && platformKeys.size === 0) {
    platformKeys.addCertificate(dev.platformCertPem);
    platformKeys.addPublicKey(dev.platformPublicKeyId, dev.platformPublicKeyPem);
  }
  const merchantPrivateKeyPem = cfg.WECHATPAY_MERCHANT_PRIVATE_KEY_PATH
    ? fs.readFileSync(cfg.WECHATPAY_MERCHANT_PRIVATE_KEY_PATH, 'utf8')
    : dev!.merchantPrivateKeyPem;
  return {
    apiBase: cfg.WECHATPAY_API_BASE.replace(/\/+$/, ''),
    mchid: cfg.WECHATPAY_MCHID ?? dev!.mchid,
    appid: cfg.WECHATPAY_APPID ?? cfg.WECHAT_APPID,
    apiV3Key: cfg.WECHATPAY_APIV3_KEY ?? dev!.apiV3Key,
    merchantPrivateKey: createPrivateKey(merchantPrivateKeyPem),
    merchantPrivateKeyPem,
    merchantSerial: (cfg.WECHATPAY_MERCHANT_SERIAL ?? dev!.merchantSerial).toUpperCase(),
    platformKeys,
    notifyUrl: cfg.WECHATPAY_NOTIFY_URL ?? null,
    source: dev ? 'dev-keys' : 'config',
  };
}

export interface PayResult<T = Record<string, unknown>> {
  status: number;
  data?: T;
  /** WeChat's error code (e.g. ORDERPAID, ORDER_NOT_EXIST) on a failure answer. */
  code?: string;
  message?: string;
}

export class WechatPayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Thin typed wrapper; every method returns the HTTP status and WeChat's answer. */
export class WechatPayClient {
  private readonly pay: WxPay;

  constructor(readonly settings: WechatPaySettings) {
    this.pay = new WxPay({
      appid: settings.appid,
      mchid: settings.mchid,
      serial_no: settings.merchantSerial,
      // Only used to read a serial when none is given; ours is always given.
      publicKey: Buffer.from('unused'),
      privateKey: Buffer.from(settings.merchantPrivateKeyPem),
      key: settings.apiV3Key,
    });
    const base = settings.apiBase;
    const toUrl = (url: string) => (url.startsWith(WECHAT_HOST) ? base + url.slice(WECHAT_HOST.length) : url);
    const call = async (method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: unknown) => {
      try {
        const r = await fetch(toUrl(url), {
          method,
          headers: { ...headers, Accept: 'application/json' },
          // Exactly the string the library signed (JSON.stringify of the same object).
          body: method === 'POST' ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(10_000),
        });
        const text = await r.text();
        let data: unknown;
        try {
          data = text ? JSON.parse(text) : undefined;
        } catch {
          data = undefined;
        }
        return r.ok ? { status: r.status, data } : { status: r.status, error: text, data };
      } catch (err) {
        return { status: 0, error: String((err as Error).message ?? err) };
      }
    };
    this.pay.createHttp({
      post: (url, params, headers) => call('POST', url, headers, params),
      get: (url, headers) => call('GET', url, headers),
      upload: async () => ({ status: 501, error: 'upload not supported' }),
    });
    // Request nonces from crypto instead of Math.random.
    const self = this.pay as unknown as {
      buildAuthorization: (m: string, url: string, params?: unknown) => string;
      getAuthorization: (n: string, t: string, s: string) => string;
      getSignature: (m: string, n: string, t: string, u: string, b?: unknown) => string;
    };
    self.buildAuthorization = (method, url, params) => {
      const nonce = secureNonce();
      const ts = String(Math.floor(Date.now() / 1000));
      return self.getAuthorization(nonce, ts, self.getSignature(method, nonce, ts, url.replace(WECHAT_HOST, ''), params));
    };
  }

  private static result<T>(r: { status: number; data?: unknown; error?: unknown }): PayResult<T> {
    if (r.status >= 200 && r.status < 300) return { status: r.status, data: r.data as T };
    const d = (r.data ?? {}) as { code?: string; message?: string };
    return { status: r.status, code: d.code, message: d.message ?? String(r.error ?? 'request failed') };
  }

  async prepayJsapi(p: {
    outTradeNo: string;
    description: string;
    amountFen: number;
    openid: string;
    notifyUrl: string;
    expiresAt: Date;
    attach?: string;
  }) {
    const r = WechatPayClient.result<{ package?: string }>(await this.pay.transactions_jsapi(this.body(p, { payer: { openid: p.openid } }) as never));
    const prepayId = r.data?.package?.startsWith('prepay_id=') ? r.data.package.slice('prepay_id='.length) : null;
    if (!prepayId) return { ...r, prepayId: null, params: null };
    // The library signs wx.requestPayment params with a Math.random nonce: sign them again with a crypto one.
    return { ...r, prepayId, params: jsapiPayParams(this.settings.appid, prepayId, this.settings.merchantPrivateKey) };
  }

  async prepayNative(p: { outTradeNo: string; description: string; amountFen: number; notifyUrl: string; expiresAt: Date; attach?: string }) {
    return WechatPayClient.result<{ code_url: string }>(await this.pay.transactions_native(this.body(p, {}) as never));
  }

  async queryByOutTradeNo(outTradeNo: string) {
    return WechatPayClient.result<WechatTransaction>(await this.pay.query({ out_trade_no: outTradeNo }));
  }

  async close(outTradeNo: string) {
    return WechatPayClient.result(await this.pay.close(outTradeNo));
  }

  async refund(p: { outTradeNo: string; outRefundNo: string; reason: string; refundFen: number; totalFen: number; notifyUrl?: string }) {
    return WechatPayClient.result<{ refund_id: string; status: string }>(
      (await this.pay.refunds({
        out_trade_no: p.outTradeNo,
        out_refund_no: p.outRefundNo,
        reason: p.reason.slice(0, 80),
        ...(p.notifyUrl ? { notify_url: p.notifyUrl } : {}),
        amount: { refund: p.refundFen, total: p.totalFen, currency: 'CNY' },
      } as never)) as never,
    );
  }

  private body(
    p: { outTradeNo: string; description: string; amountFen: number; notifyUrl: string; expiresAt: Date; attach?: string },
    extra: Record<string, unknown>,
  ) {
    return {
      appid: this.settings.appid,
      mchid: this.settings.mchid,
      description: p.description.slice(0, 127),
      out_trade_no: p.outTradeNo,
      time_expire: rfc3339Shanghai(p.expiresAt),
      attach: p.attach,
      notify_url: p.notifyUrl,
      amount: { total: p.amountFen, currency: 'CNY' },
      ...extra,
    };
  }
}

export interface WechatTransaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: string;
  trade_state: 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';
  success_time?: string;
  payer?: { openid?: string };
  amount?: { total?: number; payer_total?: number; currency?: string };
  attach?: string;
}

/** 2026-03-01T10:00:00+08:00 (WeChat wants RFC 3339 with an offset). */
export function rfc3339Shanghai(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

const clients = new WeakMap<Config, WechatPayClient>();
/** One client per configuration (keys are read once). */
export function wechatPayFor(cfg: Config): WechatPayClient {
  let c = clients.get(cfg);
  if (!c) {
    c = new WechatPayClient(resolveWechatPaySettings(cfg));
    clients.set(cfg, c);
  }
  return c;
}
