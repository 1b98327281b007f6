/**
 * Object-level rules of the access table (SPEC §6a), tried as the people who would try them: two residents
 * on one account, an enterprise user outside their site scope, a crew assigned or not, the desk roles and
 * nobody at all. Real API over HTTP, real database.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTrpcError, simLoginCode, startTestApi, type TestApi } from '../testing/harness';
import { DEMO } from '../seed/generate';
import { SmsOutboxModel } from '../modules/notify/sms-provider';
import { AuditLogModel } from '../modules/audit/audit.model';
import { AccountModel, EnterpriseModel } from '../modules/accounts/account.model';
import { UserModel } from '../modules/auth/user.model';
import { SmsCodeModel } from '../modules/auth/session.model';
import { PaymentModel } from '../modules/billing/billing.model';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 200 });
});
afterAll(async () => {
  await api?.stop();
});

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
type Client = ReturnType<TestApi['client']>;

async function wechatResident(simUser: string): Promise<Client> {
  const r = await api.client().auth.wechatLogin.mutate({ code: await simLoginCode(api, simUser) });
  return api.client(r.accessToken);
}
async function staff(username: string): Promise<Client> {
  const r = await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return api.client(r.accessToken);
}
async function bindWithCode(c: Client, number: string, phone: string, relation: 'self' | 'family' | 'tenant') {
  // The 60-second resend wait belongs to the phone, not to this test: age earlier codes past it.
  await SmsCodeModel.updateMany({ phone }, { $set: { createdAt: new Date(Date.now() - 61_000) } });
  await c.account.sendBindCode.mutate({ number });
  const sms = await SmsOutboxModel.findOne({ phone }).sort({ createdAt: -1 }).lean();
  return c.account.bindWithCode.mutate({ number, code: sms!.text.match(/\d{6}/)![0], relation });
}

describe('two residents bind the same account', () => {
  let holder: Client;
  let follower: Client;
  let accountId: string;
  let orderId: string;
  let paymentId: string;

  beforeAll(async () => {
    holder = await wechatResident('same-account-holder');
    follower = await wechatResident('same-account-follower');
    const bound = await bindWithCode(holder, DEMO.bindable.number, DEMO.bindable.phone, 'self');
    expect(bound.level).toBe('holder');
    accountId = bound.id;
    const photo = await holder.workorder.uploadPhoto.mutate({ dataUrl: PNG });
    const order = await holder.workorder.create.mutate({
      type: 'fault_repair',
      accountId,
      faultKind: 'whole_house_outage',
      description: '家里整户没电了，邻居有电',
      photos: [photo.id],
    });
    orderId = order.id;
    // A settled payment the holder made (as the WeChat Pay flow leaves it).
    const acc = await AccountModel.findById(accountId).lean();
    const me = await holder.auth.me.query();
    const p = await PaymentModel.create({
      outTradeNo: `PWT${Date.now()}`,
      accountId: acc!._id,
      accountNumber: acc!.number,
      userId: new Types.ObjectId(me.id),
      purpose: 'recharge',
      channel: 'native',
      appid: api.cfg.WECHAT_APPID,
      mchid: '1900000001',
      amountFen: 5000,
      status: 'paid',
      paidAt: new Date(),
      expiresAt: new Date(Date.now() + 1800_000),
    } as Record<string, unknown>);
    paymentId = String(p._id);
  });

  it("the second, bound by name only, follows the account: bills yes, the first one's order, photos and rating no", async () => {
    const bound = await follower.account.bind.mutate({ number: DEMO.bindable.number, holderName: DEMO.bindable.holderName, relation: 'family' });
    expect(bound).toMatchObject({ id: accountId, level: 'follow' });
    expect(Array.isArray(await follower.billing.bills.query({ accountId }))).toBe(true);
    await expectTrpcError(follower.workorder.get.query({ orderId }), 'NOT_FOUND');
    await expectTrpcError(follower.workorder.photoLinks.query({ orderId }), 'NOT_FOUND');
    await expectTrpcError(follower.workorder.rate.mutate({ orderId, stars: 1 }), 'NOT_FOUND');
    expect((await follower.workorder.mine.query()).map((o) => o.id)).not.toContain(orderId);
    // The account's payments and settings need the 户主 level; the holder's receipt is never theirs.
    const needs = await expectTrpcError(follower.billing.payments.query({ accountId }), 'FORBIDDEN');
    expect(needs.message).toContain('户主');
    await expectTrpcError(follower.billing.paymentStatus.query({ paymentId }), 'NOT_FOUND');
    await expectTrpcError(follower.billing.documentLink.mutate({ paymentId, kind: 'receipt' }), 'NOT_FOUND');
    await expectTrpcError(follower.billing.requestInvoice.mutate({ paymentId, title: { type: 'personal', name: '李四' } }), 'NOT_FOUND');
  });

  it("upgrading to 户主 by the code to the phone on file still shows neither the other one's order nor their receipt", async () => {
    // The code form's relation default does not overwrite what they said when binding (家属).
    const up = await bindWithCode(follower, DEMO.bindable.number, DEMO.bindable.phone, 'self');
    expect(up).toMatchObject({ id: accountId, level: 'holder', relation: 'family' });
    expect((await follower.account.list.query()).find((a) => a.id === accountId)?.level).toBe('holder');
    await expectTrpcError(follower.workorder.get.query({ orderId }), 'NOT_FOUND');
    await expectTrpcError(follower.workorder.photoLinks.query({ orderId }), 'NOT_FOUND');
    await expectTrpcError(follower.workorder.rate.mutate({ orderId, stars: 1 }), 'NOT_FOUND');
    // As 户主 they see that the account was paid, not who paid, and get no document of it.
    const history = await follower.billing.payments.query({ accountId });
    expect(history.map((p) => p.id)).toContain(paymentId);
    expect((await follower.billing.paymentStatus.query({ paymentId })).id).toBe(paymentId);
    await expectTrpcError(follower.billing.requestInvoice.mutate({ paymentId, title: { type: 'personal', name: '李四' } }), 'NOT_FOUND');
    expect(await AuditLogModel.countDocuments({ action: 'account.bind_upgrade', targetId: accountId })).toBe(1);
  });

  it('the one who filed and paid keeps their order, photos and invoice', async () => {
    expect((await holder.workorder.get.query({ orderId })).id).toBe(orderId);
    expect(await holder.workorder.photoLinks.query({ orderId })).toHaveLength(1);
    const inv = await holder.billing.requestInvoice.mutate({ paymentId, title: { type: 'personal', name: '张建国' } });
    expect(inv.invoiceNo).toBeTruthy();
  });

  it('no staff role issues the invoice, changes thresholds or starts a payment for the customer', async () => {
    for (const who of ['crew01', 'agent01', 'supervisor01', 'admin01']) {
      const s = await staff(who);
      await expectTrpcError(s.billing.requestInvoice.mutate({ paymentId, title: { type: 'personal', name: '冒名' } }), 'FORBIDDEN');
      await expectTrpcError(s.billing.setAlertThresholds.mutate({ accountId, thresholdsYuan: [50, 10] }), 'FORBIDDEN');
      await expectTrpcError(s.billing.createPayment.mutate({ accountId, channel: 'native', amountFen: 1000 }), 'FORBIDDEN');
    }
    // A crew reads no bills, payments or customers; the desk reads bills masked; billing roles read payments.
    const crew = await staff('crew01');
    await expectTrpcError(crew.billing.bills.query({ accountId }), 'FORBIDDEN');
    await expectTrpcError(crew.billing.paymentStatus.query({ paymentId }), 'FORBIDDEN');
    await expectTrpcError(crew.staff.findCustomer.query({ phone: DEMO.bindable.phone }), 'FORBIDDEN');
    const agent = await staff('agent01');
    expect(Array.isArray(await agent.billing.bills.query({ accountId }))).toBe(true);
    expect((await agent.billing.paymentStatus.query({ paymentId })).id).toBe(paymentId);
    const expert = await staff('expert01');
    await expectTrpcError(expert.billing.paymentStatus.query({ paymentId }), 'FORBIDDEN');
  });
});

describe('crew assigned or not', () => {
  it('the assigned crew sees the street address and a phone to call (audited); an unassigned order is not found', async () => {
    const resident = await wechatResident('crew-case-resident');
    const bound = await bindWithCode(resident, DEMO.bindableUnpaid.number, DEMO.bindableUnpaid.phone, 'self');
    const assigned = await resident.workorder.create.mutate({
      type: 'fault_repair',
      accountId: bound.id,
      faultKind: 'flicker',
      description: '灯一直在闪，电压不稳',
    });
    const other = await resident.workorder.create.mutate({
      type: 'fault_repair',
      accountId: bound.id,
      faultKind: 'meter_problem',
      description: '电表显示异常，数字乱跳',
    });
    const crewUser = await UserModel.findOne({ username: 'crew01' }).lean();
    const dispatcher = await staff('dispatcher01');
    await dispatcher.workorder.dispatch.mutate({ orderId: assigned.id, crewId: String(crewUser!.crewId), overCapacity: true });

    const crew = await staff('crew01');
    const seen = await crew.workorder.get.query({ orderId: assigned.id });
    const account = await AccountModel.findById(bound.id).lean();
    expect(seen.fieldContact).toEqual({ name: DEMO.bindableUnpaid.holderName, phone: DEMO.bindableUnpaid.phone, address: account!.address });
    expect(await AuditLogModel.countDocuments({ action: 'order.field_contact_read', targetId: assigned.id, actorId: String(crewUser!._id) })).toBe(1);
    await expectTrpcError(crew.workorder.get.query({ orderId: other.id }), 'NOT_FOUND');
    await expectTrpcError(crew.workorder.photoLinks.query({ orderId: other.id }), 'NOT_FOUND');
    await expectTrpcError(crew.outage.forIncident.query({ orderId: other.id }), 'NOT_FOUND');
    expect(await crew.outage.forIncident.query({ orderId: assigned.id })).toBeNull();
    // The desk sees both, masked, without the field contact.
    const agent = await staff('agent01');
    const desk = await agent.workorder.get.query({ orderId: other.id });
    expect(desk.fieldContact).toBeNull();
    expect(desk.contactPhoneMasked).toMatch(/\*{4}/);
    // The resident sees their own orders, without staff-only contact data.
    expect((await resident.workorder.get.query({ orderId: assigned.id })).fieldContact).toBeNull();
  });
});

describe('enterprise users within role and site scope', () => {
  it('a power liaison limited to one site reaches only that site, and no bills anywhere', async () => {
    const ent = await EnterpriseModel.findOne({ name: DEMO.enterpriseName }).lean();
    const sites = await AccountModel.find({ enterpriseId: ent!._id }).sort({ number: 1 }).limit(2).lean();
    expect(sites).toHaveLength(2);
    const [inside, outside] = sites.map((s) => String(s._id));
    await UserModel.updateOne({ username: 'ent_elec' }, { $set: { siteAccountIds: [sites[0]._id] } });
    const elec = await staff('ent_elec');
    expect((await elec.account.list.query()).map((a) => a.id)).toEqual([inside]);
    await expectTrpcError(elec.account.get.query({ accountId: outside }), 'NOT_FOUND');
    await expectTrpcError(
      elec.workorder.create.mutate({
        type: 'fault_repair',
        accountId: outside,
        faultKind: 'whole_house_outage',
        description: '车间整体停电，请尽快处理',
      }),
      'NOT_FOUND',
    );
    const filed = await elec.workorder.create.mutate({
      type: 'fault_repair',
      accountId: inside,
      faultKind: 'whole_house_outage',
      description: '车间整体停电，请尽快处理',
    });
    expect((await elec.workorder.get.query({ orderId: filed.id })).id).toBe(filed.id);
    await expectTrpcError(elec.billing.bills.query({ accountId: inside }), 'FORBIDDEN');
    await expectTrpcError(elec.billing.createPayment.mutate({ accountId: inside, channel: 'native' }), 'FORBIDDEN');
    // Their own company's name is theirs to read in full.
    expect((await elec.account.get.query({ accountId: inside })).holderNameMasked).toBe(sites[0].holderName);
    // The scope change is read on the next request: widening it shows the second site at once.
    await UserModel.updateOne({ username: 'ent_elec' }, { $unset: { siteAccountIds: 1 } });
    expect((await elec.account.get.query({ accountId: outside })).id).toBe(outside);
    // Finance sees the bills but files no fault report.
    const finance = await staff('ent_finance');
    expect(Array.isArray(await finance.billing.bills.query({ accountId: outside }))).toBe(true);
    await expectTrpcError(
      finance.workorder.create.mutate({
        type: 'fault_repair',
        accountId: inside,
        faultKind: 'whole_house_outage',
        description: '车间整体停电，请尽快处理',
      }),
      'FORBIDDEN',
    );
    // Another enterprise's admin reaches none of it.
    const stranger = await staff('other_ent_admin');
    await expectTrpcError(stranger.account.get.query({ accountId: inside }), 'NOT_FOUND');
    await expectTrpcError(stranger.workorder.get.query({ orderId: filed.id }), 'NOT_FOUND');
  });
});

describe('guessing is slow', () => {
  it('6 failed binds on one account from 6 different users: the 6th is stopped before the name is checked', async () => {
    const number = DEMO.payFor.number;
    for (let i = 0; i < 5; i++) {
      const c = await wechatResident(`guesser-${i}`);
      // Each user has tries left of their own; the fifth failure on the account uses up the account's.
      await expectTrpcError(c.account.bind.mutate({ number, holderName: `赵${i}兰`, relation: 'self' }), i < 4 ? 'BAD_REQUEST' : 'TOO_MANY_REQUESTS');
    }
    const sixth = await wechatResident('guesser-5');
    const stopped = await expectTrpcError(
      sixth.account.bind.mutate({ number, holderName: DEMO.payFor.holderName, relation: 'self' }),
      'TOO_MANY_REQUESTS',
    );
    expect(stopped.message).toContain('该户号验证失败次数过多');
    // The real holder can still bind with the code sent to the phone on file.
    expect((await bindWithCode(sixth, number, DEMO.payFor.phone, 'self')).level).toBe('holder');
  });

  it('lookups by a bare number are counted per person, whichever procedure asks', async () => {
    const c = await wechatResident('lookup-counter');
    for (let i = 0; i < 10; i++) await c.account.lookup.query({ number: DEMO.bindable.number });
    for (let i = 0; i < 10; i++) await c.billing.payFor.query({ number: DEMO.payFor.number });
    for (let i = 0; i < 10; i++) await c.outage.byAccountNumber.query({ number: DEMO.bindable.number });
    const refused = await expectTrpcError(c.account.lookup.query({ number: DEMO.bindable.number }), 'TOO_MANY_REQUESTS');
    expect(refused.message).toMatch(/分钟后再试/);
    await expectTrpcError(c.outage.byAccountNumber.query({ number: DEMO.bindable.number }), 'TOO_MANY_REQUESTS');
    // Someone else is not slowed down by it.
    expect((await (await wechatResident('lookup-other')).account.lookup.query({ number: DEMO.bindable.number })).phoneOnFile).toBe(true);
  });

  it('nobody signed in reaches no account, order or payment', async () => {
    const anon = api.client();
    await expectTrpcError(anon.account.list.query(), 'UNAUTHORIZED');
    await expectTrpcError(anon.billing.payFor.query({ number: DEMO.payFor.number }), 'UNAUTHORIZED');
    await expectTrpcError(anon.workorder.get.query({ orderId: String(new Types.ObjectId()) }), 'UNAUTHORIZED');
    expect((await anon.outage.byAccountNumber.query({ number: DEMO.bindable.number })).number).toBe(DEMO.bindable.number);
  });
});
