/**
 * 复电: when a payment clears the arrears of an account disconnected for arrears, a reconnection order
 * is created at once (and, for smart-prepaid accounts, a remote-reconnect command for the meter).
 * The order is the engine's own system order (no logged-in actor: a WeChat notification settled it).
 */
import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import { AccountModel, type Account } from '../accounts/account.model';
import { createSystemOrder } from '../workorders/workorder.service';
import { ReconnectRequestModel, RemoteCommandModel } from './billing.model';

/** Creates the reconnection order with a fixed id; a second call with the same id is a no-op. */
export async function createReconnectionOrder(
  accountId: Types.ObjectId | string,
  reason: string,
  opts: { orderId?: Types.ObjectId; now?: Date } = {},
) {
  const account = await AccountModel.findById(accountId, { paymentMode: 1 }).lean();
  if (!account) throw new Error(`account ${accountId} not found`);
  return createSystemOrder({
    ...opts,
    type: 'reconnection',
    accountId,
    category: '缴费后复电',
    description: reason,
    department: account.paymentMode === 'prepaid' ? '计量中心（远程复电）' : '营业厅（复电）',
  });
}

/**
 * Owed reconnection for one payment: recorded first (fixed order id), then carried out; the billing
 * job retries records whose order is not created yet, so a crash in between loses nothing.
 */
export async function requestReconnection(
  account: Pick<Account, '_id' | 'meterNumber' | 'paymentMode'>,
  key: string,
  reason: string,
  now = new Date(),
) {
  try {
    await ReconnectRequestModel.create({ _id: key, accountId: account._id, orderId: new Types.ObjectId(), reason, createdAt: now });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  if (account.paymentMode === 'prepaid') {
    try {
      await RemoteCommandModel.create({
        key: `reconnect:${key}`,
        accountId: account._id,
        meterNumber: account.meterNumber,
        command: 'reconnect',
        reason,
        status: 'pending',
        createdAt: now,
      });
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
