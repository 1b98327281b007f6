/**
 * WeChat Pay v3 callback verification on node:crypto — never the library's verifySign/decipher_gcm,
 * which skip the time window and the GCM tag check (see /work/shared/ENVIRONMENT.md).
 */
import { createDecipheriv, createPublicKey, createSign, createVerify, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';

export const NOTIFY_WINDOW_SEC = 300;

/** Platform keys by the id WeChat puts in `Wechatpay-Serial`: certificate serials and/or PUB_KEY_ID_…. */
export class PlatformKeys {
  private readonly keys = new Map<string, KeyObject>();

  /** Certificate mode: the key of a platform certificate, under its serial (upper-case hex). */
  addCertificate(pem: string | Buffer): string {
    const cert = new X509Certificate(pem);
    const serial = cert.serialNumber.toUpperCase();
    const now = Date.now();
    if (Date.parse(cert.validTo) < now) throw new Error(`platform certificate ${serial} expired at ${cert.validTo}`);
    this.keys.set(serial, cert.publicKey);
    return serial;
  }

  /** Public-key mode: the WeChat Pay public key under its id PUB_KEY_ID_…. */
  addPublicKey(id: string, pem: string | Buffer): void {
    if (!/^PUB_KEY_ID_\w+$/.test(id)) throw new Error('public key id must look like PUB_KEY_ID_…');
    this.keys.set(id, createPublicKey(pem));
  }

  get(serial: string): KeyObject | null {
    return this.keys.get(serial) ?? this.keys.get(serial.toUpperCase()) ?? null;
  }

  get size() {
    return this.keys.size;
  }
}

export class NotifyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface NotifyHeaders {
  timestamp?: string;
  nonce?: string;
  signature?: string;
  serial?: string;
  signatureType?: string;
}

export function notifyHeadersOf(h: Record<string, string | string[] | undefined>): NotifyHeaders {
  const one = (k: string) => {
    const v = h[k];
    return Array.isArray(v) ? v[0] : v;
  };
  return {
    timestamp: one('wechatpay-timestamp'),
    nonce: one('wechatpay-nonce'),
    signature: one('wechatpay-signature'),
    serial: one('wechatpay-serial'),
    signatureType: one('wechatpay-signature-type'),
  };
}

/** Checks the platform signature over `timestamp\nnonce\nrawBody\n` and the ±5 minute window. */
export function verifyNotifySignature(keys: PlatformKeys, h: NotifyHeaders, rawBody: Buffer, nowMs = Date.now()): void {
  if (!h.timestamp || !h.nonce || !h.signature || !h.serial) throw new NotifyError(401, '缺少签名头');
  if (h.signatureType && h.signatureType !== 'WECHATPAY2-SHA256-RSA2048') throw new NotifyError(401, '不支持的签名类型');
  if (!/^\d{1,12}$/.test(h.timestamp)) throw new NotifyError(401, '时间戳格式错误');
  if (Math.abs(nowMs / 1000 - Number(h.timestamp)) > NOTIFY_WINDOW_SEC) throw new NotifyError(401, '时间戳超出有效期');
  const key = keys.get(h.serial);
  if (!key) throw new NotifyError(401, `未知的平台证书/公钥序列号 ${h.serial.slice(0, 64)}`);
  const v = createVerify('RSA-SHA256');
  v.update(`${h.timestamp}\n${h.nonce}\n`);
  v.update(rawBody);
  v.update('\n');
  let ok = false;
  try {
    ok = v.verify(key, h.signature, 'base64');
  } catch {
    ok = false;
  }
  if (!ok) throw new NotifyError(401, '签名验证失败');
}

export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  associated_data?: string;
  nonce: string;
  original_type?: string;
}

/** AES-256-GCM with the APIv3 key; `final()` checks the tag, so tampering or a wrong AAD fails. */
export function decryptResource(apiV3Key: string, r: EncryptedResource): string {
  if (r.algorithm !== 'AEAD_AES_256_GCM') throw new NotifyError(400, '不支持的加密算法');
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error('APIv3 key must be 32 bytes');
  const data = Buffer.from(r.ciphertext ?? '', 'base64');
  if (data.length <= 16 || typeof r.nonce !== 'string' || r.nonce.length === 0) throw new NotifyError(400, '密文格式错误');
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(r.nonce, 'utf8'), { authTagLength: 16 });
    d.setAuthTag(data.subarray(data.length - 16));
    d.setAAD(Buffer.from(r.associated_data ?? '', 'utf8'));
    return Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]).toString('utf8');
  } catch {
    throw new NotifyError(400, '解密失败');
  }
}

// ---------------------------------------------------------------------------------------------
// Outbound helpers (our side of the protocol)

/** 32 random characters for request nonces (the library uses Math.random). */
export const secureNonce = () => randomBytes(24).toString('base64url').slice(0, 32);

/** Signs a message with a private key, RSA-SHA256, base64. */
export function rsaSign(privateKey: string | KeyObject, message: string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');
}

/** The parameters wx.requestPayment needs, signed over appId\ntimeStamp\nnonceStr\npackage\n. */
export function jsapiPayParams(appId: string, prepayId: string, privateKey: string | KeyObject, nowMs = Date.now()) {
  const timeStamp = String(Math.floor(nowMs / 1000));
  const nonceStr = secureNonce();
  const pkg = `prepay_id=${prepayId}`;
  return {
    appId,
    timeStamp,
    nonceStr,
    package: pkg,
    signType: 'RSA' as const,
    paySign: rsaSign(privateKey, `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`),
  };
}
