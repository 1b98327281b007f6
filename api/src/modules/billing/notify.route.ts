/**
 * POST /pay/wechat/notify — WeChat Pay payment notifications (支付通知).
 *
 * Order of checks: raw body (≤ 64 KB, else 413 after reading it out) → platform signature over `timestamp\nnonce\nrawBody\n` with the
 * key named by Wechatpay-Serial (certificate serial or PUB_KEY_ID_…) and a ±300 s window → AES-256-GCM
 * decryption with the APIv3 key, tag checked → out_trade_no's type and form, before any query → appid,
 * mchid, out_trade_no and amount against our order →
 * settled exactly once. 204 on success or duplicate; 4xx/5xx with {"code":"FAIL","message":…} otherwise,
 * so WeChat retries on its schedule.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppServices, RawRoute } from '../../http/types';
import { PaymentModel } from './billing.model';
import { isOutTradeNo, settleTransaction } from './payment.service';
import { DOMAIN_HTTP_STATUS, DomainError } from '../../lib/errors';
import { wechatPayFor, type WechatTransaction } from './wechatpay.client';
import { decryptResource, notifyHeadersOf, NotifyError, verifyNotifySignature, type EncryptedResource } from './wechatpay.crypto';

export const NOTIFY_PATH = '/pay/wechat/notify';
const MAX_BODY = 64 * 1024;

/** Past the limit the rest is still read (and dropped) up to this much, so the client gets its 413 instead of a reset. */
const MAX_DRAIN = 1024 * 1024;

/**
 * Reads the body up to MAX_BODY. A larger one is refused with 413 — but only after reading it to the end
 * (discarding), because closing a socket the client is still writing to resets the connection and the
 * client never sees the answer. Past MAX_DRAIN the connection is closed after the answer is sent.
 */
function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const chunks: Buffer[] = [];
    let n = 0;
    let settled = false;
    const tooLarge = () => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      reject(new NotifyError(413, '请求体过大'));
    };
    if (declared > MAX_DRAIN) {
      // No point reading megabytes to drop them: answer now, then close the connection (see the route).
      req.resume();
      tooLarge();
      return;
    }
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n <= MAX_BODY) chunks.push(c);
      else if (n > MAX_DRAIN) tooLarge();
      else chunks.length = 0; // over the limit: keep reading, keep nothing
    });
    req.on('end', () => {
      if (settled) return;
      if (n > MAX_BODY) return tooLarge();
      settled = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
  });
}

function fail(res: ServerResponse, status: number, message: string) {
  const body = JSON.stringify({ code: 'FAIL', message });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function handleWechatPayNotify(
  services: Pick<AppServices, 'cfg' | 'log'>,
  headers: IncomingMessage['headers'],
  raw: Buffer,
  nowMs = Date.now(),
): Promise<{ status: number; message?: string; result?: string }> {
  const settings = wechatPayFor(services.cfg).settings;
  try {
    verifyNotifySignature(settings.platformKeys, notifyHeadersOf(headers), raw, nowMs);
    let event: { event_type?: string; resource_type?: string; resource?: EncryptedResource };
    try {
      event = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new NotifyError(400, '报文不是合法的 JSON');
    }
    if (event.resource_type !== 'encrypt-resource' || !event.resource) throw new NotifyError(400, '报文缺少加密资源');
    const plain = decryptResource(settings.apiV3Key, event.resource);
    let resource: Record<string, unknown>;
    try {
      resource = JSON.parse(plain);
    } catch {
      throw new NotifyError(400, '解密内容不是合法的 JSON');
    }
    const type = event.event_type ?? '';
    if (type.startsWith('REFUND.')) {
      // Refund results: record them on the payment (refunds are requested and tracked by us).
      const r = resource as { out_trade_no?: unknown; refund_status?: unknown; mchid?: string };
      if (r.mchid !== settings.mchid) throw new DomainError('BAD_REQUEST', 'mchid 不匹配');
      if (r.out_trade_no !== undefined && !isOutTradeNo(r.out_trade_no)) throw new DomainError('BAD_REQUEST', 'out_trade_no 格式不正确');
      if (r.refund_status !== undefined && typeof r.refund_status !== 'string') throw new DomainError('BAD_REQUEST', 'refund_status 格式不正确');
      if (r.out_trade_no)
        await PaymentModel.updateOne({ outTradeNo: r.out_trade_no, refund: { $ne: null } }, { $set: { 'refund.status': r.refund_status ?? type } });
      return { status: 204, result: 'refund' };
    }
    if (type !== 'TRANSACTION.SUCCESS') return { status: 204, result: 'ignored' };
    // Types first, before any query: an object here ({"$ne": null}) would be a query operator.
    if (!isOutTradeNo(resource.out_trade_no)) throw new DomainError('BAD_REQUEST', 'out_trade_no 格式不正确');
    const result = await settleTransaction(services.cfg, resource as unknown as WechatTransaction, 'notify');
    return { status: 204, result };
  } catch (err) {
    if (err instanceof NotifyError || err instanceof DomainError) {
      const status = err instanceof DomainError ? DOMAIN_HTTP_STATUS[err.code] : err.status;
      services.log.warn({ status, reason: err.message }, 'wechat pay notification refused');
      return { status, message: err.message };
    }
    services.log.error({ err: String((err as Error)?.stack ?? err) }, 'wechat pay notification failed');
    return { status: 500, message: '处理失败，请稍后重试' };
  }
}

/** Raw routes of the billing module, for createApiServer's rawRoutes map. */
export function billingRawRoutes(services: Pick<AppServices, 'cfg' | 'log'>): Record<string, RawRoute> {
  return {
    [`POST ${NOTIFY_PATH}`]: async (req, res) => {
      let raw: Buffer;
      try {
        raw = await readRaw(req);
      } catch (err) {
        // Body left unread (too large): answer, then close instead of keeping a half-read connection alive.
        if (!req.complete) res.setHeader('connection', 'close');
        fail(res, err instanceof NotifyError ? err.status : 400, err instanceof NotifyError ? err.message : '请求体读取失败');
        if (!req.complete) res.once('finish', () => setTimeout(() => req.socket.destroy(), 1000).unref());
        return;
      }
      const r = await handleWechatPayNotify(services, req.headers, raw);
      if (r.status === 204) {
        res.writeHead(204).end();
        return;
      }
      fail(res, r.status, r.message ?? 'FAIL');
    },
  };
}
