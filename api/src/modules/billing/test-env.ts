/** Test wiring for billing: the API (harness), a WeChat Pay simulator and shared dev keys in a temp dir. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCipheriv, createSign, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simLoginCode, startTestApi, type TestApi } from '../../testing/harness';
import { loadOrCreateDevKeys } from '../../simulators/wechatpay/dev-keys';
import { createWechatPaySimulator, devSimulatorOptions, type WechatPaySimServer } from '../../simulators/wechatpay/pay-sim';
import { AccountModel, BindingModel, type Account } from '../accounts/account.model';
import { UserModel } from '../auth/user.model';
import { simOpenid } from '../../simulators/wechat/login-sim';
import { seedBilling } from './seed';

export interface PayTestEnv {
  api: TestApi;
  sim: WechatPaySimServer;
  simUrl: string;
  keys: ReturnType<typeof loadOrCreateDevKeys>;
  stop(): Promise<void>;
}

export async function startPayTestEnv(opts: { seedAccounts?: number; mode?: 'public_key' | 'certificate' } = {}): Promise<PayTestEnv> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxpay-keys-'));
  const keys = loadOrCreateDevKeys(dir);
  const sim = createWechatPaySimulator(devSimulatorOptions(keys, { mode: opts.mode, retryScale: 0.001 }));
  await new Promise<void>((r) => sim.listen(0, '127.0.0.1', r));
  const simUrl = `http://127.0.0.1:${(sim.address() as AddressInfo).port}`;
  const api = await startTestApi({ seedAccounts: opts.seedAccounts ?? 300, env: { WECHATPAY_API_BASE: simUrl, WECHATPAY_DEV_KEYS_DIR: dir } });
  await seedBilling({});
  return {
    api,
    sim,
    simUrl,
    keys,
    async stop() {
      sim.closeAllConnections?.();
      await new Promise((r) => sim.close(r));
      await api.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A WeChat (mini-program) resident bound to `account`, as a tRPC client. */
export async function residentFor(env: PayTestEnv, simUser: string, account?: Account) {
  const r = await env.api.client().auth.wechatLogin.mutate({ code: await simLoginCode(env.api, simUser) });
  if (account) {
    const u = await UserModel.findOne({ openid: simOpenid(env.api.cfg.WECHAT_APPID, simUser) }).lean();
    await BindingModel.create({ userId: u!._id, accountId: account._id, relation: 'self', verifiedBy: 'seed' });
  }
  return env.api.client(r.accessToken);
}

export async function findAccount(filter: Record<string, unknown>): Promise<Account> {
  const a = (await AccountModel.findOne(filter).sort({ number: 1 }).lean()) as Account | null;
  if (!a) throw new Error(`no account for ${JSON.stringify(filter)}`);
  return a;
}

/** Our own signed notification (tests craft bad ones): body signed like WeChat's platform would. */
export function signNotification(env: PayTestEnv, body: string, o: { ts?: number; serial?: string; nonce?: string } = {}) {
  const ts = String(o.ts ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? randomBytes(16).toString('hex');
  return {
    'Content-Type': 'application/json',
    'Wechatpay-Timestamp': ts,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': createSign('RSA-SHA256').update(`${ts}\n${nonce}\n${body}\n`).sign(env.keys.platformPrivateKeyPem, 'base64'),
    'Wechatpay-Serial': o.serial ?? env.keys.platformPublicKeyId,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  };
}

export function encryptResource(key: string, plaintext: string, aad = 'transaction') {
  const nonce = randomBytes(9).toString('base64url').slice(0, 12);
  const c = createCipheriv('aes-256-gcm', Buffer.from(key, 'utf8'), Buffer.from(nonce, 'utf8'));
  c.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: ct.toString('base64'), associated_data: aad, nonce, original_type: 'transaction' };
}

export async function postNotify(env: PayTestEnv, headers: Record<string, string>, body: string) {
  const r = await fetch(`${env.api.url}/pay/wechat/notify`, { method: 'POST', headers, body });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as { code: string; message: string }) : null };
}
