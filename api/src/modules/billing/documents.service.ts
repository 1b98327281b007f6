/**
 * Receipts (电费缴费凭证) and e-invoices (电子发票) of payments.
 *
 * Access: billing.documentLink checks the payment with the same object-level rule as paymentStatus and
 * hands out a 5-minute signed path; GET /files/billing/<paymentId>/<kind>.pdf?token=… serves the PDF to
 * whoever holds that token (so a browser download, the web proxy and wx.downloadFile need no cookie or
 * header), after checking its audience, expiry, payment and kind.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Types } from 'mongoose';
import type { Config } from '../../config';
import { isDuplicateKeyError } from '../../db/connect';
import { readFileToken, refuseFile, signFileLink } from '../../http/file-links';
import type { AppServices, RawRoute } from '../../http/types';
import { maskAddress, maskName } from '../../lib/mask';
import { AccountModel } from '../accounts/account.model';
import { recordAudit } from '../audit/audit.service';
import type { AccessClaims, KeyRing } from '../auth/tokens';
import { UserModel } from '../auth/user.model';
import { holderNameFor } from '../enterprise/enterprise.rules';
import { nextSeq } from '../events/counter.model';
import { BillModel, InvoiceModel, PaymentModel } from './billing.model';
import { DocumentError, loadCjkFont, renderInvoice, renderReceipt } from './documents.pdf';
import {
  attachmentDisposition,
  documentPath,
  formatInvoiceNo,
  parseDocumentPath,
  shanghaiYear,
  splitVat,
  VAT_RATE_BP,
  type DocumentKind,
  type InvoiceTitle,
} from './documents.rules';
import type { PaymentView } from './payment.service';
import { loadAccessiblePayment } from './payment.access';
import { DomainError } from '../../lib/errors';
import { statementRawRoutes } from '../statements/statements.route';
import { paymentBillsInvoiced } from '../statements/vat-invoice.model';
import { batchReceiptDocument } from './batch-receipt';

export const FILE_TOKEN_TTL_SEC = 300;
/** A claim whose issuer died before numbering it is taken over after this long. */
const STALE_CLAIM_MS = 60_000;

type InvoiceDoc = NonNullable<Awaited<ReturnType<typeof findInvoice>>>;
const findInvoice = (paymentId: Types.ObjectId) => InvoiceModel.findOne({ paymentId }).lean();

export interface InvoiceView {
  paymentId: string;
  invoiceNo: string;
  issuedAt: string;
  title: { type: 'personal' | 'company'; name: string; taxId: string | null };
  totalFen: number;
  netFen: number;
  taxFen: number;
  rateBp: number;
}

function toInvoiceView(i: InvoiceDoc): InvoiceView {
  return {
    paymentId: String(i.paymentId),
    invoiceNo: i.invoiceNo!,
    issuedAt: i.issuedAt!.toISOString(),
    title: { type: i.title.type as 'personal' | 'company', name: i.title.name, taxId: i.title.taxId ?? null },
    totalFen: i.totalFen,
    netFen: i.netFen,
    taxFen: i.taxFen,
    rateBp: i.rateBp,
  };
}

const isSettled = (status: string) => status === 'paid' || status === 'refunded';

// ---------------------------------------------------------------------------------------------
// E-invoice

/** Numbers a claimed invoice (only the claim's holder calls this, so each number is used once). */
async function numberInvoice(paymentId: Types.ObjectId, now: Date): Promise<void> {
  const year = shanghaiYear(now);
  const no = formatInvoiceNo(year, await nextSeq(`invoice:${year}`));
  await InvoiceModel.updateOne({ paymentId, invoiceNo: null }, { $set: { invoiceNo: no, issuedAt: now } });
}

/** A concurrent request holds the claim: wait for its number (or take over a claim left behind). */
async function awaitNumbered(paymentId: Types.ObjectId): Promise<InvoiceDoc> {
  for (let i = 0; i < 100; i++) {
    const inv = await findInvoice(paymentId);
    if (inv?.invoiceNo) return inv;
    const now = new Date();
    const stale = await InvoiceModel.findOneAndUpdate(
      { paymentId, invoiceNo: null, claimedAt: { $lt: new Date(now.getTime() - STALE_CLAIM_MS) } },
      { $set: { claimedAt: now } },
    ).lean();
    if (stale) await numberInvoice(paymentId, now);
    else await new Promise((r) => setTimeout(r, 50));
  }
  throw new DomainError('SERVICE_UNAVAILABLE', '发票正在开具中，请稍后刷新查看');
}

/**
 * Issues the e-invoice of a paid payment, once: a repeated (or concurrent) request returns the same
 * invoice, whatever title it carries. Refunded payments get no new invoice. Audited.
 */
