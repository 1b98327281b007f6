import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTrpcError, startTestApi, type TestApi } from '../../testing/harness';
import { DEMO } from '../../seed/generate';
import { SmsOutboxModel } from '../notify/sms-provider';
import { AccountModel } from '../accounts/account.model';
import { CustomerNoticeModel } from '../notify/customer-notice';
import { WorkOrderModel } from '../workorders/workorder.model';
import { sweepSlaMarks } from '../../jobs/sla-sweep';

let api: TestApi;
type Client = ReturnType<TestApi['client']>;
let resident: Client;
let agent: Client;
let supervisor: Client;
let dispatcher: Client;
let entElec: Client;
let entAdmin: Client;
let entFinance: Client;
let otherEnt: Client;
let accountId: string;

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PDF = `data:application/pdf;base64,${Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1').toString('base64')}`;
const EXE = `data:application/pdf;base64,${Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]).toString('base64')}`;

async function login(username: string) {
  const r = await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return api.client(r.accessToken);
}
async function smsResident() {
  await api.client().auth.sendSmsCode.mutate({ phone: DEMO.residentPhone });
  const sms = await SmsOutboxModel.findOne({ phone: DEMO.residentPhone }).sort({ createdAt: -1 }).lean();
  const r = await api.client().auth.smsLogin.mutate({ phone: DEMO.residentPhone, code: sms!.text.match(/\d{6}/)![0] });
  return api.client(r.accessToken);
}
const upload = (c: Client, name: string, dataUrl: string) => c.files.upload.mutate({ purpose: 'application_doc', name, dataUrl });

beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 200 });
  resident = await smsResident();
  [agent, supervisor, dispatcher, entElec, entAdmin, entFinance, otherEnt] = await Promise.all(
    ['agent01', 'supervisor01', 'dispatcher01', 'ent_elec', 'ent_admin', 'ent_finance', 'other_ent_admin'].map(login),
  );
  accountId = String((await AccountModel.findOne({ number: DEMO.residentAccounts[0]!.number }).lean())!._id);
});
afterAll(async () => {
  await api?.stop();
});

