/**
 * WeChat Pay API v3 simulator (development and tests only).
 *
 * Stands in for api.mch.weixin.qq.com: verifies the merchant's request signatures, keeps orders, lets a
 * test or a person pay one, then delivers real signed, AES-256-GCM-encrypted payment notifications to
 * the order's notify_url on WeChat's retry schedule (15s, 15s, 30s, 3m, 10m, 20m, 30m, 30m, 30m, 60m,
 * 3h, 3h, 3h, 6h, 6h — multiplied by `retryScale`, e.g. 0.001 in tests) until it gets HTTP 200/204.
 *
 * Real endpoints (requests need `Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,
 * timestamp=…,serial_no=…,signature=…` over `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n`):
 *   POST /v3/pay/transactions/jsapi                       → 200 {prepay_id}
 *   POST /v3/pay/transactions/native                      → 200 {code_url}
 *   GET  /v3/pay/transactions/out-trade-no/:no?mchid=     → 200 transaction | 404 ORDER_NOT_EXIST
 *   GET  /v3/pay/transactions/id/:transaction_id?mchid=   → same
 *   POST /v3/pay/transactions/out-trade-no/:no/close      → 204 | 400 ORDERPAID
 *   POST /v3/refund/domestic/refunds                      → 200 refund (status SUCCESS)
 *   GET  /v3/refund/domestic/refunds/:out_refund_no       → 200 refund | 404 RESOURCE_NOT_EXISTS
 * Errors are `{code, message}` with WeChat's codes: SIGN_ERROR (401), PARAM_ERROR / INVALID_REQUEST /
 * ORDERPAID / ORDER_CLOSED (400), ORDER_NOT_EXIST (404), MCH_NOT_EXISTS (400).
 * Answers carry Wechatpay-Timestamp/Nonce/Signature/Serial headers signed with the platform key.
 *
 * Device / test side (no signature):
 *   POST /sim/pay/:out_trade_no {openid?, notify?: false}  the payer confirms: order → SUCCESS, notify
 *   GET  /sim/pay/:out_trade_no                            a tiny HTML page with a pay button (Native QR stand-in)
 *   GET  /sim/orders/:out_trade_no                         the order (with merchant_name, what a cashier shows) and its notification attempts
 *   POST /sim/notify/:out_trade_no                         deliver its notification once more (a replay)
 *   POST /sim/reset, GET /sim/health
 */
import { createCipheriv, createVerify, randomBytes, randomUUID, createSign, type KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { WechatPayDevKeys } from './dev-keys';

export const NOTIFY_RETRY_SCHEDULE_MS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600].map((s) => s * 1000);

export interface WechatPaySimOptions {
  mchid: string;
  /** AppIDs bound to the merchant. */
  appids: string[];
  apiV3Key: string;
  /** Merchant certificate serial → merchant public key (PEM), to verify our requests. */
  merchantKeys: Record<string, string>;
  platformPrivateKeyPem: string;
  /** The serial put in Wechatpay-Serial: a PUB_KEY_ID_… (public-key mode) or a certificate serial. */
  platformSerial: string;
  /** Factor applied to the retry schedule (default 1 = real time). */
  retryScale?: number;
  /** Order lifetime when the merchant gives no time_expire (default 2 h, WeChat's). */
  defaultExpireMs?: number;
  /** The merchant's name as WeChat's cashier shows it to the payer (default the demo supplier's). */
  merchantName?: string;
  now?: () => number;
  log?: (line: string) => void;
}

/**
 * Simulator options for a set of development keys (the ones the API reads from WECHATPAY_DEV_KEYS_DIR), so
 * the process, the tests and the bench start the same simulator.
 */
export function devSimulatorOptions(
  keys: Pick<
    WechatPayDevKeys,
    'mchid' | 'apiV3Key' | 'merchantSerial' | 'merchantPublicKeyPem' | 'platformPrivateKeyPem' | 'platformPublicKeyId' | 'platformCertSerial'
  >,
  o: { appids?: string[]; mode?: 'public_key' | 'certificate' } & Pick<WechatPaySimOptions, 'retryScale' | 'log'> = {},
): WechatPaySimOptions {
  return {
    mchid: keys.mchid,
    appids: o.appids ?? ['wx8d2c3f1a5b7e9d01'],
    apiV3Key: keys.apiV3Key,
    merchantKeys: { [keys.merchantSerial]: keys.merchantPublicKeyPem },
    platformPrivateKeyPem: keys.platformPrivateKeyPem,
    platformSerial: o.mode === 'certificate' ? keys.platformCertSerial : keys.platformPublicKeyId,
    retryScale: o.retryScale,
    log: o.log,
  };
}

