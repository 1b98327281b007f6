/**
 * What a finished service application does to metering accounts (the accounts module's own writes): a new
 * connection gets a new account (bound to its resident applicant as 户主, or under the applicant's enterprise);
 * a name change moves the holder name; a capacity change or a meter check leaves the account as it is.
 * Idempotent per application: the new account's number is derived from the application's order id, so a retry
 * after a crash finds the account it made instead of making another.
 */
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import { GridNodeModel } from '../grid/grid.model';
import { AccountModel, BindingModel, CustomerModel, type Account } from './account.model';

export interface ConnectionRequest {
  orderId: Types.ObjectId;
  applicantUserId: Types.ObjectId | null;
  enterpriseId: Types.ObjectId | null;
  holderName: string;
  phone: string | null;
  address: string;
  residential: boolean;
}

/** 13 digits, '43' (the province prefix the demo uses) + 11 from the order id. */
export function connectionAccountNumber(orderId: Types.ObjectId): string {
  const n = BigInt(`0x${createHash('sha256').update(String(orderId)).digest('hex').slice(0, 15)}`) % 100_000_000_000n;
  return `43${n.toString().padStart(11, '0')}`;
}

export async function provisionConnection(req: ConnectionRequest): Promise<{ accountNumber: string; created: boolean }> {
  const number = connectionAccountNumber(req.orderId);
  const existing = await AccountModel.findOne({ number }, { number: 1 }).lean();
  if (existing) return { accountNumber: number, created: false };
  // The customer: the enterprise's, or the resident's from an account they hold, or a new residential customer.
  let customerId: Types.ObjectId | null = null;
  if (req.enterpriseId) customerId = (await CustomerModel.findOne({ enterpriseId: req.enterpriseId }, { _id: 1 }).lean())?._id ?? null;
  let near: Account | null = null;
  if (req.applicantUserId && !req.enterpriseId) {
    const b = await BindingModel.findOne({ userId: req.applicantUserId, relation: 'self' }, { accountId: 1 }).lean();
    near = b ? ((await AccountModel.findById(b.accountId).lean()) as Account | null) : null;
    customerId = near?.customerId ?? null;
  }
  if (!customerId) {
    const c = await CustomerModel.create({
      kind: req.residential ? 'residential' : 'enterprise',
      tier: req.residential ? 'C' : 'B',
      name: req.holderName,
      phone: req.phone,
    });
    customerId = c._id;
  }
  // The transformer area the survey found; until the surveyor records one, the applicant's existing area or the first area.
  const area = near
    ? { _id: near.transformerAreaId, name: near.transformerAreaName, regionId: near.regionId, feederId: near.feederId, areaType: near.areaType }
    : ((await GridNodeModel.findOne({ kind: 'transformer_area' }).sort({ code: 1 }).lean()) as {
        _id: Types.ObjectId;
        name: string;
        regionId: Types.ObjectId;
        feederId: Types.ObjectId;
        areaType: 'urban' | 'rural' | 'remote';
      } | null);
  if (!area) throw new Error('no transformer area to connect to');
  const _id = new Types.ObjectId();
  try {
    await AccountModel.create({
      _id,
      number,
      customerId,
      enterpriseId: req.enterpriseId,
      holderName: req.holderName,
      phone: req.phone,
      address: req.address,
      regionId: area.regionId,
      feederId: area.feederId,
      transformerAreaId: area._id,
      transformerAreaName: area.name,
      areaType: area.areaType ?? 'urban',
      meterNumber: `M${number.slice(-10)}`,
      usageCategory: req.residential ? 'residential' : 'commercial',
      tariffCode: req.residential ? 'RES-TIER-HN' : 'COM-FLAT',
      paymentMode: 'postpaid',
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) return { accountNumber: number, created: false };
    throw err;
  }
  if (req.applicantUserId && !req.enterpriseId) {
    await BindingModel.updateOne(
      { userId: req.applicantUserId, accountId: _id },
      { $setOnInsert: { relation: 'self', verifiedBy: 'staff', level: 'holder' } },
      { upsert: true },
    );
  }
  return { accountNumber: number, created: true };
}

/** 过户: the account's holder name becomes the new holder's. */
export async function transferHolder(accountId: Types.ObjectId, newHolderName: string): Promise<void> {
  await AccountModel.updateOne({ _id: accountId }, { $set: { holderName: newHolderName } });
}
