import { Schema, model, Types } from 'mongoose';

const bandsSchema = new Schema({ peak: Number, flat: Number, valley: Number }, { _id: false });

/**
 * Monthly meter readings (抄表) of one account, in one document per account (24 months of 20,000
 * accounts seed in seconds this way). Integer kWh; per-band registers for time-of-use meters.
 * `amountFen` is the month's charge (the bill for postpaid, the sum of daily deductions for prepaid).
 * New months are appended with a guarded $push (period not yet present).
 */
const monthSchema = new Schema(
  {
    period: String,
    kwh: Number,
    bands: { type: bandsSchema, default: null },
    startIndex: Number,
    endIndex: Number,
    amountFen: Number,
    ytdKwhBefore: Number,
    /** The tariffs settings version the month was charged under (null: before versions). */
    tariffVersion: { type: Number, default: null },
    /** Postpaid history imported with the seed (bills before live billing): when it was paid. */
    paidAt: { type: Date, default: null },
    dueDay: { type: String, default: null },
  },
  { _id: false },
);
const usageHistorySchema = new Schema({ _id: Types.ObjectId, months: { type: [monthSchema], default: [] } }, { versionKey: false });
export const UsageHistoryModel = model('UsageHistory', usageHistorySchema, 'usage_history');

export const BILL_STATUSES = ['unpaid', 'paid'] as const;

/**
 * A postpaid monthly bill issued by the platform (older, settled history lives in usage_history and is
 * listed from there). Late fees are computed when read (from the due day), frozen when paid. */
const billSchema = new Schema(
  {
    accountId: { type: Types.ObjectId, required: true },
    accountNumber: { type: String, required: true },
    period: { type: String, required: true },
    tariffCode: { type: String, required: true },
    /** The tariffs settings version the bill was computed under (its lines are recomputed from it). */
    tariffVersion: { type: Number, default: null },
    usageCategory: { type: String, required: true },
    kwh: { type: Number, required: true },
    /** What the charge lines are recomputed from (lines are not stored: bills stay small). */
    ytdKwhBefore: { type: Number, default: 0 },
    bands: { type: bandsSchema, default: null },
    totalMilliFen: { type: Number, required: true },
    amountFen: { type: Number, required: true },
    issuedAt: { type: Date, required: true },
    /** Shanghai calendar day (YYYY-MM-DD) the bill falls due; late fees start the day after. */
    dueDay: { type: String, required: true },
    status: { type: String, enum: BILL_STATUSES, required: true },
    paidAt: { type: Date, default: null },
    paidByPaymentId: { type: Types.ObjectId, default: null },
    lateFeePaidFen: { type: Number, default: 0 },
    /** The one open payment attempt for this bill (a new attempt closes it first). */
    openPaymentId: { type: Types.ObjectId, default: null },
    /** Held while one payment attempt runs (see createPayment). */
    payLockUntil: { type: Date, default: null },
  },
  { versionKey: false },
);
billSchema.index({ accountId: 1, period: 1 }, { unique: true });
billSchema.index({ accountId: 1, status: 1 });
export const BillModel = model('Bill', billSchema, 'bills');

