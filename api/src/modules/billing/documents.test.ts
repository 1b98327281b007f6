import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../seed/generate';
import { expectTrpcError, simLoginCode } from '../../testing/harness';
import { BindingModel, type Account } from '../accounts/account.model';
import { AuditLogModel } from '../audit/audit.model';
import { KeyRing } from '../auth/tokens';
import { UserModel } from '../auth/user.model';
import { simOpenid } from '../../simulators/wechat/login-sim';
import { CounterModel } from '../events/counter.model';
import { InvoiceModel, PaymentModel } from './billing.model';
import { FILE_TOKEN_AUDIENCE } from '../../http/file-links';
import { findAccount, startPayTestEnv, type PayTestEnv } from './test-env';

let env: PayTestEnv;
beforeAll(async () => {
  env = await startPayTestEnv({ seedAccounts: 300 });
});
afterAll(async () => {
  await env?.stop();
});

const used: Account['_id'][] = [];
async function freshAccount(filter: Record<string, unknown>) {
  const a = await findAccount({ ...filter, _id: { $nin: used } });
  used.push(a._id);
  return a;
}

/** A WeChat resident (optionally bound to an account): client plus its raw access token. */
async function resident(simUser: string, account?: Account) {
  const r = await env.api.client().auth.wechatLogin.mutate({ code: await simLoginCode(env.api, simUser) });
  if (account) {
    const u = await UserModel.findOne({ openid: simOpenid(env.api.cfg.WECHAT_APPID, simUser) }).lean();
    await BindingModel.create({ userId: u!._id, accountId: account._id, relation: 'self', verifiedBy: 'seed' });
  }
  return { c: env.api.client(r.accessToken), accessToken: r.accessToken };
}

async function payAndSettle(outTradeNo: string) {
  env.sim.wechatpay.pay(outTradeNo);
  await env.sim.wechatpay.settled(outTradeNo);
}

const get = (path: string) => fetch(`${env.api.url}${path}`);

/** Every character the PDF's fonts map back to Unicode (its ToUnicode CMaps): what it can display as text. */
function pdfChars(pdf: Buffer): string {
  const s = pdf.toString('latin1');
  let out = '';
  for (let i = s.indexOf('stream\n'); i >= 0; i = s.indexOf('stream\n', i + 1)) {
    const end = s.indexOf('\nendstream', i);
    if (end < 0) break;
    let text: string;
    try {
      text = inflateSync(pdf.subarray(i + 7, end)).toString('latin1');
    } catch {
      continue;
    }
    if (!text.includes('beginbfrange')) continue;
    for (const m of text.matchAll(/<([0-9a-f]{4}(?: [0-9a-f]{4})*)>/gi)) out += String.fromCharCode(...m[1]!.split(' ').map((h) => parseInt(h, 16)));
  }
  return out;
}

