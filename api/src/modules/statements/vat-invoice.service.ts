/**
 * VAT invoices (增值税发票) for an enterprise's paid bills: 普票 or 专票 for the enterprise's own title
 * (kept on the enterprise by the enterprise module: `invoiceTitle`), requested by its admin or finance
 * within their site scope. A bill is invoiced once: every bill of a request is claimed by a unique key in
 * invoiced_bills before the invoice is numbered, and a bill whose payment already has its e-invoice
 * (billing.requestInvoice) is refused too.
 */
import { Types } from 'mongoose';
import type { Config } from '../../config';
import { isDuplicateKeyError } from '../../db/connect';
import { signFileLink } from '../../http/file-links';
import { DomainError } from '../../lib/errors';
import { accountAccessFilter, isEnterpriseUser } from '../accounts/account.access';
import { AccountModel } from '../accounts/account.model';
import { recordAudit } from '../audit/audit.service';
import type { AccessClaims, KeyRing } from '../auth/tokens';
import { BillModel, InvoiceModel, PaymentModel, UsageHistoryModel } from '../billing/billing.model';
import { DocumentError, loadCjkFont, renderInvoice } from '../billing/documents.pdf';
import {
  formatInvoiceNo,
  missingVatFields,
  shanghaiYear,
  splitVat,
  VAT_RATE_BP,
  type VatInvoiceKind,
  type VatTitle,
} from '../billing/documents.rules';
import { nextSeq } from '../events/counter.model';
import { nextPeriod, periodLabel } from './statement.rules';
import { invoiceTitleOf } from '../enterprise/enterprise.service';
import { siteNameOf } from './statement.service';
import { billKeyOf, InvoicedBillModel, VatInvoiceModel } from './vat-invoice.model';

export const MAX_INVOICE_BILLS = 200;
const refused = () => new DomainError('FORBIDDEN', '发票仅企业管理员和财务可申请，您的角色无权操作');

async function scope(user: AccessClaims) {
  if (!isEnterpriseUser(user)) throw refused();
  const filter = await accountAccessFilter(user, 'payments');
  if (!filter) throw refused();
  const accounts = await AccountModel.find(filter, { number: 1, address: 1, siteName: 1 }).sort({ number: 1 }).lean();
  return { enterpriseId: new Types.ObjectId(user.ent!), accounts };
}

/** The enterprise's invoice title, as the enterprise module keeps it (its registered name and credit code until filled in). */
export async function vatTitleOf(enterpriseId: Types.ObjectId): Promise<VatTitle & { complete: Record<VatInvoiceKind, string[]> }> {
  const t = await invoiceTitleOf(enterpriseId);
  if (!t) throw new DomainError('NOT_FOUND', '企业不存在');
  const title: VatTitle = {
    name: t.title,
    taxId: t.taxId,
    registeredAddress: t.registeredAddress,
    registeredPhone: t.registeredPhone,
    bankName: t.bankName,
    bankAccount: t.bankAccount,
  };
  return { ...title, complete: { normal: missingVatFields(title, 'normal'), special: missingVatFields(title, 'special') } };
}

interface PaidBill {
  key: string;
  accountId: string;
  accountNumber: string;
  siteName: string;
  period: string;
  kwh: number;
  amountFen: number;
  lateFeeFen: number;
  paidAt: Date;
  paymentId: string | null;
}

/** Paid bills of the scope whose payment fell in `month` (or the given keys), from live bills and the settled history. */
async function paidBills(
  accounts: { _id: Types.ObjectId; number: string; address: string; siteName?: string | null }[],
  keys?: Set<string>,
  month?: string,
) {
  const ids = accounts.map((a) => a._id);
  const start = month ? new Date(`${month}-01T00:00:00+08:00`) : null;
  const end = month ? new Date(`${nextPeriod(month)}-01T00:00:00+08:00`) : null;
  const [bills, histories] = await Promise.all([
    BillModel.find(
      { accountId: { $in: ids }, status: 'paid', ...(start ? { paidAt: { $gte: start, $lt: end } } : {}) },
      { accountId: 1, period: 1, kwh: 1, amountFen: 1, lateFeePaidFen: 1, paidAt: 1, paidByPaymentId: 1 },
    ).lean(),
    UsageHistoryModel.find({ _id: { $in: ids } }).lean(),
  ]);
  const acc = new Map(accounts.map((a) => [String(a._id), a]));
  const out = new Map<string, PaidBill>();
  for (const b of bills) {
    const a = acc.get(String(b.accountId));
    if (!a || !b.paidAt) continue;
    const key = billKeyOf(a._id, b.period);
    out.set(key, {
      key,
      accountId: String(a._id),
      accountNumber: a.number,
      siteName: siteNameOf(a),
      period: b.period,
      kwh: b.kwh,
      amountFen: b.amountFen,
      lateFeeFen: b.lateFeePaidFen ?? 0,
      paidAt: b.paidAt,
      paymentId: b.paidByPaymentId ? String(b.paidByPaymentId) : null,
    });
  }
  const live = new Set(
    (await BillModel.find({ accountId: { $in: ids } }, { accountId: 1, period: 1 }).lean()).map((b) => billKeyOf(b.accountId, b.period)),
  );
  for (const h of histories) {
    const a = acc.get(String(h._id));
    if (!a) continue;
    for (const m of h.months ?? []) {
      if (!m.period || !m.paidAt) continue;
      const key = billKeyOf(String(h._id), m.period);
      if (live.has(key) || out.has(key)) continue;
      if (start && end && (m.paidAt < start || m.paidAt >= end)) continue;
      out.set(key, {
        key,
        accountId: String(a._id),
        accountNumber: a.number,
        siteName: siteNameOf(a),
        period: m.period,
        kwh: m.kwh ?? 0,
        amountFen: m.amountFen ?? 0,
        lateFeeFen: 0,
        paidAt: m.paidAt,
        paymentId: null,
      });
    }
  }
  const list = [...out.values()].filter((b) => !keys || keys.has(b.key));
  return list.sort((x, y) => (x.accountNumber === y.accountNumber ? (x.period < y.period ? -1 : 1) : x.accountNumber < y.accountNumber ? -1 : 1));
}