describe('a resident’s meter check, documents requested and supplied, finished on time and rated', () => {
  it('runs every milestone on the one work order, pausing the clock while documents are awaited', async () => {
    // An executable renamed .pdf is refused by its content, with a clear Chinese message.
    const bad = await expectTrpcError(upload(resident, '身份证.pdf', EXE), 'BAD_REQUEST');
    expect(bad.message).toMatch(/可执行程序.*不是图片或 PDF/);

    const [front, back] = await Promise.all([upload(resident, '身份证正面.png', PNG), upload(resident, '身份证反面.png', PNG)]);
    const missing = await expectTrpcError(
      resident.application.submit.mutate({
        kind: 'meter_check',
        accountId,
        reason: '电表走字偏快',
        contactName: '李秀英',
        contactPhone: DEMO.residentPhone,
        documents: [],
        channel: 'miniprogram',
      }),
      'BAD_REQUEST',
    );
    expect(missing.message).toBe('请上传身份证');
    const { id, orderNo } = await resident.application.submit.mutate({
      kind: 'meter_check',
      accountId,
      reason: '电表走字偏快，怀疑计量不准',
      contactName: '李秀英',
      contactPhone: DEMO.residentPhone,
      documents: [
        { kind: 'id_card', fileId: front.id },
        { kind: 'id_card', fileId: back.id },
      ],
      channel: 'miniprogram',
    });
    expect(orderNo).toMatch(/^GD/);
    // One engine order: a service request of subtype meter_check, on the live queue, its deadline the milestone's.
    const order = await WorkOrderModel.findById(id).lean();
    expect(order).toMatchObject({ type: 'service_request', subtype: 'meter_check', status: 'received' });
    expect(new Date(order!.nextDeadline!.dueAt).getTime()).toBe(new Date(order!.application!.milestones[0]!.dueAt!).getTime());

    let v = await resident.application.get.query({ id });
    expect(v.milestones.map((m) => m.label)).toEqual(['受理', '现场校验', '答复校验结果']);
    expect(v.promiseLabel).toContain('5个工作日');
    expect(v.turnLabel).toBe('供电公司');
    expect(v.actions).toContain('withdraw');

    // The generic engine steps do not move an application.
    await expectTrpcError(agent.workorder.claim.mutate({ orderId: id }), 'CONFLICT');

    v = await agent.application.claim.mutate({ orderId: id, version: v.version });
    v = await agent.application.complete.mutate({ orderId: id, version: v.version });
    expect(v.currentLabel).toBe('现场校验');
    v = await agent.application.requestDocs.mutate({ orderId: id, version: v.version, docKinds: ['property'], notes: '请补充房产证明' });
    const paused = await resident.application.get.query({ id });
    expect(paused.phaseLabel).toBe('待您补充资料');
    expect(paused.turnLabel).toBe('您');
    expect(paused.milestones[1]!.state).toBe('paused');
    expect(paused.milestones[1]!.daysLeftLabel).toMatch(/计时已暂停/);
    expect((await WorkOrderModel.findById(id).lean())!.pausedAt).not.toBeNull();
    // Staff cannot complete a milestone while the customer's turn.
    await expectTrpcError(agent.application.complete.mutate({ orderId: id, notes: 'x' }), 'CONFLICT');

    const deed = await upload(resident, '房产证.pdf', PDF);
    v = await resident.application.supplyDocs.mutate({ orderId: id, version: paused.version, documents: [{ kind: 'property', fileId: deed.id }] });
    expect(v.phaseLabel).toBe('办理中');
    expect(v.documents.map((d) => d.kindLabel)).toEqual(['身份证', '身份证', '房产证明或租赁合同']);

    v = await agent.application.complete.mutate({ orderId: id, version: v.version, notes: '现场校验误差+0.3%，在允许范围内' });
    v = await agent.application.complete.mutate({ orderId: id, version: v.version, notes: '电能表计量准确，无需退补电费' });
    const done = await resident.application.get.query({ id });
    expect(done.phaseLabel).toBe('已办结');
    expect(done.milestones.every((m) => m.state === 'done' && !m.late)).toBe(true);
    expect(done.onTimeLabel).toBe('各环节均按时完成');
    expect(done.canRate).toBe(true);
    // The existing return-visit rating path.
    await resident.workorder.rate.mutate({ orderId: id, stars: 5, comment: '很快' });
    const rated = await resident.application.get.query({ id });
    expect(rated.rating?.stars).toBe(5);
    expect(rated.canRate).toBe(false);
    const kinds = (await CustomerNoticeModel.find({ orderId: order!._id }).lean()).map((n) => n.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['application.create', 'application.requestDocs', 'application.supplyDocs', 'application.complete']),
    );
  });
});

