import { Schema, model, Types } from 'mongoose';
import { BillModel } from '../billing/billing.model';
import { VAT_INVOICE_KINDS } from '../billing/documents.rules';

/**
 * An enterprise's VAT invoice (普票 or 专票) for paid bills of its accounts. Numbered from the same yearly
 * counter as the e-invoices of payments (billing InvoiceModel), so invoice numbers never repeat.
 */
const vatInvoiceSchema = new Schema(
  {
    enterpriseId: { type: Types.ObjectId, required: true },
    kind: { type: String, enum: VAT_INVOICE_KINDS, required: true },
    /** null while being claimed and numbered. */
    invoiceNo: { type: String, default: null },
    status: { type: String, enum: ['claiming', 'issued'], required: true },
    /** `<accountId>:<period>` of every bill it covers (each also claimed in invoiced_bills). */
    billKeys: { type: [String], required: true },
    lines: {
      type: [
        new Schema(
          {
            accountNumber: String,
            period: String,
            kwh: Number,
            amountFen: Number,
            lateFeeFen: Number,
            paymentId: { type: Types.ObjectId, default: null },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    title: {
      type: new Schema(
        {
          name: { type: String, required: true },
          taxId: { type: String, required: true },
          registeredAddress: { type: String, default: null },
          registeredPhone: { type: String, default: null },
          bankName: { type: String, default: null },
          bankAccount: { type: String, default: null },
        },
        { _id: false },
      ),
      required: true,
    },
    sellerName: { type: String, required: true },
    sellerTaxId: { type: String, required: true },
    kwh: { type: Number, required: true },
    totalFen: { type: Number, required: true },
    netFen: { type: Number, required: true },
    taxFen: { type: Number, required: true },
    rateBp: { type: Number, required: true },
    requestedBy: { type: Types.ObjectId, required: true },
    claimedAt: { type: Date, required: true },
    issuedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
vatInvoiceSchema.index({ enterpriseId: 1, claimedAt: -1 });
vatInvoiceSchema.index({ invoiceNo: 1 }, { unique: true, partialFilterExpression: { invoiceNo: { $type: 'string' } } });
export const VatInvoiceModel = model('VatInvoice', vatInvoiceSchema, 'vat_invoices');

/** One document per invoiced bill (`_id` = `<accountId>:<period>`): the unique key is the guard against a second invoice. */
const invoicedBillSchema = new Schema(
  { _id: String, invoiceId: { type: Types.ObjectId, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);
export const InvoicedBillModel = model('InvoicedBill', invoicedBillSchema, 'invoiced_bills');

export const billKeyOf = (accountId: string | Types.ObjectId, period: string) => `${String(accountId)}:${period}`;

/**
 * Whether any bill a payment settled is already on an enterprise VAT invoice (billing.requestInvoice then
 * refuses the payment's e-invoice: a bill is invoiced once). Single-bill payments name their bill;
 * 合并缴费 list theirs in `lines`.
 */
export async function paymentBillsInvoiced(p: {
  accountId: Types.ObjectId;
  billId?: Types.ObjectId | null;
  lines?: { accountId: Types.ObjectId; period: string }[] | null;
}): Promise<boolean> {
  const keys = (p.lines ?? []).map((l) => billKeyOf(l.accountId, l.period));
  if (p.billId) {
    const b = await BillModel.findById(p.billId, { accountId: 1, period: 1 }).lean();
    if (b) keys.push(billKeyOf(b.accountId, b.period));
  }
  return keys.length > 0 && (await InvoicedBillModel.exists({ _id: { $in: keys } })) != null;
}
