import { z } from 'zod';
import { objectIdSchema } from '../../lib/schemas';
import { authedProcedure, router } from '../../trpc/trpc';
import { VAT_INVOICE_KINDS } from '../billing/documents.rules';
import { buildStatement, statementLink } from './statement.service';
import { MAX_COMPARE, usageBySite } from './usage.service';
import { invoiceCandidates, invoiceTitle, listVatInvoices, MAX_INVOICE_BILLS, requestVatInvoice, vatInvoiceLink } from './vat-invoice.service';

const monthSchema = z.string({ error: '请选择月份' }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式不正确');

export const statementsRouter = router({
  /** The monthly statement of the caller's enterprise within their site scope (admin, finance). */
  statement: authedProcedure.input(z.object({ month: monthSchema })).query(({ ctx, input }) => buildStatement(ctx.user, input.month)),

  /** A 5-minute signed link to the statement PDF/CSV or the bills of a period (CSV). */
  link: authedProcedure
    .input(
      z.discriminatedUnion(
        'kind',
        [
          z.object({ kind: z.literal('statement'), month: monthSchema, format: z.enum(['pdf', 'csv'], { error: '请选择文件格式' }) }),
          z.object({ kind: z.literal('bills'), from: monthSchema, to: monthSchema }),
        ],
        { error: '请选择要下载的文件' },
      ),
    )
    .mutation(({ ctx, input }) => statementLink(ctx, ctx.user, input)),

  /** Usage by site: chosen sites over 12/24 months, year on year, time-of-use shares, flagged jumps. */
  usage: authedProcedure
    .input(
      z.object({
        months: z.union([z.literal(12), z.literal(24)], { error: '请选择12或24个月' }).default(12),
        accountIds: z.array(objectIdSchema).max(MAX_COMPARE, `一次最多比较${MAX_COMPARE}个户号`).optional(),
      }),
    )
    .query(({ ctx, input }) => usageBySite(ctx.user, input)),

  /** The enterprise's invoice title and which fields 普票/专票 still miss. */
  invoiceTitle: authedProcedure.query(({ ctx }) => invoiceTitle(ctx.user)),

  /** Paid bills of a payment month with their invoice state. */
  invoiceCandidates: authedProcedure.input(z.object({ month: monthSchema })).query(({ ctx, input }) => invoiceCandidates(ctx.user, input.month)),

  invoices: authedProcedure.query(({ ctx }) => listVatInvoices(ctx.user)),

  /** One VAT invoice (普票/专票) for selected paid bills; each bill is invoiced once. */
  requestInvoice: authedProcedure
    .input(
      z.object({
        kind: z.enum(VAT_INVOICE_KINDS, { error: '请选择发票类型' }),
        billKeys: z
          .array(z.string().regex(/^[0-9a-f]{24}:\d{4}-\d{2}$/, '账单编号格式不正确'), { error: '请选择账单' })
          .min(1, '请选择要开票的已缴账单')
          .max(MAX_INVOICE_BILLS, `一张发票最多包含${MAX_INVOICE_BILLS}笔账单`),
      }),
    )
    .mutation(({ ctx, input }) => requestVatInvoice(ctx.cfg, ctx.user, input, ctx.ip)),

  invoiceLink: authedProcedure
    .input(z.object({ invoiceId: objectIdSchema }))
    .mutation(({ ctx, input }) => vatInvoiceLink(ctx, ctx.user, input.invoiceId)),
});
