/**
 * Screen-pop (来电弹屏) beyond the customer card: the caller's orders (open and recent) queried by customer,
 * the outages on their accounts' transformer areas, and their last contact in every channel. Masked like
 * every desk read; the agent reveals full data only through staff.revealAccount (audited).
 */
import { Types } from 'mongoose';
import { AccountModel, CustomerModel } from '../accounts/account.model';
import { UserModel } from '../auth/user.model';
import { OutageModel, type Outage } from '../outages/outage.model';
import { toBrief, type OutageBrief } from '../outages/outage.intake';
import { WorkOrderModel, type WorkOrder } from '../workorders/workorder.model';
import { CHANNELS, type Channel } from '../workorders/workorder.rules';
import { CHANNEL_LABELS as CHANNEL_NAMES, SENSITIVE_REASON_LABELS } from '../../shared/labels';
import { toSummary, type WorkOrderSummary } from '../workorders/workorder.service';

export const CHANNEL_LABELS: Record<Channel, string> = CHANNEL_NAMES;
/** Closed orders shown as "recent" for this long. */
const RECENT_DAYS = 90;

export interface CallerContext {
  open: WorkOrderSummary[];
  recent: WorkOrderSummary[];
  outages: (OutageBrief & { accountNumbers: string[] })[];
  lastContacts: {
    channel: Channel;
    channelLabel: string;
    at: string | null;
    orderId: string | null;
    orderNo: string | null;
    typeLabel: string | null;
    statusLabel: string | null;
  }[];
  /** Turned sensitive automatically (warnings lane): the screen-pop's 敏感客户 badge and its reason. */
  sensitive: { since: string; reason: string; reasonLabel: string; orderNos: string[] } | null;
}

export async function callerContext(input: { customerId: string; phone?: string | null }, now = new Date()): Promise<CallerContext> {
  const customerId = new Types.ObjectId(input.customerId);
  const [customer, accounts] = await Promise.all([
    CustomerModel.findById(customerId, { phone: 1, sensitive: 1 }).lean(),
    AccountModel.find({ customerId }, { number: 1, transformerAreaId: 1 }).limit(200).lean(),
  ]);
  const phones = [...new Set([input.phone, customer?.phone].filter((p): p is string => !!p))];
  const users = phones.length
    ? await UserModel.find({ phone: { $in: phones } }, { _id: 1 })
        .limit(20)
        .lean()
    : [];
  const or: Record<string, unknown>[] = [{ customerId }];
  if (accounts.length) or.push({ accountId: { $in: accounts.map((a) => a._id) } });
  // Orders without an account (e.g. a consultation) are theirs too: filed for this phone, or by a login with it.
  if (phones.length) or.push({ accountId: null, contactPhone: { $in: phones } });
  if (users.length) or.push({ accountId: null, reporterUserId: { $in: users.map((u) => u._id) } });
  const since = new Date(now.getTime() - RECENT_DAYS * 86_400_000);
  const [openDocs, recentDocs, outages] = await Promise.all([
    WorkOrderModel.find({ $or: or, status: { $ne: 'closed' } }, { timeline: 0, outbox: 0 })
      .sort({ createdAt: -1 })
      .limit(50)
      .lean(),
    WorkOrderModel.find({ $or: or, status: 'closed', createdAt: { $gte: since } }, { timeline: 0, outbox: 0 })
      .sort({ createdAt: -1 })
      .limit(20)
      .lean(),
    accounts.length
      ? OutageModel.find({ coveredAreaIds: { $in: accounts.map((a) => a.transformerAreaId) }, status: 'published' })
          .sort({ startAt: 1 })
          .limit(20)
          .lean()
      : [],
  ]);
  const open = (openDocs as unknown as WorkOrder[]).map((o) => toSummary(o, now));
  const recent = (recentDocs as unknown as WorkOrder[]).map((o) => toSummary(o, now));
  const all = [...open, ...recent].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  return {
    open,
    recent,
    outages: (outages as unknown as Outage[]).map((o) => ({
      ...toBrief(o, now),
      accountNumbers: accounts.filter((a) => o.coveredAreaIds.some((id) => String(id) === String(a.transformerAreaId))).map((a) => a.number),
    })),
    lastContacts: CHANNELS.map((channel) => {
      const last = all.find((o) => o.channel === channel);
      return {
        channel,
        channelLabel: CHANNEL_LABELS[channel],
        at: last?.createdAt ?? null,
        orderId: last?.id ?? null,
        orderNo: last?.orderNo ?? null,
        typeLabel: last?.typeLabel ?? null,
        statusLabel: last?.statusLabel ?? null,
      };
    }),
    sensitive: sensitiveOf(customer?.sensitive as { since: Date; reason: string; orderNos?: string[] } | null | undefined),
  };
}

function sensitiveOf(s: { since: Date; reason: string; orderNos?: string[] } | null | undefined): CallerContext['sensitive'] {
  if (!s?.since) return null;
  return {
    since: new Date(s.since).toISOString(),
    reason: s.reason,
    reasonLabel: SENSITIVE_REASON_LABELS[s.reason as keyof typeof SENSITIVE_REASON_LABELS] ?? '',
    orderNos: s.orderNos ?? [],
  };
}