/** Paid bills of a payment month with their invoice state (for the 发票 page). */
export async function invoiceCandidates(user: AccessClaims, month: string) {
  const { accounts } = await scope(user);
  const bills = await paidBills(accounts, undefined, month);
  const claims = await InvoicedBillModel.find({ _id: { $in: bills.map((b) => b.key) } }).lean();
  const invoiceIds = [...new Set(claims.map((c) => String(c.invoiceId)))].map((id) => new Types.ObjectId(id));
  const invoices = invoiceIds.length ? await VatInvoiceModel.find({ _id: { $in: invoiceIds } }, { invoiceNo: 1, kind: 1 }).lean() : [];
  const invById = new Map(invoices.map((i) => [String(i._id), i]));
  const claimBy = new Map(claims.map((c) => [c._id, invById.get(String(c.invoiceId))]));
  const paymentIds = [...new Set(bills.map((b) => b.paymentId).filter((x): x is string => !!x))].map((id) => new Types.ObjectId(id));
  const [payments, eInvoices] = paymentIds.length
    ? await Promise.all([
        PaymentModel.find({ _id: { $in: paymentIds } }, { outTradeNo: 1, purpose: 1 }).lean(),
        InvoiceModel.find({ paymentId: { $in: paymentIds }, invoiceNo: { $ne: null } }, { paymentId: 1, invoiceNo: 1 }).lean(),
      ])
    : [[], []];
  const tradeNo = new Map(payments.map((p) => [String(p._id), p.outTradeNo]));
  const eInv = new Map(eInvoices.map((i) => [String(i.paymentId), i.invoiceNo]));
  return bills.map((b) => {
    const vat = claimBy.get(b.key);
    const paymentInvoice = b.paymentId ? (eInv.get(b.paymentId) ?? null) : null;
    return {
      key: b.key,
      accountNumber: b.accountNumber,
      siteName: b.siteName,
      period: b.period,
      kwh: b.kwh,
      amountFen: b.amountFen,
      lateFeeFen: b.lateFeeFen,
      paidAt: b.paidAt.toISOString(),
      outTradeNo: b.paymentId ? (tradeNo.get(b.paymentId) ?? null) : null,
      invoiceNo: vat?.invoiceNo ?? paymentInvoice,
      invoiceKind: vat ? (vat.kind as VatInvoiceKind) : paymentInvoice ? ('normal' as const) : null,
      invoiced: !!vat || !!paymentInvoice,
    };
  });
}

export async function invoiceTitle(user: AccessClaims) {
  const { enterpriseId } = await scope(user);
  return vatTitleOf(enterpriseId);
}

export interface VatInvoiceView {
  id: string;
  invoiceNo: string | null;
  kind: VatInvoiceKind;
  status: 'claiming' | 'issued';
  bills: number;
  accounts: number;
  periods: string[];
  kwh: number;
  totalFen: number;
  netFen: number;
  taxFen: number;
  issuedAt: string | null;
  titleName: string;
}

type VatDoc = NonNullable<Awaited<ReturnType<typeof loadInvoice>>>;
const loadInvoice = (id: Types.ObjectId) => VatInvoiceModel.findById(id).lean();