describe('receipts', () => {
  it('a 代缴 payment: no receipt before it is paid; then a PDF for the payer only (the holder sees the payment, not its documents); links are short-lived and bound', async () => {
    const acct = await freshAccount({ paymentMode: 'postpaid', supplyState: 'arrears' });
    const holder = await resident('doc-holder', acct);
    const payer = await resident('doc-payer');
    const stranger = await resident('doc-stranger');
    const info = await payer.c.billing.payFor.query({ number: acct.number });
    const p = await payer.c.billing.createPayment.mutate({ number: acct.number, holderNameMasked: info.holderNameMasked, channel: 'native' });

    // Unpaid: no receipt, no invoice.
    const unpaid = await expectTrpcError(payer.c.billing.documentLink.mutate({ paymentId: p.paymentId, kind: 'receipt' }), 'CONFLICT');
    expect(unpaid.message).toBe('该笔缴费尚未支付成功，暂无缴费凭证');
    await expectTrpcError(payer.c.billing.requestInvoice.mutate({ paymentId: p.paymentId, title: { type: 'personal', name: '李四' } }), 'CONFLICT');

    await payAndSettle(p.outTradeNo);
    const link = await payer.c.billing.documentLink.mutate({ paymentId: p.paymentId, kind: 'receipt' });
    expect(link.url).toMatch(new RegExp(`^/files/billing/${p.paymentId}/receipt\\.pdf\\?token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(290_000);
    expect(Date.parse(link.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);

    const t0 = performance.now();
    const res = await get(link.url);
    const ms = performance.now() - t0;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="receipt-${p.outTradeNo}.pdf"; filename*=UTF-8''${encodeURIComponent(`电费缴费凭证-${p.outTradeNo}.pdf`)}`,
    );
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    expect(Number(res.headers.get('content-length'))).toBe(pdf.length);
    const chars = pdfChars(pdf);
    for (const c of '电费缴费凭证代缴微信支付合计大写违约金') expect(chars).toContain(c);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      expect((await get(link.url)).status).toBe(200);
      warm.push(performance.now() - t);
    }
    console.info(`receipt over HTTP: first ${ms.toFixed(0)} ms, then ${warm.map((t) => t.toFixed(0)).join('/')} ms; ${pdf.length} bytes`);

    // The holder of the account sees that a 代缴 was made for them, but its receipt and invoice are the payer's; a stranger sees nothing.
    expect((await holder.c.billing.paymentStatus.query({ paymentId: p.paymentId })).status).toBe('paid');
    await expectTrpcError(holder.c.billing.documentLink.mutate({ paymentId: p.paymentId, kind: 'receipt' }), 'NOT_FOUND');
    await expectTrpcError(holder.c.billing.requestInvoice.mutate({ paymentId: p.paymentId, title: { type: 'personal', name: '王五' } }), 'NOT_FOUND');
    await expectTrpcError(stranger.c.billing.paymentStatus.query({ paymentId: p.paymentId }), 'NOT_FOUND');
    await expectTrpcError(stranger.c.billing.documentLink.mutate({ paymentId: p.paymentId, kind: 'receipt' }), 'NOT_FOUND');
    await expectTrpcError(
      stranger.c.billing.requestInvoice.mutate({ paymentId: p.paymentId, title: { type: 'personal', name: '王五' } }),
      'NOT_FOUND',
    );
    await expectTrpcError(env.api.client().billing.documentLink.mutate({ paymentId: p.paymentId, kind: 'receipt' }), 'UNAUTHORIZED');

    // The token opens exactly this payment's receipt, for five minutes.
    const token = new URL(link.url, 'http://x').searchParams.get('token')!;
    const refused = async (path: string, status: number, message?: string) => {
      const r = await get(path);
      expect(r.status).toBe(status);
      expect(r.headers.get('content-type')).toContain('application/json');
      const body = (await r.json()) as { message: string };
      if (message) expect(body.message).toBe(message);
    };
    await refused(`/files/billing/${p.paymentId}/invoice.pdf?token=${token}`, 403, '链接与文件不符');
    await refused(`/files/billing/${'0'.repeat(24)}/receipt.pdf?token=${token}`, 403);
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await refused(`/files/billing/${p.paymentId}/receipt.pdf?token=${tampered}`, 401, '链接无效，请返回重新打开');
    await refused(`/files/billing/${p.paymentId}/receipt.pdf`, 401);
    await refused(`/files/billing/${p.paymentId}/receipt.pdf?token=${payer.accessToken}`, 401); // an access token is no file token
    await refused(`/files/billing/${p.paymentId}/statement.pdf?token=${token}`, 404);
    const ring = new KeyRing({});
    const expired = await ring.signScoped(
      { pid: p.paymentId, kind: 'receipt' },
      { audience: FILE_TOKEN_AUDIENCE, subject: 'x', issuer: env.api.cfg.AUTH_ISSUER, ttlSec: 300, nowSec: Math.floor(Date.now() / 1000) - 301 },
    );
    await refused(`/files/billing/${p.paymentId}/receipt.pdf?token=${expired}`, 401, '链接已过期，请返回重新打开');
  });

  it('a refunded payment keeps its receipt, stamped 已退款, and gets no new invoice', async () => {
    const pre = await freshAccount({ paymentMode: 'prepaid', supplyState: 'normal' });
    const owner = await resident('doc-prepaid', pre);
    const p = await owner.c.billing.createPayment.mutate({ accountId: String(pre._id), amountFen: 5000, channel: 'native' });
    await payAndSettle(p.outTradeNo);
    const sup = env.api.client((await env.api.client().auth.passwordLogin.mutate({ username: 'supervisor01', password: DEMO.password })).accessToken);
    await sup.billing.refund.mutate({ paymentId: p.paymentId, amountFen: 5000, reason: '客户多充，申请退回' });
    const e = await expectTrpcError(
      owner.c.billing.requestInvoice.mutate({ paymentId: p.paymentId, title: { type: 'personal', name: '赵六' } }),
      'CONFLICT',
    );
    expect(e.message).toBe('该笔缴费已退款，不能开具发票');
    const res = await get((await owner.c.billing.documentLink.mutate({ paymentId: p.paymentId, kind: 'receipt' })).url);
    expect(res.status).toBe(200);
    const chars = pdfChars(Buffer.from(await res.arrayBuffer()));
    for (const c of '已退款充值') expect(chars).toContain(c);
  });
});

