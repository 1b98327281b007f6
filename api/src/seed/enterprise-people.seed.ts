import { Types } from 'mongoose';
import { AccountModel, CustomerModel } from '../modules/accounts/account.model';
import { UserModel } from '../modules/auth/user.model';

/**
 * Demo data for enterprise onboarding (lane ent-people): accounts that belong to no enterprise yet, for an
 * applicant's admin to join after verification — two with a phone on file (the code path), one without (the
 * staff-confirmation path) — and the account manager's work phone.
 */
export const JOINABLE = {
  withPhone: [
    { number: '3101000009001', holderName: '长沙岳麓精密机械有限公司', phone: '13900009001', address: '长沙市岳麓区麓谷大道 668 号 1 号厂房' },
    { number: '3101000009002', holderName: '长沙岳麓精密机械有限公司', phone: '13900009002', address: '长沙市岳麓区麓谷大道 668 号 2 号厂房' },
  ],
  withoutPhone: { number: '3101000009003', holderName: '长沙岳麓精密机械有限公司', phone: null, address: '长沙市岳麓区麓谷大道 668 号 仓库' },
  managerWorkPhone: '0731-88886001',
} as const;

export async function seedEnterprisePeople(opts: { log?: (msg: string) => void } = {}): Promise<void> {
  // Grid facts copied from any seeded account: these sites sit in a real transformer area.
  const template = await AccountModel.findOne({ usageCategory: { $ne: 'residential' } }).lean();
  if (!template) return;
  const customerId = new Types.ObjectId();
  await CustomerModel.create({ _id: customerId, kind: 'enterprise', tier: 'B', name: JOINABLE.withPhone[0].holderName, phone: null });
  const now = new Date();
  const rows = [...JOINABLE.withPhone, JOINABLE.withoutPhone].map((a, i) => ({
    _id: new Types.ObjectId(),
    number: a.number,
    customerId,
    enterpriseId: null,
    holderName: a.holderName,
    phone: a.phone,
    address: a.address,
    regionId: template.regionId,
    feederId: template.feederId,
    transformerAreaId: template.transformerAreaId,
    transformerAreaName: template.transformerAreaName,
    areaType: template.areaType,
    meterNumber: `M${a.number.slice(-10)}`,
    usageCategory: i === 2 ? 'industrial' : 'commercial',
    tariffCode: i === 2 ? 'IND-TOU' : 'COM-FLAT',
    paymentMode: 'postpaid',
    supplyState: 'normal',
    balanceFen: 0,
    arrearsFen: 0,
    createdAt: now,
    updatedAt: now,
  }));
  await AccountModel.collection.insertMany(rows);
  await UserModel.updateOne({ username: 'manager01', workPhone: null }, { $set: { workPhone: JOINABLE.managerWorkPhone } });
  opts.log?.(`enterprise onboarding: ${rows.length} joinable accounts`);
}
