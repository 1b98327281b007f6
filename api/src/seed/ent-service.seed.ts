import { EnterpriseModel } from '../modules/accounts/account.model';
import { UserModel } from '../modules/auth/user.model';
import { EnterpriseThreadMessageModel, EnterpriseThreadModel, EnterpriseThreadReadModel } from '../modules/enterprise-messages/thread.model';
import { DEMO } from './generate';

/**
 * ent-service demo data: the account manager's work phone (a desk number, never a personal one) and an
 * earlier, answered conversation in 长沙星城制造's thread, so /home/manager and 企业消息 open on real history.
 * Nothing is left unanswered: the 30-minute warning fires only for what a tester writes.
 */
export async function seedEnterpriseService(opts: { log?: (m: string) => void } = {}) {
  // ent-people's seed may have set it already (same number for both lanes' pages): only when missing.
  await UserModel.updateOne({ username: 'manager01', workPhone: null }, { $set: { workPhone: '0731-88886001' } });
  const manager = await UserModel.findOne({ username: 'manager01' }, { _id: 1, displayName: 1 }).lean();
  const ent = await EnterpriseModel.findOne({ name: DEMO.enterpriseName }, { _id: 1 }).lean();
  const admin = await UserModel.findOne({ username: 'ent_admin' }, { _id: 1, displayName: 1 }).lean();
  if (!manager || !ent || !admin) return;
  const day = 86_400_000;
  const at = (daysAgo: number, hh: number, mm: number) => {
    const d = new Date(Date.now() - daysAgo * day);
    const local = new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    return new Date(`${local}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+08:00`);
  };
  const msgs = [
    {
      side: 'customer',
      who: admin,
      role: 'enterprise_admin',
      text: '何经理您好，我们二号厂房下个月要上一条新产线，变压器容量可能不够，想咨询一下增容怎么办理。',
      at: at(3, 9, 12),
    },
    {
      side: 'manager',
      who: manager,
      role: 'account_manager',
      text: '王经理您好！增容可以在“业务办理”里在线申请，需要营业执照和用电设备清单。我明天上午到厂里现场看一下负荷情况，再给您具体方案。',
      at: at(3, 9, 31),
    },
    { side: 'customer', who: admin, role: 'enterprise_admin', text: '好的，明天上午十点厂区门口见。', at: at(3, 9, 40) },
    { side: 'manager', who: manager, role: 'account_manager', text: '收到，明天见。', at: at(3, 9, 52) },
  ] as const;
  const thread = await EnterpriseThreadModel.create({
    enterpriseId: ent._id,
    seq: msgs.length,
    lastMessageAt: msgs[msgs.length - 1].at,
    lastSide: 'manager',
    lastPreview: msgs[msgs.length - 1].text.slice(0, 60),
    waitingSince: null,
    waitingDueAt: null,
    managerReadSeq: msgs.length,
    customerReadSeq: msgs.length,
  });
  await EnterpriseThreadMessageModel.insertMany(
    msgs.map((m, i) => ({
      key: `seed:${ent._id}:${i + 1}`,
      threadId: thread._id,
      enterpriseId: ent._id,
      seq: i + 1,
      side: m.side,
      authorId: m.who._id,
      authorName: m.who.displayName,
      authorRole: m.role,
      text: m.text,
      attachmentIds: [],
      createdAt: m.at,
      replyDueAt: m.side === 'customer' ? new Date(m.at.getTime() + 30 * 60_000) : null,
      answeredAt: m.side === 'customer' ? msgs[i + 1].at : null,
      warnedAt: null,
    })),
  );
  await EnterpriseThreadReadModel.insertMany([
    { threadId: thread._id, userId: manager._id, lastReadSeq: msgs.length },
    { threadId: thread._id, userId: admin._id, lastReadSeq: msgs.length },
  ]);
  opts.log?.('ent-service: account manager work phone and a demo conversation');
}