describe('e-invoices', () => {
  it('refuses an invalid credit code in Chinese; 20 parallel requests issue exactly one invoice, audited, with net + VAT = paid', async () => {
    const acct = await freshAccount({ paymentMode: 'postpaid', supplyState: 'arrears' });
    const { c } = await resident('doc-invoice', acct);
    const p = await c.billing.createPayment.mutate({ accountId: String(acct._id), channel: 'native' });
    await payAndSettle(p.outTradeNo);

    const bad = await expectTrpcError(
      c.billing.requestInvoice.mutate({
        paymentId: p.paymentId,
        title: { type: 'company', name: '长沙星城制造有限公司', taxId: '91350100M000100Y44' },
      }),
      'BAD_REQUEST',
    );
    expect(bad.message).toBe('统一社会信用代码校验位不正确，请核对后重新填写');
    await expectTrpcError(
      c.billing.requestInvoice.mutate({ paymentId: p.paymentId, title: { type: 'company', name: '长沙星城制造有限公司', taxId: '123' } }),
      'BAD_REQUEST',
    );
    await expectTrpcError(c.billing.documentLink.mutate({ paymentId: p.paymentId, kind: 'invoice' }), 'NOT_FOUND');

    const title = { type: 'company' as const, name: '长沙星城制造有限公司', taxId: '91350100m000100y43' };
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => c.billing.requestInvoice.mutate({ paymentId: p.paymentId, title })));
    const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(ok).toHaveLength(20);
    expect(new Set(ok.map((i) => i.invoiceNo)).size).toBe(1);
    const inv = ok[0]!;
    expect(inv.invoiceNo).toMatch(/^\d{20}$/);
    expect(inv).toMatchObject({ totalFen: p.amountFen, rateBp: 1300, title: { type: 'company', taxId: '91350100M000100Y43' } });
    expect(inv.netFen + inv.taxFen).toBe(p.amountFen);
    expect(await InvoiceModel.countDocuments({ paymentId: p.paymentId })).toBe(1);
    expect(await AuditLogModel.countDocuments({ action: 'invoice.issue', targetId: p.paymentId })).toBe(1);
    // Only the claim's winner took a number: the year's counter has no gaps.
    const counter = await CounterModel.findById(`invoice:${new Date(Date.now() + 8 * 3600_000).getUTCFullYear()}`).lean();
    expect(counter!.seq).toBe(await InvoiceModel.countDocuments({ invoiceNo: { $ne: null } }));

    // Asking again (any title) returns the same invoice; the history shows its number.
    const again = await c.billing.requestInvoice.mutate({ paymentId: p.paymentId, title: { type: 'personal', name: '张三' } });
    expect(again).toEqual(inv);
    const row = (await c.billing.payments.query({})).find((x) => x.id === p.paymentId)!;
    expect(row.invoiceNo).toBe(inv.invoiceNo);
    // The paid bill points at its payment (the mini-program's 下载收据 on the bill page).
    const billId = String((await PaymentModel.findById(p.paymentId).lean())!.billId);
    expect((await c.billing.bill.query({ billId })).paymentId).toBe(p.paymentId);

    const res = await get((await c.billing.documentLink.mutate({ paymentId: p.paymentId, kind: 'invoice' })).url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`filename="invoice-${inv.invoiceNo}.pdf"`);
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    for (const ch of '电子发票普通购买方销售方价税合计长沙星城制造') expect(pdfChars(pdf)).toContain(ch);
  });
});
