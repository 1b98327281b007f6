/**
 * Development key material for WeChat Pay, shared by the API and the local Pay simulator.
 *
 * Generated once, at the first start of either process, under `<repo>/.data/wechatpay/` (never
 * committed: .data/ is git-ignored). Layout:
 *   keys.json                    everything below in one file (written atomically; the source of truth)
 *   apiclient_key.pem            merchant private key (the API signs requests with it)
 *   apiclient_public_key.pem     merchant public key (the simulator verifies our requests with it)
 *   merchant_serial.txt          merchant certificate serial
 *   platform_private_key.pem     the simulator's signing key (stands in for WeChat Pay's)
 *   wechatpay_public_key.pem     its public key, public-key mode id in wechatpay_public_key_id.txt
 *   wechatpay_platform_cert.pem  the same key as a self-signed platform certificate (certificate mode)
 *   apiv3_key.txt, mchid.txt
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WechatPayDevKeys {
  mchid: string;
  apiV3Key: string;
  merchantPrivateKeyPem: string;
  merchantPublicKeyPem: string;
  merchantSerial: string;
  platformPrivateKeyPem: string;
  platformPublicKeyPem: string;
  platformPublicKeyId: string;
  platformCertPem: string;
  platformCertSerial: string;
}

/** <repo>/.data/wechatpay, independent of the working directory. */
export const DEFAULT_DEV_KEYS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../.data/wechatpay');

// --- a minimal DER writer, enough for one self-signed X.509 v3 certificate ---------------------
const derLen = (n: number) => (n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]));
const tlv = (tag: number, ...content: Buffer[]) => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLen(body.length), body]);
};
const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const int = (b: Buffer) => tlv(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
const utc = (d: Date) => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'));
const SHA256_RSA = seq(Buffer.from('06092a864886f70d01010b', 'hex'), Buffer.from('0500', 'hex'));
const name = (cn: string, org: string) =>
  seq(
    tlv(0x31, seq(Buffer.from('0603550406', 'hex'), tlv(0x13, Buffer.from('CN')))),
    tlv(0x31, seq(Buffer.from('060355040a', 'hex'), tlv(0x0c, Buffer.from(org, 'utf8')))),
    tlv(0x31, seq(Buffer.from('0603550403', 'hex'), tlv(0x0c, Buffer.from(cn, 'utf8')))),
  );

/** A self-signed certificate for `publicKey`, signed with `privateKey` (RSA-SHA256). */
export function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject, serialHex: string, cn: string, years = 5): string {
  const now = new Date();
  const notBefore = new Date(now.getTime() - 86_400_000);
  const notAfter = new Date(now.getTime() + years * 365 * 86_400_000);
  const subject = name(cn, 'Tenpay.com (development simulator)');
  const tbs = seq(
    tlv(0xa0, int(Buffer.from([2]))),
    int(Buffer.from(serialHex, 'hex')),
    SHA256_RSA,
    subject,
    seq(utc(notBefore), utc(notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, SHA256_RSA, tlv(0x03, Buffer.from([0]), signature));
  return `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE-----\n`;
}

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: KeyObject, type: 'pkcs8' | 'spki') => k.export({ type, format: 'pem' }) as string;

/** Fresh key material (tests use this directly, in memory). */
export function generateWechatPayDevKeys(mchid = '1900000001'): WechatPayDevKeys {
  const merchant = rsa();
  const platform = rsa();
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const apiV3Key = Array.from(randomBytes(32), (b) => alnum[b % alnum.length]).join('');
  // Serials look like WeChat's: 40 upper-case hex digits, the first below 8 (a positive INTEGER).
  const serial = () => '3' + randomBytes(20).toString('hex').toUpperCase().slice(1);
  const platformCertSerial = serial();
  const spki = platform.publicKey.export({ type: 'spki', format: 'der' });
  return {
    mchid,
    apiV3Key,
    merchantPrivateKeyPem: pem(merchant.privateKey, 'pkcs8'),
    merchantPublicKeyPem: pem(merchant.publicKey, 'spki'),
    merchantSerial: serial(),
    platformPrivateKeyPem: pem(platform.privateKey, 'pkcs8'),
    platformPublicKeyPem: pem(platform.publicKey, 'spki'),
    platformPublicKeyId: `PUB_KEY_ID_0119${createHash('sha256').update(spki).digest('hex').slice(0, 24).toUpperCase()}`,
    platformCertPem: selfSignedCertificate(platform.privateKey, platform.publicKey, platformCertSerial, 'Wechatpay Platform (dev)'),
    platformCertSerial,
  };
}

/** Reads the development keys, generating them on first use. Safe when the API and simulator race. */
export function loadOrCreateDevKeys(dir = DEFAULT_DEV_KEYS_DIR): WechatPayDevKeys & { dir: string; paths: Record<string, string> } {
  const file = path.join(dir, 'keys.json');
  const paths = {
    merchantPrivateKey: path.join(dir, 'apiclient_key.pem'),
    merchantPublicKey: path.join(dir, 'apiclient_public_key.pem'),
    platformPrivateKey: path.join(dir, 'platform_private_key.pem'),
    platformPublicKey: path.join(dir, 'wechatpay_public_key.pem'),
    platformCert: path.join(dir, 'wechatpay_platform_cert.pem'),
  };
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const keys = generateWechatPayDevKeys();
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(keys, null, 2), { mode: 0o600 });
    try {
      fs.linkSync(tmp, file); // fails if another process won the race: then theirs is used
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  const keys = JSON.parse(fs.readFileSync(file, 'utf8')) as WechatPayDevKeys;
  // Convenience copies for tools and for configuring the API by paths; keys.json stays authoritative.
  const write = (p: string, s: string) => {
    if (!fs.existsSync(p)) fs.writeFileSync(p, s, { mode: 0o600 });
  };
  write(paths.merchantPrivateKey, keys.merchantPrivateKeyPem);
  write(paths.merchantPublicKey, keys.merchantPublicKeyPem);
  write(paths.platformPrivateKey, keys.platformPrivateKeyPem);
  write(paths.platformPublicKey, keys.platformPublicKeyPem);
  write(paths.platformCert, keys.platformCertPem);
  write(path.join(dir, 'merchant_serial.txt'), `${keys.merchantSerial}\n`);
  write(path.join(dir, 'wechatpay_public_key_id.txt'), `${keys.platformPublicKeyId}\n`);
  write(path.join(dir, 'apiv3_key.txt'), `${keys.apiV3Key}\n`);
  write(path.join(dir, 'mchid.txt'), `${keys.mchid}\n`);
  return { ...keys, dir, paths };
}

export const privateKeyOf = (pemText: string) => createPrivateKey(pemText);
export const publicKeyOf = (pemText: string) => createPublicKey(pemText);
