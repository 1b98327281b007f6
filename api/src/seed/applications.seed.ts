/**
 * Demo service applications (业务办理) in every state, for the demo resident (phone 13800000001) and the demo
 * enterprise (filed by its power liaison ent_elec, followed by ent_admin): just submitted, at a survey with an
 * appointment, waiting for the customer's documents, late at a milestone (the SLA sweep escalates it), finished
 * and rated, finished and waiting for a rating, withdrawn, refused.
 * Every application is made through the real steps (workorders/workorder.milestones.ts); only afterwards is each
 * moved back in time as a whole, so the demo has history (a seed-only shift of its dates).
 */
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { AccountModel, EnterpriseModel } from '../modules/accounts/account.model';
import { identityKey, UserModel } from '../modules/auth/user.model';
import type { AccessClaims } from '../modules/auth/tokens';
import { DocumentFileModel } from '../modules/files/file.model';
import type { DocKind } from '../modules/applications/application.rules';
import { applicationStep, submitApplication, type NewApplicationInput } from '../modules/applications/application.service';
import { applyStep } from '../modules/workorders/workorder.service';
import { WorkOrderModel } from '../modules/workorders/workorder.model';
import { DEMO } from './generate';

const DAY = 86_400_000;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

async function claimsOf(filter: Record<string, unknown>): Promise<AccessClaims | null> {
  const u = await UserModel.findOne(filter, { kind: 1, roles: 1, enterpriseId: 1 }).lean();
  if (!u) return null;
  return { sub: String(u._id), kind: u.kind, roles: u.roles, sid: 'seed', ent: u.enterpriseId ? String(u.enterpriseId) : null, crew: null };
}

async function doc(owner: AccessClaims, kind: DocKind, name: string, pdf = false) {
  const data = pdf ? PDF : PNG;
  const d = await DocumentFileModel.create({
    ownerId: new Types.ObjectId(owner.sub),
    purpose: 'application_doc',
    name,
    mime: pdf ? 'application/pdf' : 'image/png',
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    data,
    createdAt: new Date(),
  });
  return { kind, fileId: String(d._id) };
}

/** Moves every date of the order back by `ms` (seed only: gives the demo a history). */
function shifted(v: unknown, ms: number): unknown {
  if (v instanceof Date) return new Date(v.getTime() - ms);
  if (Array.isArray(v)) return v.map((x) => shifted(x, ms));
  if (v && typeof v === 'object' && !(v instanceof Types.ObjectId) && !Buffer.isBuffer(v)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shifted(x, ms)]));
  }
  return v;
}
async function backdate(id: string, days: number) {
  const o = await WorkOrderModel.findById(id).lean();
  if (!o) return;
  await WorkOrderModel.collection.replaceOne({ _id: o._id }, shifted({ ...o, outbox: [] }, days * DAY) as never);
}

