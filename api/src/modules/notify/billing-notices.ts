/**
 * Account and payment notices for customers: payment settled, refund made, a bill issued, and the
 * smart-prepaid notices billing records in `billing_notices` (balance below a threshold the customer
 * picked, below zero, disconnected, reconnected). Each goes through the customer-notice outbox under a key
 * derived from its event, so re-running the step that emitted it (the reconciliation job re-crediting a
 * payment, a settlement re-run) tells nobody twice.
 */
import type { Types } from 'mongoose';
import { AccountModel } from '../accounts/account.model';
import { BillModel } from '../billing/billing.model';
import { formatShanghaiShort } from '../workorders/customer-view.rules';
import { notify, tail, thing, yuan, type CustomerNoticeInput } from './customer-notice';
import { ACCOUNT_TEMPLATE_ID } from './wechat-subscribe';

const period = (p: string | null | undefined) => {
  const m = /^(\d{4})-(\d{2})$/.exec(p ?? '');
  return m ? `${m[1]}年${Number(m[2])}月` : '';
};
const accountLink = (id: Types.ObjectId | string) => `/home/accounts/${id}`;
const accountPage = (id: Types.ObjectId | string) => `pkg-bill/bills/index?accountId=${id}`;

type PaymentLike = {
  _id: Types.ObjectId;
  outTradeNo: string;
  purpose: string;
  accountId: Types.ObjectId;
  accountNumber: string;
  billId?: Types.ObjectId | null;
  amountFen: number;
  lateFeeFen?: number | null;
  userId?: Types.ObjectId | null;
  onBehalf?: boolean | null;
  paidAt?: Date | null;
  createdAt?: Date | null;
};

function wx(title: string, amount: string, note: string, at: Date) {
  return { thing1: thing(title), amount2: { value: amount }, thing3: thing(note), time4: { value: formatShanghaiShort(at) } };
}

/** 缴费成功 / 充值成功: to the payer and to everyone bound to the account. */
export async function paymentSettledNotice(p: PaymentLike): Promise<void> {
  const at = p.paidAt ?? new Date();
  let body: string;
  let smsBody: string;
  let title: string;
  if (p.purpose === 'bill') {
    const bill = p.billId ? await BillModel.findById(p.billId, { period: 1 }).lean() : null;
    const fee = p.lateFeeFen ? `（含违约金${yuan(p.lateFeeFen)}）` : '';
    title = '缴费成功';
    body = `户号${p.accountNumber}的${period(bill?.period)}电费${yuan(p.amountFen)}${fee}已缴纳成功${p.onBehalf ? '（他人代缴）' : ''}。`;
    smsBody = `您的户号（尾号${tail(p.accountNumber)}）的${period(bill?.period)}电费${yuan(p.amountFen)}已缴纳成功。`;
  } else {
    const acc = await AccountModel.findById(p.accountId, { balanceFen: 1 }).lean();
    title = '充值成功';
    body = `户号${p.accountNumber}充值${yuan(p.amountFen)}已到账${acc ? `，当前余额${yuan(acc.balanceFen)}` : ''}${p.onBehalf ? '（他人代缴）' : ''}。`;
    smsBody = `您的户号（尾号${tail(p.accountNumber)}）充值${yuan(p.amountFen)}已到账。`;
  }
  await notify([
    {
      key: `payment:${p._id}:settled`,
      kind: 'payment.settled',
      title,
      body,
      smsBody,
      link: '/home/payments',
      page: 'pkg-bill/payments/index',
      templateId: ACCOUNT_TEMPLATE_ID,
      wechatData: wx(title, yuan(p.amountFen), `户号尾号${tail(p.accountNumber)}`, at),
      accountId: p.accountId,
      accountNumber: p.accountNumber,
      audience: { userIds: p.userId ? [p.userId] : [], accountId: p.accountId, accountLevel: 'all', topic: 'money' },
      at,
    },
  ]);
}