export async function requestInvoice(
  cfg: Config,
  user: AccessClaims,
  paymentId: string,
  title: InvoiceTitle,
  ip: string | null,
): Promise<InvoiceView> {
  const p = await loadAccessiblePayment(user, paymentId, 'documents');
  const existing = await findInvoice(p._id);
  if (existing) return toInvoiceView(existing.invoiceNo ? existing : await awaitNumbered(p._id));
  if (p.status === 'refunded' || p.refund) throw new DomainError('CONFLICT', '该笔缴费已退款，不能开具发票');
  if (p.status !== 'paid') throw new DomainError('CONFLICT', '该笔缴费尚未支付成功，不能开具发票');
  if (await paymentBillsInvoiced(p)) throw new DomainError('CONFLICT', '该笔缴费的账单已开具增值税发票，不能重复开票');

  const now = new Date();
  const { netFen, taxFen } = splitVat(p.amountFen, VAT_RATE_BP);
  try {
    await InvoiceModel.create({
      paymentId: p._id,
      accountId: p.accountId,
      accountNumber: p.accountNumber,
      outTradeNo: p.outTradeNo,
      title: { type: title.type, name: title.name, taxId: title.type === 'company' ? title.taxId : null },
      sellerName: cfg.INVOICE_SELLER_NAME,
      sellerTaxId: cfg.INVOICE_SELLER_TAX_ID,
      totalFen: p.amountFen,
      netFen,
      taxFen,
      rateBp: VAT_RATE_BP,
      issuedBy: user.sub,
      claimedAt: now,
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    return toInvoiceView(await awaitNumbered(p._id));
  }
  await numberInvoice(p._id, now);
  const inv = (await findInvoice(p._id))!;
  await recordAudit({
    actorId: user.sub,
    actorRoles: user.roles,
    action: 'invoice.issue',
    targetType: 'payment',
    targetId: String(p._id),
    ip,
    detail: { invoiceNo: inv.invoiceNo, outTradeNo: p.outTradeNo, titleType: title.type, totalFen: p.amountFen },
  });
  return toInvoiceView(inv);
}

/** The payment history with each payment's invoice number (one extra query for the page). */
export async function withInvoiceNos<T extends PaymentView>(list: T[]): Promise<(T & { invoiceNo: string | null })[]> {
  const ids = list.filter((p) => isSettled(p.status)).map((p) => new Types.ObjectId(p.id));
  const invoices = ids.length
    ? await InvoiceModel.find({ paymentId: { $in: ids }, invoiceNo: { $ne: null } }, { paymentId: 1, invoiceNo: 1 }).lean()
    : [];
  const byPayment = new Map(invoices.map((i) => [String(i.paymentId), i.invoiceNo]));
  return list.map((p) => ({ ...p, invoiceNo: byPayment.get(p.id) ?? null }));
}

// ---------------------------------------------------------------------------------------------
// Download links

function fontOf(cfg: Config) {
  return loadCjkFont(cfg.RECEIPT_FONT_PATH, cfg.RECEIPT_FONT_FAMILY);
}

/** A 5-minute signed path to the receipt or invoice PDF of a payment the caller may see. */
export async function documentLink(
  services: { cfg: Config; keys: KeyRing },
  user: AccessClaims,
  paymentId: string,
  kind: DocumentKind,
  opts: { nowSec?: number } = {},
) {
  const p = await loadAccessiblePayment(user, paymentId, 'documents');
  if (!isSettled(p.status)) throw new DomainError('CONFLICT', '该笔缴费尚未支付成功，暂无缴费凭证');
  if (kind === 'invoice') {
    const inv = await findInvoice(p._id);
    if (!inv?.invoiceNo) throw new DomainError('NOT_FOUND', '该笔缴费尚未开具发票，请先申请开具');
  }
  try {
    fontOf(services.cfg); // refuse here, with the message in the app, rather than on a blank download page
  } catch (err) {
    if (err instanceof DocumentError) throw new DomainError('SERVICE_UNAVAILABLE', err.message);
    throw err;
  }
  return signFileLink(
    services,
    documentPath(String(p._id), kind),
    { pid: String(p._id), kind },
    { subject: user.sub, ttlSec: FILE_TOKEN_TTL_SEC, nowSec: opts.nowSec },
  );
}

// ---------------------------------------------------------------------------------------------
// Rendering

export async function renderDocument(
  cfg: Config,
  paymentId: string,
  kind: DocumentKind,
  now = new Date(),
): Promise<{ pdf: Buffer; fileName: string; asciiName: string }> {
  const p = await PaymentModel.findById(paymentId).lean();
  if (!p) throw new DocumentError(404, '支付记录不存在');
  if (!isSettled(p.status) || !p.paidAt || !p.transactionId) throw new DocumentError(409, '该笔缴费尚未支付成功，暂无缴费凭证');
  const bill = p.billId ? await BillModel.findById(p.billId, { period: 1, kwh: 1 }).lean() : null;
  const refunded = p.status === 'refunded';
  if (kind === 'receipt' && p.purpose === 'batch') return batchReceiptDocument(cfg, p, now);
  if (kind === 'receipt') {
    const font = fontOf(cfg);
    const [account, payer] = await Promise.all([
      AccountModel.findById(p.accountId, { holderName: 1, address: 1, enterpriseId: 1 }).lean(),
      UserModel.findById(p.userId, { enterpriseId: 1, roles: 1 }).lean(),
    ]);
    const pdf = await renderReceipt(font, {
      sellerName: cfg.INVOICE_SELLER_NAME,
      outTradeNo: p.outTradeNo,
      transactionId: p.transactionId,
      paidAt: p.paidAt,
      channel: p.channel as 'jsapi' | 'native',
      accountNumber: p.accountNumber,
      // Links go only to the payer: an enterprise's own user reads its company's name in full, others masked.
      holderNameMasked: account
        ? holderNameFor(payer ? { ent: payer.enterpriseId ? String(payer.enterpriseId) : null, roles: payer.roles } : null, account, maskName)
        : '',
      addressMasked: maskAddress(account?.address),
      onBehalf: p.onBehalf ?? false,
      lines:
        p.purpose === 'bill'
          ? [{ label: '电费', period: bill?.period ?? null, kwh: bill?.kwh ?? null, amountFen: p.billAmountFen, lateFeeFen: p.lateFeeFen ?? 0 }]
          : [{ label: '智能交费充值', period: null, kwh: null, amountFen: p.amountFen, lateFeeFen: 0 }],
      totalFen: p.amountFen,
      refund: refunded && p.refund ? { amountFen: p.refund.amountFen ?? p.amountFen, at: p.refund.doneAt ?? null } : null,
      generatedAt: now,
    });
    return { pdf, fileName: `电费缴费凭证-${p.outTradeNo}.pdf`, asciiName: `receipt-${p.outTradeNo}.pdf` };
  }
  const inv = await findInvoice(p._id);
  if (!inv?.invoiceNo || !inv.issuedAt) throw new DocumentError(404, '该笔缴费尚未开具发票');
  const font = fontOf(cfg);
  const pdf = await renderInvoice(font, {
    invoiceNo: inv.invoiceNo,
    issuedAt: inv.issuedAt,
    buyer:
      inv.title.type === 'company'
        ? { type: 'company', name: inv.title.name, taxId: inv.title.taxId ?? '' }
        : { type: 'personal', name: inv.title.name },
    seller: { name: inv.sellerName, taxId: inv.sellerTaxId },
    itemName: p.purpose === 'recharge' ? '*供电*预付电费' : '*供电*电费',
    kwh: p.purpose === 'bill' ? (bill?.kwh ?? null) : null,
    netFen: inv.netFen,
    taxFen: inv.taxFen,
    totalFen: inv.totalFen,
    rateBp: inv.rateBp,
    remarks: [
      p.purpose === 'batch' ? `合并缴费：${p.lines?.length ?? 0}张账单` : `户号：${p.accountNumber}${bill ? `；账期：${bill.period}` : ''}`,
      `商户订单号：${p.outTradeNo}`,
      `微信支付交易单号：${p.transactionId}`,
    ],
    refunded,
  });
  return { pdf, fileName: `电子发票-${inv.invoiceNo}.pdf`, asciiName: `invoice-${inv.invoiceNo}.pdf` };
}

// ---------------------------------------------------------------------------------------------
// GET /files/billing/<paymentId>/<kind>.pdf?token=…

export async function serveDocument(services: Pick<AppServices, 'cfg' | 'keys' | 'log'>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = parseDocumentPath(new URL(req.url ?? '/', 'http://localhost').pathname);
  if (!target) return refuseFile(res, 404, '文件不存在');
  if (!(await readFileToken(services, req, res, (c) => c.pid === target.paymentId && c.kind === target.kind))) return;
  let doc: Awaited<ReturnType<typeof renderDocument>>;
  try {
    doc = await renderDocument(services.cfg, target.paymentId, target.kind);
  } catch (err) {
    if (err instanceof DocumentError) {
      if (err.status >= 500)
        services.log.error({ font: services.cfg.RECEIPT_FONT_PATH ?? null }, 'document rendering unavailable: no usable CJK font');
      return refuseFile(res, err.status, err.message);
    }
    throw err;
  }
  res.writeHead(200, {
    'content-type': 'application/pdf',
    'content-length': doc.pdf.length,
    'content-disposition': attachmentDisposition(doc.fileName, doc.asciiName),
    // Personal data: never kept by shared caches; the signed URL is short-lived anyway.
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(doc.pdf);
}

/** Raw routes of the documents, for createApiServer (prefix route, see http/server.ts). */
export function documentRawRoutes(services: Pick<AppServices, 'cfg' | 'keys' | 'log'>): Record<string, RawRoute> {
  // The enterprise statements and VAT invoices (statements module) download under their own prefix.
  return { 'GET /files/billing/*': (req, res) => serveDocument(services, req, res), ...statementRawRoutes(services) };
}