export async function seedApplications(opts: { log?: (m: string) => void } = {}) {
  const resident = await claimsOf({ identityKey: identityKey.sms(DEMO.residentPhone) });
  const [agent, supervisor, elec] = await Promise.all([
    claimsOf({ username: 'agent01' }),
    claimsOf({ username: 'supervisor01' }),
    claimsOf({ username: 'ent_elec' }),
  ]);
  if (!resident || !agent || !supervisor) return;
  const home = await AccountModel.findOne({ number: DEMO.residentAccounts[0]!.number }, { _id: 1 }).lean();
  const step = (who: AccessClaims, action: Parameters<typeof applicationStep>[1], id: string, extra: Record<string, unknown> = {}) =>
    applicationStep(who, action, { orderId: id, ...extra } as never);
  const submit = (who: AccessClaims, input: Omit<NewApplicationInput, 'channel'>, channel: 'web' | 'miniprogram' = 'web') =>
    submitApplication(who, { ...input, channel });
  const contact = { contactName: '李秀英', contactPhone: DEMO.residentPhone };
  let n = 0;

  if (home) {
    const acc = String(home._id);
    // 1. Waiting for documents: the meter test paused until the customer supplies the property certificate.
    const a1 = await submit(
      resident,
      {
        kind: 'meter_check',
        accountId: acc,
        reason: '近两个月电量明显偏高，怀疑电表计量不准',
        ...contact,
        documents: [await doc(resident, 'id_card', '身份证正面.png'), await doc(resident, 'id_card', '身份证反面.png')],
      },
      'miniprogram',
    );
    await step(agent, 'claim', a1.id);
    await step(agent, 'complete', a1.id);
    await step(agent, 'requestDocs', a1.id, { docKinds: ['property'], notes: '校表需核实户主身份，请补充房产证明或租赁合同。' });
    await backdate(a1.id, 1);
    // 2. Late at 现场勘查: accepted six days ago, the survey (2 working days) never done — the sweep escalates it.
    const a2 = await submit(resident, {
      kind: 'new_connection',
      supplyClass: 'residential',
      address: '长沙市岳麓区麓谷街道枫林三路18号3栋102',
      capacityKva: 8,
      reason: '新购住房，申请居民新装用电',
      ...contact,
      documents: [await doc(resident, 'id_card', '身份证.png'), await doc(resident, 'property', '购房合同.pdf', true)],
    });
    await step(agent, 'claim', a2.id);
    await step(agent, 'complete', a2.id, { notes: '资料齐全，予以受理' });
    await backdate(a2.id, 6);
    // 3. Finished on time and rated.
    const a3 = await submit(resident, {
      kind: 'meter_check',
      accountId: acc,
      reason: '电表显示屏闪烁，申请校验',
      ...contact,
      documents: [await doc(resident, 'id_card', '身份证.png')],
    });
    await step(agent, 'claim', a3.id);
    await step(agent, 'complete', a3.id);
    await step(agent, 'schedule', a3.id, { scheduledAt: new Date(Date.now() + 3600_000) });
    await step(agent, 'complete', a3.id, { notes: '现场校验误差+0.2%，在允许范围内' });
    await step(agent, 'complete', a3.id, { notes: '电能表计量准确，显示屏已更换' });
    await applyStep(resident, 'visit', { orderId: a3.id, stars: 5, comment: '上门及时，解释清楚' });
    await backdate(a3.id, 12);
    // 4. Just submitted.
    await submit(resident, {
      kind: 'name_change',
      accountId: acc,
      newHolderName: '李德福',
      reason: '房屋已过户给家人，申请变更户名',
      ...contact,
      documents: [await doc(resident, 'id_card', '身份证.png'), await doc(resident, 'property', '不动产权证书.pdf', true)],
    });
    // 5. Withdrawn by the customer.
    const a5 = await submit(resident, {
      kind: 'capacity_change',
      accountId: acc,
      capacityKva: 12,
      capacityDirection: 'increase',
      reason: '家中新增空调和电热水器',
      ...contact,
      documents: [await doc(resident, 'id_card', '身份证.png')],
    });
    await step(resident, 'withdraw', a5.id, { notes: '改用节能电器，暂不增容' });
    await backdate(a5.id, 20);
    n += 5;
  }

  if (elec) {
    const ent = await EnterpriseModel.findOne({ name: DEMO.enterpriseName }, { _id: 1 }).lean();
    const u = await UserModel.findById(elec.sub, { siteAccountIds: 1 }).lean();
    const sites = (u as { siteAccountIds?: Types.ObjectId[] } | null)?.siteAccountIds ?? [];
    const site = await AccountModel.findOne(sites.length ? { _id: { $in: sites } } : { enterpriseId: ent?._id }, { _id: 1 }).lean();
    const entContact = { contactName: '陈电工', contactPhone: '13900000035' };
    const entDocs = async () => [await doc(elec, 'licence', '营业执照.pdf', true), await doc(elec, 'authorisation', '授权委托书.pdf', true)];
    if (site) {
      // 6. 增容 at the survey, with an appointment.
      const e1 = await submit(elec, {
        kind: 'capacity_change',
        accountId: String(site._id),
        capacityKva: 630,
        capacityDirection: 'increase',
        reason: '二号厂房新增注塑生产线，需增容至630千伏安',
        ...entContact,
        documents: await entDocs(),
      });
      await step(agent, 'claim', e1.id);
      await step(agent, 'complete', e1.id, { notes: '资料齐全，予以受理' });
      await step(agent, 'schedule', e1.id, { scheduledAt: new Date(Date.now() + 2 * DAY), notes: '请安排电工在厂区配电室等候' });
      await backdate(e1.id, 1);
      // 7. Refused (a supervisor's decision, with its reason).
      const e3 = await submit(elec, {
        kind: 'name_change',
        accountId: String(site._id),
        newHolderName: '长沙星城智能制造有限公司',
        reason: '公司更名',
        ...entContact,
        documents: [...(await entDocs()), await doc(elec, 'property', '租赁合同.pdf', true)],
      });
      await step(supervisor, 'refuse', e3.id, { reason: '新名称的营业执照尚未办理完成，请取得新执照后重新申请' });
      await backdate(e3.id, 8);
    }
    // 8. High-voltage new connection at 答复供电方案 (15 working days).
    const e2 = await submit(elec, {
      kind: 'new_connection',
      supplyClass: 'hv_single',
      address: '长沙市望城区金星北路智造产业园C区',
      capacityKva: 2000,
      reason: '新建三号厂房，申请10千伏单电源供电',
      ...entContact,
      documents: [...(await entDocs()), await doc(elec, 'property', '土地使用证明.pdf', true)],
    });
    await step(agent, 'claim', e2.id);
    await step(agent, 'complete', e2.id, { notes: '资料齐全，予以受理' });
    await step(agent, 'complete', e2.id, { notes: '现场勘查完成，具备10千伏接入条件' });
    await backdate(e2.id, 4);
    // 9. Finished, waiting for the enterprise's rating (a 减容 changes no account number).
    if (site) {
      const e4 = await submit(elec, {
        kind: 'capacity_change',
        accountId: String(site._id),
        capacityKva: 200,
        capacityDirection: 'decrease',
        reason: '一号厂房旧生产线停用，申请减容至200千伏安',
        ...entContact,
        documents: await entDocs(),
      });
      await step(agent, 'claim', e4.id);
      for (const note of ['资料齐全，予以受理', '现场勘查完成，核定减容后容量200千伏安', '已更换计量装置，表计运行正常'])
        await step(agent, 'complete', e4.id, { notes: note });
      await backdate(e4.id, 9);
    }
    n += 4;
  }
  opts.log?.(`applications: ${n} demo applications`);
}