function toView(i: VatDoc): VatInvoiceView {
  return {
    id: String(i._id),
    invoiceNo: i.invoiceNo ?? null,
    kind: i.kind as VatInvoiceKind,
    status: i.status as 'claiming' | 'issued',
    bills: i.billKeys.length,
    accounts: new Set(i.lines.map((l) => l.accountNumber)).size,
    periods: [...new Set(i.lines.map((l) => l.period!))].sort(),
    kwh: i.kwh,
    totalFen: i.totalFen,
    netFen: i.netFen,
    taxFen: i.taxFen,
    issuedAt: i.issuedAt ? i.issuedAt.toISOString() : null,
    titleName: i.title.name,
  };
}

/** Requests one VAT invoice for the selected paid bills; each bill at most once, ever. Audited. */
export async function requestVatInvoice(
  cfg: Config,
  user: AccessClaims,
  input: { billKeys: string[]; kind: VatInvoiceKind },
  ip: string | null,
): Promise<VatInvoiceView> {
  const { enterpriseId, accounts } = await scope(user);
  const keys = new Set(input.billKeys);
  if (keys.size === 0) throw new DomainError('BAD_REQUEST', '请选择要开票的已缴账单');
  if (keys.size > MAX_INVOICE_BILLS) throw new DomainError('BAD_REQUEST', `一张发票最多包含${MAX_INVOICE_BILLS}笔账单`);
  const title = await vatTitleOf(enterpriseId);
  const missing = title.complete[input.kind];
  if (missing.length)
    throw new DomainError(
      'BAD_REQUEST',
      input.kind === 'special'
        ? `开具增值税专用发票需完整的企业开票信息，缺少：${missing.join('、')}。请企业管理员在“企业信息”中补全后再申请`
        : `开具发票需企业开票信息，缺少：${missing.join('、')}`,
    );
  const bills = await paidBills(accounts, keys);
  if (bills.length !== keys.size) throw new DomainError('BAD_REQUEST', '所选账单中有未缴清或无权访问的账单，请刷新后重新选择');
  // A bill whose payment already has its e-invoice is not invoiced again.
  const paymentIds = [...new Set(bills.map((b) => b.paymentId).filter((x): x is string => !!x))].map((id) => new Types.ObjectId(id));
  if (paymentIds.length && (await InvoiceModel.exists({ paymentId: { $in: paymentIds } })))
    throw new DomainError('CONFLICT', '所选账单中有已开具电子发票的缴费，不能重复开票');

  const now = new Date();
  const totalFen = bills.reduce((s, b) => s + b.amountFen + b.lateFeeFen, 0);
  const { netFen, taxFen } = splitVat(totalFen, VAT_RATE_BP);
  const inv = await VatInvoiceModel.create({
    enterpriseId,
    kind: input.kind,
    status: 'claiming',
    billKeys: bills.map((b) => b.key),
    lines: bills.map((b) => ({
      accountNumber: b.accountNumber,
      period: b.period,
      kwh: b.kwh,
      amountFen: b.amountFen,
      lateFeeFen: b.lateFeeFen,
      paymentId: b.paymentId ? new Types.ObjectId(b.paymentId) : null,
    })),
    title: {
      name: title.name,
      taxId: title.taxId,
      registeredAddress: input.kind === 'special' ? title.registeredAddress : null,
      registeredPhone: input.kind === 'special' ? title.registeredPhone : null,
      bankName: input.kind === 'special' ? title.bankName : null,
      bankAccount: input.kind === 'special' ? title.bankAccount : null,
    },
    sellerName: cfg.INVOICE_SELLER_NAME,
    sellerTaxId: cfg.INVOICE_SELLER_TAX_ID,
    kwh: bills.reduce((s, b) => s + b.kwh, 0),
    totalFen,
    netFen,
    taxFen,
    rateBp: VAT_RATE_BP,
    requestedBy: new Types.ObjectId(user.sub),
    claimedAt: now,
  });
  // The guard: one claim per bill, by unique key. A bill claimed meanwhile (or before) undoes this request's claims.
  try {
    await InvoicedBillModel.insertMany(
      bills.map((b) => ({ _id: b.key, invoiceId: inv._id, at: now })),
      { ordered: true },
    );
  } catch (err) {
    await InvoicedBillModel.deleteMany({ invoiceId: inv._id });
    await VatInvoiceModel.deleteOne({ _id: inv._id });
    if (!isDuplicateKeyError(err)) throw err;
    const taken = await InvoicedBillModel.find({ _id: { $in: bills.map((b) => b.key) } }).lean();
    const names = bills
      .filter((b) => taken.some((t) => t._id === b.key))
      .slice(0, 5)
      .map((b) => `${b.accountNumber} ${periodLabel(b.period)}`);
    throw new DomainError('CONFLICT', `以下账单已开过发票，不能重复开票：${names.join('、')}`);
  }
  const year = shanghaiYear(now);
  const invoiceNo = formatInvoiceNo(year, await nextSeq(`invoice:${year}`));
  await VatInvoiceModel.updateOne({ _id: inv._id, invoiceNo: null }, { $set: { invoiceNo, status: 'issued', issuedAt: now } });
  await recordAudit({
    actorId: user.sub,
    actorRoles: user.roles,
    action: 'invoice.vat_issue',
    targetType: 'enterprise',
    targetId: String(enterpriseId),
    ip,
    detail: { invoiceNo, kind: input.kind, bills: bills.length, totalFen },
  });
  return toView((await loadInvoice(inv._id))!);
}

