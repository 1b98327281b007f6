/**
 * What a work-order write means to its customer, read from the order's outbox (the effects written by the
 * same atomic update as the change, see events/event.service.ts) before it is cleared: 已受理, the crew sent
 * (name and work phone) with the expected arrival, arrived, fixed (and a request to rate), answered; for a
 * reconnection after arrears, 复电中 with the promised time and 已恢复供电 — which also puts the account's
 * supply back to normal. Each notice is keyed on the effect's key, so a second pass over the same outbox
 * (the SLA sweep's republish after a crash) tells nobody twice.
 */
import { Types } from 'mongoose';
import { AccountModel } from '../accounts/account.model';
import { CrewModel } from '../auth/user.model';
import { effectKey, type PendingEffect } from '../events/event.service';
import { WorkOrderModel, type WorkOrder } from '../workorders/workorder.model';
import { TYPE_LABELS } from '../workorders/workorder.rules';
import { formatShanghaiShort } from '../workorders/customer-view.rules';
import { enqueueNotices, deliverEnqueued, tail, thing, type Audience, type CustomerNoticeInput } from './customer-notice';
import { ORDER_TEMPLATE_ID } from './wechat-subscribe';

type Holder = Pick<WorkOrder, '_id' | 'regionId' | 'outbox'> & Partial<WorkOrder>;

/**
 * Effect types a customer hears about (the rest — SLA marks, transfers, internal notes — are the staff's).
 * An outage's system steps on merged reports (workorder.merge, .outageNote, .restore) are told once per person by
 * the outage's own notices (published, ETR changed, restored: outage.service processNotices), not per report.
 */
const HEARD = new Set([
  'workorder.created',
  'workorder.dispatch',
  'workorder.arrive',
  'workorder.resolve',
  'workorder.claim',
  'workorder.reply',
  'workorder.note',
  'workorder.closeWithReason',
]);

/** "0731-88600001" → "0731-8860-0001". */
const groupDigits = (phone: string) => phone.replace(/\d{5,}/g, (d) => d.replace(/(\d{4})(?=\d)/g, '$1-'));

export const orderLink = (id: Types.ObjectId | string) => `/home/orders/${id}`;
export const orderPage = (id: Types.ObjectId | string) => `pkg-service/order/index?id=${id}`;

/** Notices and follow-ups of these orders' pending effects; throws only when the outbox cannot be written. */
export async function orderSideEffects(holders: Holder[]): Promise<void> {
  const wanted = holders.filter((h) => (h.outbox ?? []).some((e) => HEARD.has(e.type)));
  if (!wanted.length) return;
  // Writers hand over the order they wrote; the sweep's republish hands over only the outbox: read the rest.
  const missing = wanted.filter((h) => !h.orderNo || !h.timeline);
  const loaded = missing.length
    ? ((await WorkOrderModel.find({ _id: { $in: missing.map((h) => h._id) } }, { outbox: 0 }).lean()) as unknown as WorkOrder[])
    : [];
  const byId = new Map(loaded.map((o) => [String(o._id), o]));
  const crewIds = new Set<string>();
  const pairs: { o: WorkOrder; e: PendingEffect }[] = [];
  for (const h of wanted) {
    const o = (h.orderNo && h.timeline ? h : byId.get(String(h._id))) as WorkOrder | undefined;
    if (!o) continue;
    for (const e of h.outbox ?? []) {
      if (!HEARD.has(e.type)) continue;
      pairs.push({ o, e });
      if (e.type === 'workorder.dispatch' && o.assignee?.crewId) crewIds.add(String(o.assignee.crewId));
    }
  }
  const crews = crewIds.size
    ? await CrewModel.find({ _id: { $in: [...crewIds].map((id) => new Types.ObjectId(id)) } }, { name: 1, workPhone: 1 }).lean()
    : [];
  const crewBy = new Map(crews.map((c) => [String(c._id), { name: c.name, phone: (c as { workPhone?: string | null }).workPhone ?? null }]));
  const notices = pairs.flatMap(({ o, e }) => noticesFor(o, e, crewBy));
  await enqueueNotices(notices);
  // Power back on an account reconnected after arrears: its supply state follows the resolved 复电 order.
  for (const { o, e } of pairs) if (e.type === 'workorder.resolve' && o.type === 'reconnection' && o.accountId) await markReconnected(o.accountId);
  await deliverEnqueued(notices);
}

