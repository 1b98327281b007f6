/**
 * Customers turning sensitive (敏感客户, SPEC §3.6): ≥2 complaints in 12 months, or ≥3 orders within 7 days.
 * The warnings job hands every batch of the event log here: each new order is added to its customer's contact list
 * (one small document per customer, read by _id), the rule is applied, and a customer who now qualifies is flagged
 * once (a guarded update that matches only while unflagged), audited and routed: to the enterprise's account manager,
 * or to the grid-area manager (区域经理) of the region of the account's transformer area.
 */
import type { Types } from 'mongoose';
import { AccountModel, CustomerModel, EnterpriseModel } from '../accounts/account.model';
import { UserModel } from '../auth/user.model';
import { recordAudit } from '../audit/audit.service';
import { InAppNotificationModel, type EventRecord } from '../events/event.model';
import { WorkOrderModel, type WorkOrder } from '../workorders/workorder.model';
import { isDuplicateKeyError } from '../../db/connect';
import { maskName } from '../../lib/mask';
import { SENSITIVE_REASON_LABELS } from '../../shared/labels';
import { CustomerContactsModel } from './warning.model';
import { type Contact, SENSITIVE_COMPLAINT_DAYS, sensitiveVerdict } from './warning.rules';

const CONTACT_EVENTS = new Set(['workorder.created', 'workorder.linked']);
const DAY = 86_400_000;

/** Who a newly sensitive customer is routed to: the account manager (enterprise) or the area's grid manager. */
export async function sensitiveRecipient(customer: { enterpriseId?: Types.ObjectId | null }, account: { regionId?: Types.ObjectId | null } | null) {
  if (customer.enterpriseId) {
    const ent = await EnterpriseModel.findById(customer.enterpriseId, { accountManagerId: 1 }).lean();
    if (ent?.accountManagerId) return ent.accountManagerId as Types.ObjectId;
  }
  if (account?.regionId) {
    const mgr = await UserModel.findOne({ roles: 'area_manager', regionId: account.regionId, disabled: { $ne: true } }, { _id: 1 }).lean();
    if (mgr) return mgr._id;
  }
  return null;
}

/** Applies the rules to one customer's contacts at `now`; flags, audits and routes once. True when flagged now. */
export async function evaluateCustomer(customerId: Types.ObjectId, now = new Date()): Promise<boolean> {
  const doc = await CustomerContactsModel.findById(customerId).lean();
  const contacts = (doc?.contacts ?? []) as Contact[];
  const verdict = sensitiveVerdict(contacts, now);
  if (!verdict) return false;
  const r = await CustomerModel.updateOne(
    { _id: customerId, sensitive: null },
    { $set: { sensitive: { since: now, reason: verdict.reason, orderNos: verdict.orderNos, windowDays: verdict.windowDays } } },
  );
  if (r.modifiedCount !== 1) return false;
  const customer = await CustomerModel.findById(customerId, { name: 1, enterpriseId: 1 }).lean();
  const lastOrder = contacts.find((c) => c.orderNo === verdict.orderNos[verdict.orderNos.length - 1]);
  const order = lastOrder
    ? ((await WorkOrderModel.findById(lastOrder.orderId, { accountId: 1, regionId: 1 }).lean()) as Pick<WorkOrder, 'accountId' | 'regionId'> | null)
    : null;
  const account = order?.accountId ? await AccountModel.findById(order.accountId, { regionId: 1 }).lean() : null;
  const recipient = customer ? await sensitiveRecipient(customer, account ?? (order ? { regionId: order.regionId } : null)) : null;
  await recordAudit({
    actorId: 'system',
    actorRoles: ['system'],
    action: 'customer.sensitive_flagged',
    targetType: 'customer',
    targetId: String(customerId),
    reason: SENSITIVE_REASON_LABELS[verdict.reason],
    detail: { reason: verdict.reason, orderNos: verdict.orderNos, routedTo: recipient ? String(recipient) : null },
  });
  if (recipient)
    await InAppNotificationModel.create({
      key: `sensitive:${customerId}`,
      recipientUserId: recipient,
      regionId: account?.regionId ?? order?.regionId ?? null,
      kind: 'warning.sensitive',
      title: `敏感客户提醒：${maskName(customer?.name ?? '')}`,
      body: `${SENSITIVE_REASON_LABELS[verdict.reason]}（工单 ${verdict.orderNos.join('、')}），请主动联系客户。`,
      orderId: lastOrder ? lastOrder.orderId : null,
      createdAt: now,
    }).catch((err) => {
      if (!isDuplicateKeyError(err)) throw err;
    });
  return true;
}

/** New orders of a batch of events into their customers' contact lists, then the rules on each customer touched. */
export async function ingestContactEvents(events: readonly EventRecord[], now = new Date()): Promise<{ contacts: number; flagged: number }> {
  const ids = events.filter((e) => CONTACT_EVENTS.has(e.type) && e.orderId).map((e) => e.orderId!);
  if (!ids.length) return { contacts: 0, flagged: 0 };
  const orders = (await WorkOrderModel.find(
    { _id: { $in: ids } },
    { customerId: 1, orderNo: 1, type: 1, createdAt: 1, 'clock.startedAt': 1 },
  ).lean()) as unknown as Pick<WorkOrder, '_id' | 'customerId' | 'orderNo' | 'type' | 'createdAt' | 'clock'>[];
  const touched = new Map<string, Types.ObjectId>();
  let added = 0;
  const cutoff = new Date(now.getTime() - SENSITIVE_COMPLAINT_DAYS * DAY);
  for (const o of orders) {
    if (!o.customerId) continue;
    // When the customer got in touch: the clock's start (an order filed for a past time) unless a reopen moved it later.
    const at = new Date(
      Math.min(new Date(o.createdAt).getTime(), o.clock?.startedAt ? new Date(o.clock.startedAt).getTime() : Number.POSITIVE_INFINITY),
    );
    const contact = { orderId: String(o._id), orderNo: o.orderNo, type: o.type, at };
    // Guarded push: a contact already listed matches nothing, and the upsert's insert then fails on _id (ignored).
    const r = await CustomerContactsModel.updateOne(
      { _id: o.customerId, 'contacts.orderId': { $ne: contact.orderId } },
      { $push: { contacts: contact } },
      { upsert: true },
    ).catch((err) => {
      if (isDuplicateKeyError(err)) return { modifiedCount: 0, upsertedCount: 0 };
      throw err;
    });
    added += (r.modifiedCount ?? 0) + (r.upsertedCount ?? 0);
    touched.set(String(o.customerId), o.customerId);
  }
  let flagged = 0;
  for (const id of touched.values()) {
    await CustomerContactsModel.updateOne({ _id: id }, { $pull: { contacts: { at: { $lt: cutoff } } } });
    if (await evaluateCustomer(id, now)) flagged++;
  }
  return { contacts: added, flagged };
}