describe('who may open an application’s documents', () => {
  it('the applicant, their enterprise admin and liaison, the business desk; not finance, another enterprise, a dispatcher or another person', async () => {
    const licence = await upload(entElec, '营业执照.pdf', PDF);
    const letter = await upload(entElec, '授权委托书.pdf', PDF);
    const entAccount = { _id: (await entElec.account.list.query())[0]!.id };
    // Another person's upload cannot be attached.
    await expectTrpcError(
      entAdmin.application.submit.mutate({
        kind: 'capacity_change',
        accountId: String(entAccount!._id),
        capacityKva: 400,
        capacityDirection: 'increase',
        reason: '新增生产线',
        contactName: '陈电工',
        contactPhone: '13900000000',
        documents: [
          { kind: 'licence', fileId: licence.id },
          { kind: 'authorisation', fileId: letter.id },
        ],
      }),
      'BAD_REQUEST',
    );
    const { id } = await entElec.application.submit.mutate({
      kind: 'capacity_change',
      accountId: String(entAccount!._id),
      capacityKva: 400,
      capacityDirection: 'increase',
      reason: '新增生产线',
      contactName: '陈电工',
      contactPhone: '13900000000',
      documents: [
        { kind: 'licence', fileId: licence.id },
        { kind: 'authorisation', fileId: letter.id },
      ],
    });
    for (const c of [entElec, entAdmin, agent, supervisor]) {
      const links = await c.application.documentLinks.query({ id });
      expect(links.map((l) => l.name)).toEqual(['营业执照.pdf', '授权委托书.pdf']);
    }
    const links = await entAdmin.application.documentLinks.query({ id });
    const res = await fetch(`${api.url}${links[0]!.url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    for (const c of [entFinance, otherEnt, resident, dispatcher])
      await expectTrpcError(c.application.documentLinks.query({ id }), c === entFinance || c === dispatcher ? 'FORBIDDEN' : 'NOT_FOUND');
    // The enterprise admin follows the same tracker.
    const v = await entAdmin.application.get.query({ id });
    expect(v.kindLabel).toBe('增容');
    expect(v.milestones.map((m) => m.label)).toEqual(['受理', '现场勘查', '装表接电']);
  });
});

describe('late at one milestone', () => {
  it('is escalated by the SLA sweep, shown to the customer with its reason, and the application is not on time', async () => {
    const id1 = await upload(resident, '身份证.png', PNG);
    const p = await upload(resident, '租赁合同.pdf', PDF);
    const { id } = await resident.application.submit.mutate({
      kind: 'new_connection',
      address: '长沙市岳麓区麓谷街道1号',
      capacityKva: 8,
      reason: '新房装表',
      contactName: '李秀英',
      contactPhone: DEMO.residentPhone,
      documents: [
        { kind: 'id_card', fileId: id1.id },
        { kind: 'property', fileId: p.id },
      ],
    });
    const o = await WorkOrderModel.findById(id).lean();
    const r = await sweepSlaMarks({ now: new Date(new Date(o!.nextDeadline!.dueAt).getTime() + 60_000) });
    expect(r.fired).toBeGreaterThanOrEqual(1);
    const after = await WorkOrderModel.findById(id).lean();
    expect(after!.escalatedAt).not.toBeNull();
    expect(after!.timeline.some((t) => t.action === 'sla_overdue')).toBe(true);
    // Acceptance completed late (the real clock is before the due time, so make it late in the record).
    await WorkOrderModel.updateOne({ _id: o!._id }, { $set: { 'application.milestones.0.dueAt': new Date(Date.now() - 3600_000) } });
    let v = await resident.application.get.query({ id });
    expect(v.late[0]!.reason).toMatch(/受理应于.*已超出承诺时限，已督办/);
    v = await agent.application.complete.mutate({ orderId: id, version: v.version });
    for (const _ of [1, 2]) v = await agent.application.complete.mutate({ orderId: id, version: v.version, notes: '完成' });
    expect(v.phaseLabel).toBe('已办结');
    expect(v.onTimeLabel).toBe('有环节超出承诺时限');
    expect(v.milestones[0]!.late).toBe(true);
    // The installation created the metering account, bound to the applicant.
    expect(v.resultAccountNumber).toMatch(/^\d{13}$/);
    expect(await AccountModel.countDocuments({ number: v.resultAccountNumber })).toBe(1);
  });

  it('a refusal needs a supervisor; the customer withdraws before installation', async () => {
    const doc = await upload(resident, '身份证.png', PNG);
    const mk = () =>
      resident.application.submit.mutate({
        kind: 'meter_check',
        accountId,
        reason: '校验电表',
        contactName: '李秀英',
        contactPhone: DEMO.residentPhone,
        documents: [{ kind: 'id_card', fileId: doc.id }],
      });
    const a1 = await mk();
    await expectTrpcError(agent.application.refuse.mutate({ orderId: a1.id, reason: '不在供电范围' }), 'FORBIDDEN');
    const refused = await supervisor.application.refuse.mutate({ orderId: a1.id, reason: '该户号已有校表申请在办理' });
    expect(refused.phaseLabel).toBe('未予受理');
    const a2 = await mk();
    const w = await resident.application.withdraw.mutate({ orderId: a2.id });
    expect(w.phaseLabel).toBe('已撤回');
    // Judged as it stood when it ended: an unfinished milestone of a withdrawn application is never "late" later.
    await WorkOrderModel.updateOne(
      { _id: a2.id },
      { $set: { 'application.endedAt': new Date(Date.now() - 7200_000), 'application.milestones.0.dueAt': new Date(Date.now() - 3600_000) } },
    );
    const later = await resident.application.get.query({ id: a2.id });
    expect(later.late).toEqual([]);
    expect(later.currentLabel).toBeNull();
    expect(later.actions).toEqual([]);
    expect((await WorkOrderModel.findById(a2.id).lean())!.status).toBe('closed');
  });
});