export interface SimOrder {
  appid: string;
  mchid: string;
  out_trade_no: string;
  description: string;
  notify_url: string;
  amount: { total: number; currency: string };
  payer: { openid: string } | null;
  kind: 'jsapi' | 'native';
  prepay_id: string | null;
  code_url: string | null;
  attach: string | null;
  time_expire: number;
  trade_state: 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND' | 'USERPAYING' | 'PAYERROR';
  transaction_id: string | null;
  success_time: string | null;
  createdAt: number;
  refunds: SimRefund[];
  deliveries: { at: number; status: number | null; error?: string }[];
  notifyDone: boolean;
}

interface SimRefund {
  refund_id: string;
  out_refund_no: string;
  out_trade_no: string;
  transaction_id: string;
  reason: string | null;
  amount: { refund: number; total: number; currency: string };
  status: 'SUCCESS';
  create_time: string;
  success_time: string;
}

export interface WechatPaySimControl {
  orders: Map<string, SimOrder>;
  /** The payer pays: SUCCESS now, notification delivery starts unless `notify: false`. */
  pay(outTradeNo: string, opts?: { openid?: string; notify?: boolean }): SimOrder;
  /** Builds a signed, encrypted notification for an order (tests may tamper with it). */
  buildNotification(o: SimOrder, at?: number): { headers: Record<string, string>; body: string };
  /** Delivers the notification once, now, returning the HTTP status. */
  deliverOnce(outTradeNo: string): Promise<number | null>;
  /** Resolves when the order's notification got a 200/204 or its schedule ran out. */
  settled(outTradeNo: string): Promise<void>;
  reset(): void;
}

export type WechatPaySimServer = Server & { wechatpay: WechatPaySimControl };

class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const iso = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');

