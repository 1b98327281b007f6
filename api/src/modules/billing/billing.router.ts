import { z } from 'zod';
import { authedProcedure, router } from '../../trpc/trpc';
import { accountNumberSchema, objectIdSchema } from '../../lib/schemas';
import { billDetail, listBills, payForLookup, prepaidStatus, setThresholds, usageSeries } from './billing.service';
import { createPayment, paymentHistory, paymentStatus } from './payment.service';
import { searchPayments, staffRefund } from './payment.staff';
import { documentLink, requestInvoice, withInvoiceNos } from './documents.service';
import { DOCUMENT_KINDS, invoiceTitleSchema } from './documents.rules';
import { batchPaymentView, createBatchPayment, listBatchBills, recentBatchPayments } from './batch-payment.service';
import { MAX_BATCH_BILLS } from './batch-payment.rules';

const accountInput = z.object({ accountId: objectIdSchema });
const channelSchema = z.enum(['jsapi', 'native'], { error: '请选择支付方式' });

export const billingRouter = router({
  /** 合并缴费: unpaid bills of the enterprise's accounts within the caller's scope, each with its late fee to date. */
  batchBills: authedProcedure
    .input(
      z.object({
        search: z.string().trim().max(40, '搜索内容过长').optional(),
        supplyState: z.enum(['normal', 'arrears', 'disconnected'], { error: '供电状态不正确' }).optional(),
        usageCategory: z.enum(['residential', 'commercial', 'industrial'], { error: '用电类别不正确' }).optional(),
        accountIds: z.array(objectIdSchema).max(500, '户号过多').optional(),
        limit: z.number().int().min(1).max(1000).default(500),
      }),
    )
    .query(({ ctx, input }) => listBatchBills(ctx.user, input)),

  /** 合并缴费: one Native order for up to 100 bills (bill + late fee to the day each); poll batchPayment. */
  createBatchPayment: authedProcedure
    .input(
      z.object({
        billIds: z
          .array(objectIdSchema, { error: '请选择账单' })
          .min(1, '请至少选择一张账单')
          .max(MAX_BATCH_BILLS, `一次最多合并缴纳${MAX_BATCH_BILLS}张账单`),
      }),
    )
    .mutation(({ ctx, input }) => createBatchPayment(ctx.cfg, ctx.user, input, { ip: ctx.ip, localPort: ctx.req.socket.localPort })),

  /** A batch payment with a line per bill: settled, or refunded because it was paid elsewhere meanwhile. */
  batchPayment: authedProcedure.input(z.object({ paymentId: objectIdSchema })).query(({ ctx, input }) => batchPaymentView(ctx.user, input.paymentId)),

  /** The enterprise's recent batch payments (within the caller's scope). */
  batchPayments: authedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(50).default(20) }))
    .query(({ ctx, input }) => recentBatchPayments(ctx.user, input.limit)),

  /** Bills of an account the caller may see (newest first). */
  bills: authedProcedure
    .input(accountInput.extend({ status: z.enum(['unpaid', 'all']).default('all'), limit: z.number().int().min(1).max(60).default(24) }))
    .query(({ ctx, input }) => listBills(ctx.user, input.accountId, input)),

  bill: authedProcedure
    .input(z.object({ billId: z.string().regex(/^[0-9a-f]{24}(:\d{4}-\d{2})?$/i, '账单编号格式不正确') }))
    .query(({ ctx, input }) => billDetail(ctx.user, input.billId)),

  /** 24 months of kWh and charges for the usage chart (oldest first). */
  usage: authedProcedure
    .input(accountInput.extend({ months: z.number().int().min(1).max(24).default(24) }))
    .query(({ ctx, input }) => usageSeries(ctx.user, input.accountId, input.months)),

  prepaid: authedProcedure.input(accountInput).query(({ ctx, input }) => prepaidStatus(ctx.user, input.accountId)),

  setAlertThresholds: authedProcedure
    .input(accountInput.extend({ thresholdsYuan: z.array(z.number().int(), { error: '请选择两个提醒金额' }).length(2, '请选择两个提醒金额') }))
    .mutation(({ ctx, input }) => setThresholds(ctx.user, input.accountId, input.thresholdsYuan)),

  /** 代缴: what an account owes, by its number, with the holder name masked for confirmation. */
  payFor: authedProcedure.input(z.object({ number: accountNumberSchema })).query(({ ctx, input }) => payForLookup(ctx.user, ctx.ip, input.number)),

  /**
   * Starts a WeChat Pay payment: for a bound/accessible account (accountId) or 代缴 (number + the masked
   * holder name shown by payFor). Postpaid: a bill (default the oldest unpaid); prepaid: a recharge amount.
   * jsapi → params for wx.requestPayment; native → code_url for a QR code. Nothing is credited until
   * WeChat's notification (or the reconciliation job's query) confirms it; poll paymentStatus.
   */
  createPayment: authedProcedure
    .input(
      z
        .object({
          accountId: objectIdSchema.optional(),
          number: accountNumberSchema.optional(),
          holderNameMasked: z.string().trim().min(1).max(60).optional(),
          billId: objectIdSchema.optional(),
          amountFen: z.number().int('金额须为整数（分）').min(100, '最少充值1元').max(5_000_000, '单笔最多5万元').optional(),
          channel: channelSchema,
        })
        .refine((v) => v.accountId || (v.number && v.holderNameMasked), { message: '请选择户号，或输入户号并确认户名' }),
    )
    .mutation(({ ctx, input }) => createPayment(ctx.cfg, ctx.user, input, { ip: ctx.ip, localPort: ctx.req.socket.localPort })),

  paymentStatus: authedProcedure.input(z.object({ paymentId: objectIdSchema })).query(({ ctx, input }) => paymentStatus(ctx.user, input.paymentId)),

  payments: authedProcedure
    .input(z.object({ accountId: objectIdSchema.optional(), limit: z.number().int().min(1).max(200).default(50) }))
    .query(async ({ ctx, input }) => withInvoiceNos(await paymentHistory(ctx.user, input))),

  /**
   * A 5-minute signed download path for the receipt (电费缴费凭证, paid or refunded payments) or the
   * e-invoice (once issued) of a payment the caller may see: GET it (no cookie needed) for the PDF.
   */
  documentLink: authedProcedure
    .input(z.object({ paymentId: objectIdSchema, kind: z.enum(DOCUMENT_KINDS, { error: '请选择下载收据或发票' }) }))
    .mutation(({ ctx, input }) => documentLink(ctx, ctx.user, input.paymentId, input.kind)),

  /** Issues the 电子发票 of a paid payment once (a repeated request returns the same invoice). */
  requestInvoice: authedProcedure
    .input(z.object({ paymentId: objectIdSchema, title: invoiceTitleSchema }))
    .mutation(({ ctx, input }) => requestInvoice(ctx.cfg, ctx.user, input.paymentId, input.title, ctx.ip)),

  /** Staff: payments by account or order number, or the flagged ones (double payments refunded automatically). */
  staffPayments: authedProcedure
    .input(
      z.object({
        accountNumber: accountNumberSchema.optional(),
        outTradeNo: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9_-]{6,32}$/, '商户订单号格式不正确')
          .optional(),
        flagged: z.boolean().optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ input }) => searchPayments(input)),

  /** Staff refund of an overpayment, with a reason (audited). */
  refund: authedProcedure
    .input(
      z.object({
        paymentId: objectIdSchema,
        amountFen: z.number().int().min(1).optional(),
        reason: z.string({ error: '请填写退款原因' }).trim().min(4, '请填写退款原因（至少4个字）').max(200),
      }),
    )
    .mutation(({ ctx, input }) => staffRefund(ctx.cfg, ctx.user, input.paymentId, input.amountFen, input.reason, ctx.ip)),
});