/** 退款: to the payer (or, without one, the account's people). */
export async function refundNotice(p: PaymentLike, refund: { amountFen: number; reason: string }): Promise<void> {
  const at = new Date();
  const title = '退款已办理';
  await notify([
    {
      key: `payment:${p._id}:refund`,
      kind: 'payment.refunded',
      title,
      body: `您于${formatShanghaiShort(p.paidAt ?? p.createdAt ?? at)}为户号${p.accountNumber}缴纳的${yuan(p.amountFen)}已退款${yuan(refund.amountFen)}（${refund.reason}），款项将原路退回付款账户。`,
      smsBody: `您为户号（尾号${tail(p.accountNumber)}）缴纳的电费已退款${yuan(refund.amountFen)}，款项将原路退回付款账户。`,
      link: '/home/payments',
      page: 'pkg-bill/payments/index',
      templateId: ACCOUNT_TEMPLATE_ID,
      wechatData: wx(title, yuan(refund.amountFen), refund.reason, at),
      accountId: p.accountId,
      accountNumber: p.accountNumber,
      audience: p.userId ? { userIds: [p.userId], topic: 'money' } : { accountId: p.accountId, accountLevel: 'all', topic: 'money' },
      at,
    },
  ]);
}

/**
 * A notice billing recorded about an account (billing_notices: threshold, below_zero, disconnected,
 * reconnected): to everyone bound to it, under the record's own unique key.
 */
export async function accountNotice(n: {
  key: string;
  accountId: Types.ObjectId;
  kind: string;
  title: string;
  body: string;
  createdAt?: Date;
}): Promise<void> {
  const acc = await AccountModel.findById(n.accountId, { number: 1 }).lean();
  const at = n.createdAt ?? new Date();
  const topic = n.kind === 'reconnected' || n.kind === 'disconnected' ? 'service' : 'money';
  const input: CustomerNoticeInput = {
    key: `billing:${n.key}`,
    kind: `account.${n.kind}`,
    title: n.title,
    body: `户号${acc?.number ?? ''}：${n.body}`,
    smsBody: `您的户号（尾号${tail(acc?.number)}）${n.body}`.replace(/\d{6,}/g, (d) => `尾号${d.slice(-4)}`),
    link: accountLink(n.accountId),
    page: accountPage(n.accountId),
    templateId: ACCOUNT_TEMPLATE_ID,
    wechatData: { thing1: thing(n.title), thing3: thing(n.body), time4: { value: formatShanghaiShort(at) } },
    accountId: n.accountId,
    accountNumber: acc?.number ?? null,
    audience: { accountId: n.accountId, accountLevel: 'all', topic },
    at,
  };
  await notify([input]);
}

/**
 * 电费账单已出: for the monthly billing run to call once per bill it issues (bills are seeded today, see
 * docs/billing.md "Not done yet"); keyed on the bill, so a re-run of the billing tells nobody twice.
 */
export async function billIssuedNotice(bill: {
  _id: Types.ObjectId;
  accountId: Types.ObjectId;
  accountNumber: string;
  period: string;
  kwh: number;
  amountFen: number;
  dueDay: string;
  issuedAt?: Date;
}): Promise<void> {
  const at = bill.issuedAt ?? new Date();
  const title = '电费账单已出';
  await notify([
    {
      key: `bill:${bill._id}:issued`,
      kind: 'bill.issued',
      title,
      body: `户号${bill.accountNumber}的${period(bill.period)}账单已出：用电${bill.kwh}千瓦时，电费${yuan(bill.amountFen)}，请于${bill.dueDay}前缴纳，逾期将按日计收违约金。`,
      smsBody: `您的户号（尾号${tail(bill.accountNumber)}）的${period(bill.period)}电费${yuan(bill.amountFen)}，请于${bill.dueDay.slice(5).replace('-', '月')}日前缴纳。`,
      link: accountLink(bill.accountId),
      page: accountPage(bill.accountId),
      templateId: ACCOUNT_TEMPLATE_ID,
      wechatData: wx(title, yuan(bill.amountFen), `${period(bill.period)}电费`, at),
      accountId: bill.accountId,
      accountNumber: bill.accountNumber,
      audience: { accountId: bill.accountId, accountLevel: 'all', topic: 'money' },
      at,
    },
  ]);
}