/** 复电 done: an account disconnected for arrears with nothing owed any more is back to normal supply. */
export async function markReconnected(accountId: Types.ObjectId): Promise<boolean> {
  const r = await AccountModel.updateOne(
    { _id: accountId, supplyState: 'disconnected', arrearsFen: { $lte: 0 } },
    { $set: { supplyState: 'normal' } },
  );
  return r.modifiedCount === 1;
}

function audienceOf(o: WorkOrder): Audience {
  if (o.reporterUserId) return { userIds: [o.reporterUserId], topic: 'service' };
  // Staff or the system opened it for an account: its 户主 may see it (a reconnection concerns everyone bound to the account).
  return {
    accountId: o.accountId ?? null,
    accountLevel: o.type === 'reconnection' ? 'all' : 'holder',
    topic: 'service',
    phone: o.contactPhone ?? null,
  };
}

/** The customer-visible entry written by the step behind this effect (reply, note, resolution). */
function entryAt(o: WorkOrder, e: PendingEffect, actions: string[]) {
  const at = new Date(e.at).getTime();
  return (
    [...(o.timeline ?? [])].reverse().find((t) => actions.includes(t.action) && t.visibility === 'customer' && new Date(t.at).getTime() === at) ??
    null
  );
}

export function noticesFor(o: WorkOrder, e: PendingEffect, crews: Map<string, { name: string; phone: string | null }>): CustomerNoticeInput[] {
  // An order with no customer (an outage's incident order) tells nobody: its reporters hear from the outage's notices.
  if (!o.reporterUserId && !o.accountId && !o.contactPhone) return [];
  const base = {
    orderId: o._id,
    accountId: o.accountId ?? null,
    accountNumber: o.accountNumber ?? null,
    link: orderLink(o._id),
    page: orderPage(o._id),
    templateId: ORDER_TEMPLATE_ID,
    audience: audienceOf(o),
    at: new Date(e.at),
  };
  const no = o.orderNo;
  const typeLabel = o.type === 'fault_repair' ? '报修' : TYPE_LABELS[o.type];
  const wx = (status: string, note: string) => ({
    character_string1: { value: no },
    thing2: thing(status),
    thing3: thing(note),
    time4: { value: formatShanghaiShort(e.at) },
  });
  const mk = (
    suffix: string,
    kind: string,
    status: string,
    title: string,
    body: string,
    smsBody: string,
    extra: Partial<CustomerNoticeInput> = {},
  ): CustomerNoticeInput => ({
    ...base,
    key: `order:${effectKey(o._id, e)}:${suffix}`,
    kind,
    title,
    body,
    smsBody,
    wechatData: wx(status, title),
    ...extra,
  });
  const due = o.nextDeadline ? formatShanghaiShort(o.nextDeadline.dueAt) : null;

  if (o.type === 'reconnection') {
    // Smart-prepaid accounts are reconnected remotely at once and told so by billing; this is the on-site path.
    if (o.paymentMode === 'prepaid') return [];
    const accountLink = o.accountId ? `/home/accounts/${o.accountId}` : orderLink(o._id);
    if (e.type === 'workorder.created') {
      return [
        mk(
          'started',
          'reconnect.started',
          '复电中',
          '正在为您复电',
          `户号${o.accountNumber ?? ''}的欠费已结清，系统已为您申请复电（工单${no}）${due ? `，预计${due}前恢复供电` : ''}。`,
          `您的户号（尾号${tail(o.accountNumber)}）欠费已结清，正在为您复电${due ? `，预计${due}前恢复供电` : ''}。`,
          { link: accountLink },
        ),
      ];
    }
    if (e.type === 'workorder.resolve') {
      return [
        mk(
          'done',
          'reconnect.done',
          '已复电',
          '已恢复供电',
          `户号${o.accountNumber ?? ''}已恢复供电，感谢您及时缴费。`,
          `您的户号（尾号${tail(o.accountNumber)}）已恢复供电，感谢您及时缴费。`,
          { link: accountLink },
        ),
      ];
    }
    return [];
  }

  switch (e.type) {
    case 'workorder.created':
      // A fault report is accepted as it is filed; desk orders are accepted when an agent claims them.
      if (o.type !== 'fault_repair' || o.incidentId || o.status !== 'reported') return [];
      return [
        mk(
          'accepted',
          'order.accepted',
          '已受理',
          '报修已受理',
          `您的报修（工单${no}）已受理，正在为您安排抢修人员，请保持电话畅通。`,
          `您的报修（工单尾号${tail(no)}）已受理，正在为您安排抢修人员，请保持电话畅通。`,
        ),
      ];
    case 'workorder.claim':
      return [
        mk(
          'accepted',
          'order.accepted',
          '已受理',
          `${typeLabel}已受理`,
          `您的${typeLabel}（工单${no}）已受理，工作人员正在处理。`,
          `您的${typeLabel}（工单尾号${tail(no)}）已受理，工作人员正在处理。`,
        ),
      ];
    case 'workorder.dispatch': {
      const crew = o.assignee?.crewId ? crews.get(String(o.assignee.crewId)) : undefined;
      const name = crew?.name ?? o.assignee?.department ?? '抢修班组';
      const phone = crew?.phone ? `，工作电话${crew.phone}` : '';
      // SMS: the number in groups (a verification-code reader takes any six digits in a row for a code).
      const smsPhone = crew?.phone ? `，工作电话${groupDigits(crew.phone)}` : '';
      const eta = due && o.nextDeadline?.kind === 'arrival' ? `，预计${due}前到达现场` : '';
      return [
        mk(
          'dispatched',
          'order.dispatched',
          '抢修人员已出发',
          '已安排抢修人员',
          `${name}已接到您的报修（工单${no}）${eta}${phone}。`,
          `${name}已接到您的报修${eta}${smsPhone}。`,
        ),
      ];
    }
    case 'workorder.arrive':
      return [
        mk(
          'arrived',
          'order.arrived',
          '已到达现场',
          '抢修人员已到达现场',
          `抢修人员已到达现场处理您的报修（工单${no}）。`,
          `抢修人员已到达现场处理您的报修（工单尾号${tail(no)}）。`,
        ),
      ];
    case 'workorder.resolve': {
      const note = entryAt(o, e, ['resolve'])?.note ?? o.resolution ?? '';
      const fault = o.type === 'fault_repair';
      const title = fault ? '故障已修复' : `${typeLabel}已办结`;
      const done = mk(
        'resolved',
        'order.resolved',
        fault ? '已修复' : '已办结',
        title,
        `您的${typeLabel}（工单${no}）${fault ? '已修复' : '已办结'}${note ? `：${note}` : '。'}`,
        `您的${typeLabel}（工单尾号${tail(no)}）${fault ? '已修复' : '已办结'}，详情请在“我的工单”中查看。`,
      );
      const rate = mk(
        'rate',
        'order.rate_request',
        '待评价',
        '请为本次服务评价',
        `您的${typeLabel}（工单${no}）已处理完毕，请在“我的工单”中为本次服务评价，您的意见将帮助我们改进服务。`,
        `您的${typeLabel}（工单尾号${tail(no)}）已处理完毕，请在“我的工单”中为本次服务评价。`,
      );
      return [done, rate];
    }
    case 'workorder.reply':
    case 'workorder.note': {
      const reply = entryAt(o, e, ['reply', 'note']);
      if (!reply?.note) return [];
      return [
        mk(
          'answered',
          'order.answered',
          '已答复',
          `您的${typeLabel}有答复`,
          `工单${no}：${reply.note}`,
          `您的${typeLabel}（工单尾号${tail(no)}）有新的答复，请在“我的工单”中查看。`,
        ),
      ];
    }
    case 'workorder.closeWithReason': {
      const reason = entryAt(o, e, ['closeWithReason'])?.note;
      if (!reason) return [];
      return [
        mk(
          'closed',
          'order.resolved',
          '已办结',
          `${typeLabel}已办结`,
          `工单${no}：${reason}`,
          `您的${typeLabel}（工单尾号${tail(no)}）已办结，详情请在“我的工单”中查看。`,
        ),
      ];
    }
  }
  return [];
}