/** The enterprise's VAT invoices whose bills all lie in the caller's scope (newest first). */
export async function listVatInvoices(user: AccessClaims, limit = 100): Promise<VatInvoiceView[]> {
  const { enterpriseId, accounts } = await scope(user);
  const numbers = new Set(accounts.map((a) => a.number));
  const list = await VatInvoiceModel.find({ enterpriseId }).sort({ claimedAt: -1 }).limit(limit).lean();
  return list.filter((i) => i.lines.every((l) => numbers.has(l.accountNumber!))).map(toView);
}

async function loadVisibleInvoice(user: AccessClaims, id: string): Promise<VatDoc> {
  const notFound = () => new DomainError('NOT_FOUND', '发票不存在或无权访问');
  if (!Types.ObjectId.isValid(id)) throw notFound();
  const { enterpriseId, accounts } = await scope(user);
  const inv = await loadInvoice(new Types.ObjectId(id));
  const numbers = new Set(accounts.map((a) => a.number));
  if (!inv || !inv.enterpriseId.equals(enterpriseId) || !inv.lines.every((l) => numbers.has(l.accountNumber!))) throw notFound();
  return inv;
}

export const vatInvoicePath = (id: string) => `/files/statements/invoice-${id}.pdf`;
export const parseVatInvoicePath = (p: string) => /^\/files\/statements\/invoice-([0-9a-f]{24})\.pdf$/.exec(p)?.[1] ?? null;

export async function vatInvoiceLink(services: { cfg: Config; keys: KeyRing }, user: AccessClaims, id: string) {
  const inv = await loadVisibleInvoice(user, id);
  if (!inv.invoiceNo) throw new DomainError('CONFLICT', '发票正在开具中，请稍后刷新');
  try {
    loadCjkFont(services.cfg.RECEIPT_FONT_PATH, services.cfg.RECEIPT_FONT_FAMILY);
  } catch (err) {
    if (err instanceof DocumentError) throw new DomainError('SERVICE_UNAVAILABLE', err.message);
    throw err;
  }
  const path = vatInvoicePath(id);
  return signFileLink(services, path, { doc: path }, { subject: user.sub, ttlSec: 300 });
}

/** Renders an issued VAT invoice (the caller of this has checked the user; see statement.service). */
export async function renderVatInvoice(cfg: Config, user: AccessClaims, id: string) {
  const inv = await loadVisibleInvoice(user, id);
  if (!inv.invoiceNo || !inv.issuedAt) throw new DocumentError(404, '发票尚未开具');
  const font = loadCjkFont(cfg.RECEIPT_FONT_PATH, cfg.RECEIPT_FONT_FAMILY);
  const special = inv.kind === 'special';
  const accountsN = new Set(inv.lines.map((l) => l.accountNumber)).size;
  const periods = [...new Set(inv.lines.map((l) => l.period!))].sort();
  const pdf = await renderInvoice(font, {
    invoiceNo: inv.invoiceNo,
    issuedAt: inv.issuedAt,
    buyer: { type: 'company', name: inv.title.name, taxId: inv.title.taxId },
    seller: { name: inv.sellerName, taxId: inv.sellerTaxId },
    itemName: '*供电*电费',
    kwh: inv.kwh,
    netFen: inv.netFen,
    taxFen: inv.taxFen,
    totalFen: inv.totalFen,
    rateBp: inv.rateBp,
    remarks: [
      `共 ${inv.lines.length} 笔电费账单，${accountsN} 个户号；账期：${periods.map(periodLabel).join('、')}`,
      ...inv.lines.slice(0, 8).map((l) => `户号 ${l.accountNumber} 账期 ${l.period}`),
      ...(inv.lines.length > 8 ? [`等 ${inv.lines.length} 笔（明细见电费账单导出）`] : []),
    ],
    refunded: false,
    kind: special ? 'special' : 'normal',
    buyerExtra: special
      ? {
          addressPhone: `${inv.title.registeredAddress ?? ''} ${inv.title.registeredPhone ?? ''}`.trim(),
          bankAccount: `${inv.title.bankName ?? ''} ${inv.title.bankAccount ?? ''}`.trim(),
        }
      : null,
  });
  return { pdf, fileName: `${special ? '增值税专用发票' : '增值税普通发票'}-${inv.invoiceNo}.pdf`, asciiName: `invoice-${inv.invoiceNo}.pdf` };
}
