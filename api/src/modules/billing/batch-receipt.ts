/** The 合并缴费 receipt's data (payment lines, sites, the enterprise's name) for documents.service. */
import type { Config } from '../../config';
import { AccountModel, EnterpriseModel } from '../accounts/account.model';
import { siteNameOf } from '../portfolio/portfolio.rules';
import { PaymentModel } from './billing.model';
import { loadCjkFont, renderBatchReceipt } from './documents.pdf';

const findPayment = (id: unknown) => PaymentModel.findById(id).lean();
type PaymentDoc = NonNullable<Awaited<ReturnType<typeof findPayment>>>;

export async function batchReceiptDocument(cfg: Config, p: PaymentDoc, now = new Date()) {
  const lines = p.lines ?? [];
  const accounts = await AccountModel.find({ _id: { $in: [...new Set(lines.map((l) => String(l.accountId)))] } }, { siteName: 1, address: 1 }).lean();
  const site = new Map(accounts.map((a) => [String(a._id), siteNameOf(a)]));
  const ent = p.enterpriseId ? await EnterpriseModel.findById(p.enterpriseId, { name: 1 }).lean() : null;
  const refundFen = p.refund?.amountFen ?? 0;
  const pdf = await renderBatchReceipt(loadCjkFont(cfg.RECEIPT_FONT_PATH, cfg.RECEIPT_FONT_FAMILY), {
    sellerName: cfg.INVOICE_SELLER_NAME,
    payerName: ent?.name ?? '—',
    outTradeNo: p.outTradeNo,
    transactionId: p.transactionId ?? '',
    paidAt: p.paidAt ?? now,
    lines: lines.map((l) => ({
      accountNumber: l.accountNumber,
      siteName: site.get(String(l.accountId)) ?? '',
      period: l.period,
      billFen: l.billFen,
      lateFeeFen: l.lateFeeFen,
      refunded: l.outcome === 'refunded',
    })),
    totalFen: p.amountFen,
    refund: p.refund && refundFen > 0 ? { amountFen: refundFen, at: p.refund.doneAt ?? null, done: p.refund.status !== 'pending' } : null,
    generatedAt: now,
  });
  return { pdf, fileName: `电费缴费凭证-合并缴费-${p.outTradeNo}.pdf`, asciiName: `receipt-${p.outTradeNo}.pdf` };
}
