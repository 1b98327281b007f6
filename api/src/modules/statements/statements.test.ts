import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../seed/generate';
import { expectTrpcError } from '../../testing/harness';
import { AccountModel, EnterpriseModel } from '../accounts/account.model';
import { UserModel } from '../auth/user.model';
import { BillModel, UsageHistoryModel } from '../billing/billing.model';
import { startPayTestEnv, type PayTestEnv } from '../billing/test-env';
import { COMPONENTS, LINE_HEADERS, lineCells, parseCsv, periodOf, prevPeriod } from './statement.rules';
import { InvoicedBillModel } from './vat-invoice.model';

let env: PayTestEnv;
let entId: string;
beforeAll(async () => {
  env = await startPayTestEnv({ seedAccounts: 300 });
  entId = String((await EnterpriseModel.findOne({ name: DEMO.enterpriseName }).lean())!._id);
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

async function login(username: string) {
  const r = await env.api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return env.api.client(r.accessToken);
}
const get = (path: string) => fetch(`${env.api.url}${path}`);
const lastMonth = () => prevPeriod(periodOf(new Date()));

describe('monthly statement', () => {
  it('adds up: per line and in total opening + charges + late fees − payments = closing; components equal the bills', async () => {
    const c = await login('ent_finance');
    const s = await c.statements.statement.query({ month: lastMonth() });
    expect(s.enterpriseName).toBe(DEMO.enterpriseName);
    const postpaid = await AccountModel.find({ enterpriseId: entId, paymentMode: 'postpaid' }).lean();
    expect(s.lines.map((l) => l.accountNumber).sort()).toEqual(postpaid.map((a) => a.number).sort());
    for (const l of [...s.lines.map((x) => x.figures), s.totals]) {
      expect(l.openingFen + l.chargesFen + l.lateFeeFen - l.paymentsFen).toBe(l.closingFen);
      expect(COMPONENTS.reduce((sum, k) => sum + l.components[k].fen, 0)).toBe(l.chargesFen);
    }
    const sum = (f: (x: (typeof s.lines)[number]['figures']) => number) => s.lines.reduce((a, l) => a + f(l.figures), 0);
    expect(sum((f) => f.chargesFen)).toBe(s.totals.chargesFen);
    expect(sum((f) => f.closingFen)).toBe(s.totals.closingFen);
    // The month's charges are the bills of the month before (issued on the 1st), as stored.
    const charged = prevPeriod(lastMonth());
    expect(s.chargedPeriods).toEqual([charged]);
    const h = await UsageHistoryModel.find({ _id: { $in: postpaid.map((a) => a._id) } }).lean();
    const stored = h.reduce((a, x) => a + (x.months.find((m) => m.period === charged)?.amountFen ?? 0), 0);
    expect(s.totals.chargesFen).toBe(stored);
    // Closing: every bill charged up to the month and open at its end (the seed's arrears are open bills).
    const open = await BillModel.find({ accountId: { $in: postpaid.map((a) => a._id) }, status: 'unpaid', period: { $lt: lastMonth() } }).lean();
    expect(s.totals.closingFen).toBeGreaterThanOrEqual(open.reduce((a, b) => a + b.amountFen, 0));
  });

  it('downloads the PDF and the CSV (BOM, the company in the file name, one row per PDF line) through short-lived links', async () => {
    const c = await login('ent_finance');
    const month = lastMonth();
    const s = await c.statements.statement.query({ month });
    const csvLink = await c.statements.link.mutate({ kind: 'statement', month, format: 'csv' });
    expect(new Date(csvLink.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(300_000);
    const r = await get(csvLink.url);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    expect(decodeURIComponent(r.headers.get('content-disposition')!)).toContain(`${DEMO.enterpriseName}-电费对账单-${month}.csv`);
    const bytes = Buffer.from(await r.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.toString('utf8'));
    const head = rows.findIndex((x) => x[0] === LINE_HEADERS[0]);
    const body = rows.slice(head + 1, head + 1 + s.lines.length);
    expect(body.map((x) => x.slice(0, LINE_HEADERS.length))).toEqual(s.lines.map((l) => lineCells(l)));
    expect(rows[head + 1 + s.lines.length]![0]).toBe('合计');

    const pdfLink = await c.statements.link.mutate({ kind: 'statement', month, format: 'pdf' });
    const p = await get(pdfLink.url);
    expect(p.status).toBe(200);
    expect(p.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await p.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // A link for one file opens no other.
    const other = pdfLink.url.replace(`statement-${month}.pdf`, `statement-${prevPeriod(month)}.pdf`);
    expect((await get(other)).status).toBe(403);
    expect((await get(pdfLink.url.split('?')[0]!)).status).toBe(401);
  });

  it('exports any period of up to 24 months of bills as CSV, and refuses more', async () => {
    const c = await login('ent_admin');
    const to = lastMonth();
    let from = to;
    for (let i = 0; i < 23; i++) from = prevPeriod(from);
    const link = await c.statements.link.mutate({ kind: 'bills', from, to });
    const r = await get(link.url);
    expect(r.status).toBe(200);
    const rows = parseCsv(await r.text());
    const postpaid = await AccountModel.countDocuments({ enterpriseId: entId, paymentMode: 'postpaid' });
    expect(rows.length - 3).toBe(postpaid * 24);
    await expectTrpcError(c.statements.link.mutate({ kind: 'bills', from: prevPeriod(from), to }), 'BAD_REQUEST');
  });

  it('refuses the electrician, keeps finance within its site scope, and stops a disabled user’s link', async () => {
    const elec = await login('ent_elec');
    await expectTrpcError(elec.statements.statement.query({ month: lastMonth() }), 'FORBIDDEN');
    await expectTrpcError(elec.statements.link.mutate({ kind: 'statement', month: lastMonth(), format: 'csv' }), 'FORBIDDEN');
    await expectTrpcError(elec.statements.requestInvoice.mutate({ kind: 'normal', billKeys: [`${'a'.repeat(24)}:2026-01`] }), 'FORBIDDEN');
    const usage = await elec.statements.usage.query({ months: 12 });
    expect(usage.sites.length).toBeGreaterThan(0);

    const two = await AccountModel.find({ enterpriseId: entId, paymentMode: 'postpaid' }).sort({ number: 1 }).limit(2).lean();
    await UserModel.updateOne({ username: 'ent_finance' }, { $set: { siteAccountIds: two.map((a) => a._id) } });
    try {
      const fin = await login('ent_finance');
      const s = await fin.statements.statement.query({ month: lastMonth() });
      expect(s.lines.map((l) => l.accountNumber)).toEqual(two.map((a) => a.number));
      const u = await fin.statements.usage.query({ months: 12 });
      expect(u.sites.map((x) => x.accountNumber)).toEqual(two.map((a) => a.number));
      // Another enterprise's account is never compared.
      const foreign = await AccountModel.findOne({ enterpriseId: { $ne: entId, $exists: true, $type: 'objectId' } }).lean();
      const again = await fin.statements.usage.query({ months: 12, accountIds: [String(foreign!._id)] });
      expect(again.compare).toEqual([]);

      const link = await fin.statements.link.mutate({ kind: 'statement', month: lastMonth(), format: 'csv' });
      await UserModel.updateOne({ username: 'ent_finance' }, { $set: { disabled: true } });
      expect((await get(link.url)).status).toBe(403);
    } finally {
      await UserModel.updateOne({ username: 'ent_finance' }, { $set: { disabled: false }, $unset: { siteAccountIds: 1 } });
    }
  });
});

describe('VAT invoices', () => {
  it('issues a 普票 once per bill, refuses 专票 until its fields are complete, never twice under concurrency', async () => {
    const c = await login('ent_finance');
    // Find a payment month with paid bills.
    let month = lastMonth();
    let candidates = await c.statements.invoiceCandidates.query({ month });
    if (candidates.length < 6) {
      month = prevPeriod(month);
      candidates = await c.statements.invoiceCandidates.query({ month });
    }
    expect(candidates.length).toBeGreaterThanOrEqual(6);
    expect(candidates.every((b) => !b.invoiced)).toBe(true);
    const [a, b, c3, d, e] = candidates;

    const inv = await c.statements.requestInvoice.mutate({ kind: 'normal', billKeys: [a!.key, b!.key] });
    expect(inv.invoiceNo).toMatch(/^\d{20}$/);
    expect(inv.totalFen).toBe(a!.amountFen + a!.lateFeeFen + b!.amountFen + b!.lateFeeFen);
    expect(inv.netFen + inv.taxFen).toBe(inv.totalFen);
    const again = await expectTrpcError(c.statements.requestInvoice.mutate({ kind: 'normal', billKeys: [b!.key, c3!.key] }), 'CONFLICT');
    expect(again.message).toContain('已开过发票');
    // The refused request left no claim on the other bill.
    expect(await InvoicedBillModel.exists({ _id: c3!.key })).toBeNull();

    const special = await expectTrpcError(c.statements.requestInvoice.mutate({ kind: 'special', billKeys: [c3!.key] }), 'BAD_REQUEST');
    expect(special.message).toContain('注册地址');
    expect(special.message).toContain('开户银行');
    await EnterpriseModel.updateOne(
      { _id: entId },
      {
        $set: {
          'invoiceTitle.registeredAddress': '长沙市岳麓区麓谷大道 1 号',
          'invoiceTitle.registeredPhone': '0731-88886666',
          'invoiceTitle.bankName': '中国工商银行长沙麓谷支行',
          'invoiceTitle.bankAccount': '1901000009200123456',
        },
      },
    );
    const sp = await c.statements.requestInvoice.mutate({ kind: 'special', billKeys: [c3!.key] });
    expect(sp.kind).toBe('special');

    // Ten concurrent requests for the same bill: exactly one invoice.
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => c.statements.requestInvoice.mutate({ kind: 'normal', billKeys: [d!.key, e!.key] })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await InvoicedBillModel.countDocuments({ _id: { $in: [d!.key, e!.key] } })).toBe(2);

    const list = await c.statements.invoices.query();
    expect(list.map((i) => i.invoiceNo)).toContain(inv.invoiceNo);
    const after = await c.statements.invoiceCandidates.query({ month });
    expect(after.find((x) => x.key === a!.key)!.invoiceNo).toBe(inv.invoiceNo);

    const link = await c.statements.invoiceLink.mutate({ invoiceId: sp.id });
    const r = await get(link.url);
    expect(r.status).toBe(200);
    expect(decodeURIComponent(r.headers.get('content-disposition')!)).toContain('增值税专用发票');
    // Another enterprise's admin cannot reach it.
    const other = await login('other_ent_admin');
    await expectTrpcError(other.statements.invoiceLink.mutate({ invoiceId: sp.id }), 'NOT_FOUND');
  });
});

describe('usage by site', () => {
  it('aggregates the scope in one call, pairs years, gives time-of-use shares and flags a planted jump only', async () => {
    const accounts = await AccountModel.find({ enterpriseId: entId }).sort({ number: 1 }).lean();
    const target = accounts[1]!;
    const h = await UsageHistoryModel.findById(target._id).lean();
    const last = h!.months[h!.months.length - 1]!;
    await UsageHistoryModel.updateOne(
      { _id: target._id, 'months.period': last.period },
      { $set: { 'months.$.kwh': Math.round(h!.months[h!.months.length - 13]!.kwh! * 2.4) } },
    );
    const c = await login('ent_elec');
    const u = await c.statements.usage.query({ months: 24 });
    expect(u.periods).toHaveLength(24);
    expect(u.flagged.map((f) => f.accountNumber)).toEqual([target.number]);
    expect(u.flagged[0]!.yoyPercent).toBe(240);
    expect(u.compare.length).toBeGreaterThan(0);
    expect(u.compare[0]!.kwh).toHaveLength(24);
    expect(u.total).toHaveLength(24);
    expect(u.yoy.months).toHaveLength(12);
    if (u.tou.sites > 0) {
      const sh = u.tou.shares!;
      expect(sh.peak + sh.flat + sh.valley).toBe(1000);
    }
    const chosen = await c.statements.usage.query({ months: 12, accountIds: [String(target._id)] });
    expect(chosen.compare.map((x) => x.accountNumber)).toEqual([target.number]);
    expect(chosen.compare[0]!.kwh).toHaveLength(12);
  });
});
