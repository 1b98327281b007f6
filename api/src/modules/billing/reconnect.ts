/**
 * 复电: when a payment clears the arrears of an account disconnected for arrears, a reconnection order
 * is created at once (and, for smart-prepaid accounts, a remote-reconnect command for the meter).
 *
 * Adapter: the work-order service's createOrder() needs a logged-in actor; a payment settled by a
 * WeChat notification has none. `createReconnectionOrder` writes the order in the work-order engine's
 * shape (same number series, deadlines, priority, timeline and live-queue event) as the system. When the
 * engine gains a system entry point, point this function at it — callers do not change.
 */
import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import { AccountModel, CustomerModel, type Account } from '../accounts/account.model';
import { recordAudit } from '../audit/audit.service';
import { nextSeq } from '../events/counter.model';
import { WorkOrderModel } from '../workorders/workorder.model';
import { flushOrderOutbox, getSlaConfig } from '../workorders/workorder.service';
import { deadlineFor, shanghaiDate, warningTimes } from '../workorders/sla.rules';
import { priorityOf } from '../workorders/priority.rules';
import { initialStatus } from '../workorders/workorder.rules';
import { ReconnectRequestModel, RemoteCommandModel } from './billing.model';

/** Creates the reconnection order with a fixed id; a second call with the same id is a no-op. */
export async function createReconnectionOrder(accountId: Types.ObjectId | string, reason: string, opts: { orderId?: Types.ObjectId; now?: Date } = {}): Promise<{ orderId: string; orderNo: string; created: boolean }> {
  const account = (await AccountModel.findById(accountId).lean()) as Account | null;
  if (!account) throw new Error(`account ${accountId} not found`);
  const existing = opts.orderId ? await WorkOrderModel.findById(opts.orderId, { orderNo: 1 }).lean() : null;
  if (existing) return { orderId: String(existing._id), orderNo: existing.orderNo, created: false };
  const customer = await CustomerModel.findById(account.customerId, { tier: 1, flags: 1 }).lean();
  const now = opts.now ?? new Date();
  const _id = opts.orderId ?? new Types.ObjectId();
  const status = initialStatus('reconnection');
  const paymentMode = account.paymentMode as 'postpaid' | 'prepaid';
  const base = {
    type: 'reconnection' as const,
    subtype: null,
    channel: 'staff' as const, // system-generated: runs against the reconnection promise, not an online first-reply
    areaType: account.areaType as 'urban' | 'rural' | 'remote',
    supplyClass: account.usageCategory === 'residential' ? ('residential' as const) : ('lv_non_residential' as const),
    paymentMode,
  };
  const clock = { startedAt: now, pausedMsAtStart: 0 };
  const sla = getSlaConfig();
  const d = deadlineFor({ ...base, status, now, clockStartedAt: now, pausedMsSinceClock: 0 }, sla);
  const nextDeadline = d ? { id: new Types.ObjectId(), ...d, ...warningTimes(d, sla) } : null;
  const priority = priorityOf({ type: 'reconnection', tier: (customer?.tier as 'A' | 'B' | 'C' | undefined) ?? null, flags: customer?.flags ?? null });
  const day = shanghaiDate(now).replace(/-/g, '');
  const orderNo = `GD${day}-${String(await nextSeq(`workorder:${day}`)).padStart(6, '0')}`;
  const doc = {
    _id,
    orderNo,
    ...base,
    status,
    version: 0,
    priority: { score: priority.score, level: priority.level },
    accountId: account._id,
    accountNumber: account.number,
    customerId: account.customerId,
    enterpriseId: account.enterpriseId ?? null,
    reporterUserId: null,
    contactName: account.holderName,
    contactPhone: account.phone ?? null,
    transformerAreaId: account.transformerAreaId,
    transformerAreaName: account.transformerAreaName,
    feederId: account.feederId,
    regionId: account.regionId,
    category: '缴费后复电',
    description: reason,
    assignee: { department: paymentMode === 'prepaid' ? '计量中心（远程复电）' : '营业厅（复电）', agentId: null, crewId: null },
    clock,
    nextDeadline,
    slaMarks: { warn50At: null, warn80At: null, overdueAt: null },
    timeline: [{ actorId: null, actorRole: 'system', actorName: null, action: 'create', from: null, to: status, at: now, note: reason, visibility: 'customer', attachments: [] }],
    outbox: [
      {
        key: `${_id}:workorder.created:0`,
        type: 'workorder.created',
        at: now,
        payload: { orderId: String(_id), orderNo, orderType: 'reconnection', status, priority: { score: priority.score, level: priority.level }, regionId: String(account.regionId) },
      },
    ],
  };
  try {
    await WorkOrderModel.create(doc);
  } catch (err) {
    if (isDuplicateKeyError(err)) {
      const o = await WorkOrderModel.findById(_id, { orderNo: 1 }).lean();
      if (o) return { orderId: String(o._id), orderNo: o.orderNo, created: false };
    }
    throw err;
  }
  await recordAudit({ actorId: 'system', actorRoles: ['system'], action: 'workorder.create', targetType: 'workorder', targetId: String(_id), detail: { orderNo, type: 'reconnection', reason } });
  await flushOrderOutbox([{ _id, regionId: account.regionId, outbox: doc.outbox }]).catch(() => undefined);
  return { orderId: String(_id), orderNo, created: true };
}

/**
 * Owed reconnection for one payment: recorded first (fixed order id), then carried out; the billing
 * job retries records whose order is not created yet, so a crash in between loses nothing.
 */
export async function requestReconnection(account: Pick<Account, '_id' | 'meterNumber' | 'paymentMode'>, key: string, reason: string, now = new Date()) {
  try {
    await ReconnectRequestModel.create({ _id: key, accountId: account._id, orderId: new Types.ObjectId(), reason, createdAt: now });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  if (account.paymentMode === 'prepaid') {
    try {
      await RemoteCommandModel.create({ key: `reconnect:${key}`, accountId: account._id, meterNumber: account.meterNumber, command: 'reconnect', reason, status: 'pending', createdAt: now });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
  return carryOutReconnection(key);
}

export async function carryOutReconnection(key: string) {
  const r = await ReconnectRequestModel.findById(key).lean();
  if (!r) return null;
  if (r.createdOrderAt) return { orderId: String(r.orderId), created: false };
  try {
    const o = await createReconnectionOrder(r.accountId, r.reason, { orderId: r.orderId });
    await ReconnectRequestModel.updateOne({ _id: key }, { $set: { createdOrderAt: new Date(), lastError: null } });
    return o;
  } catch (err) {
    await ReconnectRequestModel.updateOne({ _id: key }, { $inc: { attempts: 1 }, $set: { lastError: String((err as Error).message ?? err) } });
    throw err;
  }
}

/** For the billing job: reconnections recorded but not yet turned into orders. */
export async function retryPendingReconnections(limit = 100): Promise<number> {
  const pending = await ReconnectRequestModel.find({ createdOrderAt: null }).sort({ createdAt: 1 }).limit(limit).lean();
  let n = 0;
  for (const p of pending) {
    try {
      await carryOutReconnection(String(p._id));
      n++;
    } catch {
      /* retried next round */
    }
  }
  return n;
}