export const PAYMENT_STATUSES = ['created', 'paying', 'paid', 'closed', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** One WeChat Pay order. created → paying → paid / closed / refunded; credited exactly once. */
const paymentSchema = new Schema(
  {
    outTradeNo: { type: String, required: true },
    /** batch: 合并缴费, one order for several bills (lines), see batch-payment.service.ts. */
    purpose: { type: String, enum: ['bill', 'recharge', 'batch'], required: true },
    accountId: { type: Types.ObjectId, required: true },
    accountNumber: { type: String, required: true },
    billId: { type: Types.ObjectId, default: null },
    billAmountFen: { type: Number, default: 0 },
    lateFeeFen: { type: Number, default: 0 },
    amountFen: { type: Number, required: true },
    channel: { type: String, enum: ['jsapi', 'native'], required: true },
    appid: { type: String, required: true },
    mchid: { type: String, required: true },
    userId: { type: Types.ObjectId, default: null },
    /** 代缴: paid by someone not bound to the account (after confirming the masked holder name). */
    onBehalf: { type: Boolean, default: false },
    payerOpenid: { type: String, default: null },
    status: { type: String, enum: PAYMENT_STATUSES, required: true },
    prepayId: { type: String, default: null },
    codeUrl: { type: String, default: null },
    expiresAt: { type: Date, required: true },
    transactionId: { type: String, default: null },
    paidAt: { type: Date, default: null },
    settledBy: { type: String, enum: ['notify', 'query', null], default: null },
    creditedAt: { type: Date, default: null },
    creditResult: { type: String, default: null },
    closedAt: { type: Date, default: null },
    closeReason: { type: String, default: null },
    lastQueriedAt: { type: Date, default: null },
    refund: {
      type: new Schema(
        {
          outRefundNo: String,
          amountFen: Number,
          reason: String,
          by: String,
          requestedAt: Date,
          refundId: { type: String, default: null },
          status: { type: String, default: 'pending' },
          doneAt: { type: Date, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    /** 合并缴费: the enterprise and the bills the order covers, each with its late fee fixed at order time. */
    enterpriseId: { type: Types.ObjectId, default: null },
    lines: {
      type: [
        new Schema(
          {
            billId: { type: Types.ObjectId, required: true },
            accountId: { type: Types.ObjectId, required: true },
            accountNumber: { type: String, required: true },
            period: { type: String, required: true },
            billFen: { type: Number, required: true },
            lateFeeFen: { type: Number, required: true },
            /** null until settled: 'settled' (this payment paid the bill) or 'refunded' (paid elsewhere meanwhile, refunded). */
            outcome: { type: String, enum: ['settled', 'refunded', null], default: null },
          },
          { _id: false },
        ),
      ],
      default: undefined,
    },
    /** Staff attention: double payment, amount mismatch… */
    flags: { type: [new Schema({ kind: String, note: String, at: Date }, { _id: false })], default: [] },
  },
  { timestamps: true, versionKey: false },
);
paymentSchema.index({ outTradeNo: 1 }, { unique: true });
paymentSchema.index({ status: 1, createdAt: 1 });
paymentSchema.index({ accountId: 1, createdAt: -1 });
paymentSchema.index({ userId: 1, createdAt: -1 });
paymentSchema.index({ enterpriseId: 1, createdAt: -1 }, { partialFilterExpression: { purpose: 'batch' } });
export const PaymentModel = model('Payment', paymentSchema, 'payments');

/** One document per WeChat transaction id: a second settlement with the same id cannot happen. */
const paymentTxnSchema = new Schema(
  { _id: String, paymentId: { type: Types.ObjectId, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);
export const PaymentTxnModel = model('PaymentTxn', paymentTxnSchema, 'payment_txns');

/** Smart-prepaid settings and counters per account (the balance itself lives on the account). */
const prepaidStateSchema = new Schema(
  {
    _id: Types.ObjectId, // the account id
    thresholdsFen: { type: [Number], default: [3000, 1000] },
    negativeSinceDay: { type: String, default: null },
    lastSettledDay: { type: String, default: null },
    tierYear: { type: Number, default: null },
    ytdKwh: { type: Number, default: 0 },
    mtdPeriod: { type: String, default: null },
    mtdMilliFen: { type: Number, default: 0 },
    recentChargesFen: { type: [Number], default: [] },
  },
  { versionKey: false },
);
export const PrepaidStateModel = model('PrepaidState', prepaidStateSchema, 'prepaid_states');

/** Daily settlement records (one per account and day). */
const prepaidDaySchema = new Schema(
  {
    accountId: { type: Types.ObjectId, required: true },
    day: { type: String, required: true },
    kwh: { type: Number, required: true },
    chargeFen: { type: Number, required: true },
    balanceAfterFen: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
prepaidDaySchema.index({ accountId: 1, day: 1 }, { unique: true });
export const PrepaidDayModel = model('PrepaidDay', prepaidDaySchema, 'prepaid_days');

/** Notices to the customer about an account (balance alerts, below zero, disconnection). Unique key. */
const billingNoticeSchema = new Schema(
  {
    key: { type: String, required: true },
    accountId: { type: Types.ObjectId, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    createdAt: { type: Date, required: true },
    deliveredAt: { type: Date, default: null },
  },
  { versionKey: false },
);
billingNoticeSchema.index({ key: 1 }, { unique: true });
billingNoticeSchema.index({ accountId: 1, createdAt: -1 });
export const BillingNoticeModel = model('BillingNotice', billingNoticeSchema, 'billing_notices');

/** Remote commands to smart meters (远程复电/停电); a meter gateway would pick these up. */
const remoteCommandSchema = new Schema(
  {
    key: { type: String, required: true },
    accountId: { type: Types.ObjectId, required: true },
    meterNumber: { type: String, required: true },
    command: { type: String, enum: ['reconnect', 'disconnect'], required: true },
    reason: { type: String, required: true },
    status: { type: String, enum: ['pending', 'sent', 'done'], default: 'pending' },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
remoteCommandSchema.index({ key: 1 }, { unique: true });
remoteCommandSchema.index({ accountId: 1, createdAt: -1 });
export const RemoteCommandModel = model('RemoteCommand', remoteCommandSchema, 'remote_commands');

/** A reconnection (复电) order owed after arrears were cleared; orderId is fixed before creation (idempotent). */
const reconnectRequestSchema = new Schema(
  {
    _id: String, // 'pay:<paymentId>'
    accountId: { type: Types.ObjectId, required: true },
    orderId: { type: Types.ObjectId, required: true },
    reason: { type: String, required: true },
    createdOrderAt: { type: Date, default: null },
    attempts: { type: Number, default: 0 },
    lastError: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
reconnectRequestSchema.index({ createdOrderAt: 1, createdAt: 1 });
export const ReconnectRequestModel = model('ReconnectRequest', reconnectRequestSchema, 'reconnect_requests');

/**
 * 电子发票, one per paid payment (unique paymentId: a second request finds the first). The document is
 * claimed first and numbered after, so only the claim's winner takes a number from the year's counter
 * and concurrent requests leave no gaps in the sequence.
 */
const invoiceSchema = new Schema(
  {
    paymentId: { type: Types.ObjectId, required: true },
    /** null while the winner of the claim is numbering it. */
    invoiceNo: { type: String, default: null },
    accountId: { type: Types.ObjectId, required: true },
    accountNumber: { type: String, required: true },
    outTradeNo: { type: String, required: true },
    title: {
      type: new Schema(
        {
          type: { type: String, enum: ['personal', 'company'], required: true },
          name: { type: String, required: true },
          taxId: { type: String, default: null },
        },
        { _id: false },
      ),
      required: true,
    },
    sellerName: { type: String, required: true },
    sellerTaxId: { type: String, required: true },
    totalFen: { type: Number, required: true },
    netFen: { type: Number, required: true },
    taxFen: { type: Number, required: true },
    rateBp: { type: Number, required: true },
    issuedBy: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    issuedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
invoiceSchema.index({ paymentId: 1 }, { unique: true });
invoiceSchema.index({ invoiceNo: 1 }, { unique: true, partialFilterExpression: { invoiceNo: { $type: 'string' } } });
export const InvoiceModel = model('Invoice', invoiceSchema, 'invoices');