export function createWechatPaySimulator(opts: WechatPaySimOptions): WechatPaySimServer {
  const now = opts.now ?? Date.now;
  const scale = opts.retryScale ?? 1;
  const log = opts.log;
  const platformKey: KeyObject = createPrivateKey(opts.platformPrivateKeyPem);
  const merchantKeys = new Map(Object.entries(opts.merchantKeys).map(([s, p]) => [s.toUpperCase(), createPublicKey(p)]));
  const merchantName = opts.merchantName ?? '示范市供电有限公司';
  const orders = new Map<string, SimOrder>();
  const byTxn = new Map<string, string>();
  const refunds = new Map<string, SimRefund>();
  const timers = new Set<NodeJS.Timeout>();
  const waiters = new Map<string, (() => void)[]>();

  const signPlatform = (msg: string) => createSign('RSA-SHA256').update(msg, 'utf8').sign(platformKey, 'base64');
  const signedHeaders = (body: string) => {
    const ts = String(Math.floor(now() / 1000));
    const nonce = randomBytes(16).toString('hex');
    return {
      'Wechatpay-Timestamp': ts,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': signPlatform(`${ts}\n${nonce}\n${body}\n`),
      'Wechatpay-Serial': opts.platformSerial,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
      'Request-ID': randomUUID(),
    };
  };

  function send(res: ServerResponse, status: number, body?: unknown) {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...signedHeaders(text) });
    res.end(text);
  }

  function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let n = 0;
      req.on('data', (c: Buffer) => {
        n += c.length;
        if (n > 256 * 1024) {
          reject(new SimHttpError(413, 'PARAM_ERROR', 'body too large'));
          req.destroy();
        } else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  /** The merchant's request signature: method\nurl\ntimestamp\nnonce\nbody\n with its private key. */
  function verifyRequest(req: IncomingMessage, pathWithQuery: string, body: string) {
    const auth = req.headers.authorization ?? '';
    const m = /^WECHATPAY2-SHA256-RSA2048\s+(.*)$/.exec(auth);
    if (!m) throw new SimHttpError(401, 'SIGN_ERROR', 'Authorization 缺失或认证类型错误');
    const parts: Record<string, string> = {};
    for (const kv of m[1].matchAll(/(\w+)="([^"]*)"/g)) parts[kv[1]] = kv[2];
    const { mchid, nonce_str, timestamp, serial_no, signature } = parts;
    if (!mchid || !nonce_str || !timestamp || !serial_no || !signature) throw new SimHttpError(401, 'SIGN_ERROR', 'Authorization 参数不全');
    if (mchid !== opts.mchid) throw new SimHttpError(401, 'SIGN_ERROR', '商户号与签名不匹配');
    if (Math.abs(now() / 1000 - Number(timestamp)) > 300) throw new SimHttpError(401, 'SIGN_ERROR', '请求时间戳过期');
    const key = merchantKeys.get(serial_no.toUpperCase());
    if (!key) throw new SimHttpError(401, 'SIGN_ERROR', '商户证书序列号有误');
    const message = `${req.method}\n${pathWithQuery}\n${timestamp}\n${nonce_str}\n${body}\n`;
    if (!createVerify('RSA-SHA256').update(message, 'utf8').verify(key, signature, 'base64')) {
      throw new SimHttpError(401, 'SIGN_ERROR', '签名错误');
    }
  }

  function parseJson(body: string): Record<string, unknown> {
    try {
      const v = JSON.parse(body);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v;
    } catch {
      /* fall through */
    }
    throw new SimHttpError(400, 'PARAM_ERROR', '请求体不是合法的 JSON');
  }

  /** Expired unpaid orders close by themselves, as at WeChat. */
  function refresh(o: SimOrder) {
    if ((o.trade_state === 'NOTPAY' || o.trade_state === 'USERPAYING') && now() > o.time_expire) o.trade_state = 'CLOSED';
    return o;
  }

  function createOrder(kind: 'jsapi' | 'native', b: Record<string, unknown>) {
    const appid = String(b.appid ?? '');
    if (String(b.mchid ?? '') !== opts.mchid) throw new SimHttpError(400, 'MCH_NOT_EXISTS', '商户号不存在');
    if (!opts.appids.includes(appid)) throw new SimHttpError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    const no = String(b.out_trade_no ?? '');
    if (!/^[0-9A-Za-z_\-|*]{6,32}$/.test(no)) throw new SimHttpError(400, 'PARAM_ERROR', 'out_trade_no 格式错误');
    const amount = b.amount as { total?: unknown; currency?: unknown } | undefined;
    const total = amount?.total;
    if (typeof total !== 'number' || !Number.isInteger(total) || total <= 0)
      throw new SimHttpError(400, 'PARAM_ERROR', 'amount.total 必须为正整数（分）');
    const notifyUrl = String(b.notify_url ?? '');
    if (!/^https?:\/\//.test(notifyUrl)) throw new SimHttpError(400, 'PARAM_ERROR', 'notify_url 格式错误');
    const payer = b.payer as { openid?: unknown } | undefined;
    if (kind === 'jsapi' && (typeof payer?.openid !== 'string' || !payer.openid))
      throw new SimHttpError(400, 'PARAM_ERROR', 'JSAPI 下单需要 payer.openid');
    const expire = typeof b.time_expire === 'string' ? Date.parse(b.time_expire) : NaN;
    const existing = orders.get(no);
    if (existing) {
      refresh(existing);
      if (existing.trade_state === 'SUCCESS' || existing.trade_state === 'REFUND') throw new SimHttpError(400, 'ORDERPAID', '该订单已支付');
      if (existing.trade_state === 'CLOSED') throw new SimHttpError(400, 'ORDER_CLOSED', '订单已关闭');
      if (existing.amount.total !== total || existing.appid !== appid || existing.kind !== kind)
        throw new SimHttpError(400, 'INVALID_REQUEST', '201 商户订单号重复');
      return existing; // same request again: same prepay_id / code_url
    }
    const o: SimOrder = {
      appid,
      mchid: opts.mchid,
      out_trade_no: no,
      description: String(b.description ?? ''),
      notify_url: notifyUrl,
      amount: { total, currency: String(amount?.currency ?? 'CNY') },
      payer: kind === 'jsapi' ? { openid: String(payer!.openid) } : null,
      kind,
      prepay_id: kind === 'jsapi' ? `wx${randomBytes(16).toString('hex')}` : null,
      code_url: kind === 'native' ? `weixin://wxpay/bizpayurl?pr=${randomBytes(6).toString('base64url')}` : null,
      attach: typeof b.attach === 'string' ? b.attach : null,
      time_expire: Number.isFinite(expire) ? expire : now() + (opts.defaultExpireMs ?? 2 * 3600_000),
      trade_state: 'NOTPAY',
      transaction_id: null,
      success_time: null,
      createdAt: now(),
      refunds: [],
      deliveries: [],
      notifyDone: false,
    };
    orders.set(no, o);
    return o;
  }

  function transactionView(o: SimOrder) {
    refresh(o);
    const paid = o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND';
    return {
      appid: o.appid,
      mchid: o.mchid,
      out_trade_no: o.out_trade_no,
      transaction_id: o.transaction_id ?? undefined,
      trade_type: o.kind === 'jsapi' ? 'JSAPI' : 'NATIVE',
      trade_state: o.trade_state,
      trade_state_desc: {
        NOTPAY: '未支付',
        SUCCESS: '支付成功',
        CLOSED: '已关闭',
        REFUND: '转入退款',
        USERPAYING: '用户支付中',
        PAYERROR: '支付失败',
      }[o.trade_state],
      bank_type: paid ? 'OTHERS' : undefined,
      attach: o.attach ?? '',
      success_time: o.success_time ?? undefined,
      payer: o.payer ?? undefined,
      amount: paid
        ? { total: o.amount.total, payer_total: o.amount.total, currency: o.amount.currency, payer_currency: 'CNY' }
        : { total: o.amount.total, currency: o.amount.currency },
    };
  }

  function encrypt(plaintext: string) {
    const nonce = randomBytes(9).toString('base64url').slice(0, 12);
    const associated_data = 'transaction';
    const c = createCipheriv('aes-256-gcm', Buffer.from(opts.apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
    c.setAAD(Buffer.from(associated_data, 'utf8'));
    const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]);
    return { algorithm: 'AEAD_AES_256_GCM', ciphertext: ct.toString('base64'), associated_data, nonce, original_type: 'transaction' };
  }

  function buildNotification(o: SimOrder, at = now()) {
    const payload = {
      id: randomUUID(),
      create_time: iso(at),
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: encrypt(JSON.stringify(transactionView(o))),
    };
    const body = JSON.stringify(payload);
    const ts = String(Math.floor(at / 1000));
    const nonce = randomBytes(16).toString('hex');
    return {
      body,
      headers: {
        'Content-Type': 'application/json',
        'Wechatpay-Timestamp': ts,
        'Wechatpay-Nonce': nonce,
        'Wechatpay-Signature': signPlatform(`${ts}\n${nonce}\n${body}\n`),
        'Wechatpay-Serial': opts.platformSerial,
        'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
      },
    };
  }

  async function deliverOnce(no: string): Promise<number | null> {
    const o = orders.get(no);
    if (!o) throw new Error(`no order ${no}`);
    const n = buildNotification(o);
    let status: number | null = null;
    let error: string | undefined;
    try {
      const r = await fetch(o.notify_url, { method: 'POST', headers: n.headers, body: n.body, signal: AbortSignal.timeout(5000) });
      status = r.status;
      await r.arrayBuffer().catch(() => undefined);
    } catch (err) {
      error = String((err as Error).message ?? err);
    }
    o.deliveries.push({ at: now(), status, error });
    log?.(`notify ${no} → ${status ?? error}`);
    return status;
  }

  function finish(no: string) {
    const o = orders.get(no);
    if (o) o.notifyDone = true;
    for (const w of waiters.get(no) ?? []) w();
    waiters.delete(no);
  }

  /** First delivery at once, then the retry schedule until 200/204. */
  function startNotifying(no: string, attempt = 0) {
    void deliverOnce(no).then((status) => {
      if (status === 200 || status === 204) return finish(no);
      if (attempt >= NOTIFY_RETRY_SCHEDULE_MS.length) return finish(no);
      const t = setTimeout(() => {
        timers.delete(t);
        startNotifying(no, attempt + 1);
      }, NOTIFY_RETRY_SCHEDULE_MS[attempt] * scale);
      t.unref();
      timers.add(t);
    });
  }

  const control: WechatPaySimControl = {
    orders,
    pay(no, p = {}) {
      const o = orders.get(no);
      if (!o) throw new SimHttpError(404, 'ORDER_NOT_EXIST', '订单不存在');
      refresh(o);
      if (o.trade_state === 'CLOSED') throw new SimHttpError(400, 'ORDER_CLOSED', '订单已关闭');
      if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND') throw new SimHttpError(400, 'ORDERPAID', '该订单已支付');
      o.trade_state = 'SUCCESS';
      o.transaction_id = `4200${String(now()).slice(-10)}${randomBytes(7)
        .toString('hex')
        .slice(0, 14)
        .replace(/[a-f]/g, (c) => String(c.charCodeAt(0) % 10))}`;
      o.success_time = iso(now());
      if (!o.payer) o.payer = { openid: p.openid ?? `o_sim_${randomBytes(8).toString('hex')}` };
      byTxn.set(o.transaction_id, no);
      if (p.notify !== false) startNotifying(no);
      else o.notifyDone = true;
      return o;
    },
    buildNotification,
    deliverOnce,
    settled(no) {
      const o = orders.get(no);
      if (!o || o.notifyDone) return Promise.resolve();
      return new Promise((r) => waiters.set(no, [...(waiters.get(no) ?? []), r]));
    },
    reset() {
      orders.clear();
      byTxn.clear();
      refunds.clear();
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };

  function refund(b: Record<string, unknown>) {
    const outRefundNo = String(b.out_refund_no ?? '');
    if (!/^[0-9A-Za-z_\-|*@]{1,64}$/.test(outRefundNo)) throw new SimHttpError(400, 'PARAM_ERROR', 'out_refund_no 格式错误');
    const prior = refunds.get(outRefundNo);
    if (prior) return prior;
    const no = typeof b.out_trade_no === 'string' ? b.out_trade_no : byTxn.get(String(b.transaction_id ?? ''));
    const o = no ? orders.get(no) : undefined;
    if (!o) throw new SimHttpError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    if (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND') throw new SimHttpError(400, 'INVALID_REQUEST', '订单未支付，不能退款');
    const amt = b.amount as { refund?: unknown; total?: unknown } | undefined;
    const already = o.refunds.reduce((s, r) => s + r.amount.refund, 0);
    if (typeof amt?.refund !== 'number' || !Number.isInteger(amt.refund) || amt.refund <= 0)
      throw new SimHttpError(400, 'PARAM_ERROR', 'amount.refund 必须为正整数');
    if (amt.total !== o.amount.total) throw new SimHttpError(400, 'PARAM_ERROR', 'amount.total 与订单金额不一致');
    if (already + amt.refund > o.amount.total) throw new SimHttpError(400, 'NOT_ENOUGH', '退款金额超过可退金额');
    const r: SimRefund = {
      refund_id: `5030${randomBytes(12)
        .toString('hex')
        .replace(/[a-f]/g, (c) => String(c.charCodeAt(0) % 10))}`,
      out_refund_no: outRefundNo,
      out_trade_no: o.out_trade_no,
      transaction_id: o.transaction_id!,
      reason: typeof b.reason === 'string' ? b.reason : null,
      amount: { refund: amt.refund, total: o.amount.total, currency: 'CNY' },
      status: 'SUCCESS',
      create_time: iso(now()),
      success_time: iso(now()),
    };
    o.refunds.push(r);
    o.trade_state = 'REFUND';
    refunds.set(outRefundNo, r);
    return r;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'content-type',
      });
      res.end();
      return;
    }
    // ---- device / test side
    if (p === '/sim/health') return send(res, 200, { ok: true, mchid: opts.mchid, appids: opts.appids, orders: orders.size });
    if (p === '/sim/reset' && method === 'POST') {
      control.reset();
      return send(res, 200, { ok: true });
    }
    let m = /^\/sim\/pay\/([^/]+)$/.exec(p);
    if (m && method === 'POST') {
      const raw = await readBody(req);
      const b = raw ? parseJson(raw) : {};
      const o = control.pay(decodeURIComponent(m[1]), { openid: typeof b.openid === 'string' ? b.openid : undefined, notify: b.notify !== false });
      res.setHeader('Access-Control-Allow-Origin', '*');
      return send(res, 200, transactionView(o));
    }
    if (m && method === 'GET') {
      const o = orders.get(decodeURIComponent(m[1]));
      const html = o
        ? `<!doctype html><meta charset="utf-8"><title>微信支付（模拟）</title><body style="font-family:sans-serif;max-width:420px;margin:40px auto">
<h2>微信支付（开发模拟器）</h2><p>${o.description.replace(/[<>&]/g, '')}</p><p style="font-size:28px">¥${(o.amount.total / 100).toFixed(2)}</p>
<p>订单状态：<b id="s">${refresh(o).trade_state}</b></p><button id="b" style="font-size:18px;padding:8px 24px">确认支付</button>
<script>document.getElementById('b').onclick=async()=>{const r=await fetch(location.pathname,{method:'POST',headers:{'content-type':'application/json'},body:'{}'});const j=await r.json();document.getElementById('s').textContent=j.trade_state||j.message};</script>`
        : '<!doctype html><meta charset="utf-8"><p>订单不存在</p>';
      res.writeHead(o ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    m = /^\/sim\/orders\/([^/]+)$/.exec(p);
    if (m && method === 'GET') {
      const o = orders.get(decodeURIComponent(m[1]));
      if (!o) throw new SimHttpError(404, 'ORDER_NOT_EXIST', '订单不存在');
      res.setHeader('Access-Control-Allow-Origin', '*');
      return send(res, 200, {
        ...transactionView(o),
        description: o.description,
        merchant_name: merchantName,
        notify_url: o.notify_url,
        deliveries: o.deliveries,
        refunds: o.refunds,
      });
    }
    m = /^\/sim\/notify\/([^/]+)$/.exec(p);
    if (m && method === 'POST') {
      const status = await deliverOnce(decodeURIComponent(m[1]));
      return send(res, 200, { status });
    }

    // ---- real API: every request signed by the merchant
    if (!p.startsWith('/v3/')) throw new SimHttpError(404, 'NOT_FOUND', '接口不存在');
    const body = method === 'POST' ? await readBody(req) : '';
    verifyRequest(req, p + url.search, body);

    if (method === 'POST' && (p === '/v3/pay/transactions/jsapi' || p === '/v3/pay/transactions/native')) {
      const kind = p.endsWith('jsapi') ? 'jsapi' : 'native';
      const o = createOrder(kind, parseJson(body));
      return send(res, 200, kind === 'jsapi' ? { prepay_id: o.prepay_id } : { code_url: o.code_url });
    }
    m = /^\/v3\/pay\/transactions\/(out-trade-no|id)\/([^/]+)$/.exec(p);
    if (m && method === 'GET') {
      if (url.searchParams.get('mchid') !== opts.mchid) throw new SimHttpError(400, 'PARAM_ERROR', 'mchid 有误');
      const no = m[1] === 'id' ? byTxn.get(decodeURIComponent(m[2])) : decodeURIComponent(m[2]);
      const o = no ? orders.get(no) : undefined;
      if (!o) throw new SimHttpError(404, 'ORDER_NOT_EXIST', '订单不存在');
      return send(res, 200, transactionView(o));
    }
    m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(p);
    if (m && method === 'POST') {
      const b = parseJson(body);
      if (b.mchid !== opts.mchid) throw new SimHttpError(400, 'PARAM_ERROR', 'mchid 有误');
      const o = orders.get(decodeURIComponent(m[1]));
      if (!o) throw new SimHttpError(404, 'ORDER_NOT_EXIST', '订单不存在');
      refresh(o);
      if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND') throw new SimHttpError(400, 'ORDERPAID', '订单已支付');
      o.trade_state = 'CLOSED';
      return send(res, 204);
    }
    if (method === 'POST' && p === '/v3/refund/domestic/refunds') return send(res, 200, refund(parseJson(body)));
    m = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(p);
    if (m && method === 'GET') {
      const r = refunds.get(decodeURIComponent(m[1]));
      if (!r) throw new SimHttpError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
      return send(res, 200, r);
    }
    throw new SimHttpError(404, 'NOT_FOUND', '接口不存在');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (err instanceof SimHttpError) {
        log?.(`${req.method} ${req.url} → ${err.status} ${err.code}`);
        if (!res.headersSent) send(res, err.status, { code: err.code, message: err.message });
        return;
      }
      log?.(`${req.method} ${req.url} → 500 ${String(err)}`);
      if (!res.headersSent) send(res, 500, { code: 'SYSTEM_ERROR', message: '系统错误' });
    });
  }) as WechatPaySimServer;
  server.wechatpay = control;
  server.on('close', () => control.reset());
  return server;
}
