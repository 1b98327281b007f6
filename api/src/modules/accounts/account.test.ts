import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTrpcError, simLoginCode, startTestApi, type TestApi } from '../../testing/harness';
import { DEMO } from '../../seed/generate';
import { SmsOutboxModel } from '../notify/sms-provider';
import { AuditLogModel } from '../audit/audit.model';
import { AccountModel, EnterpriseModel } from './account.model';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 300 });
});
afterAll(async () => {
  await api?.stop();
});

async function wechatResident(simUser: string) {
  const r = await api.client().auth.wechatLogin.mutate({ code: await simLoginCode(api, simUser) });
  return api.client(r.accessToken);
}
async function webResident() {
  await api.client().auth.sendSmsCode.mutate({ phone: DEMO.residentPhone });
  const sms = await SmsOutboxModel.findOne({ phone: DEMO.residentPhone }).sort({ createdAt: -1 }).lean();
  const r = await api.client().auth.smsLogin.mutate({ phone: DEMO.residentPhone, code: sms!.text.match(/\d{6}/)![0] });
  return api.client(r.accessToken);
}
async function passwordUser(username: string) {
  const r = await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return api.client(r.accessToken);
}

describe('binding an account', () => {
  it('shows the holder masked, refuses a wrong name, binds with the right one, and lists it masked', async () => {
    const c = await wechatResident('binder-1');
    expect(await c.account.list.query()).toEqual([]);
    const found = await c.account.lookup.query({ number: DEMO.bindable.number });
    expect(found.holderNameMasked).toBe('张*国');
    // No digits of the phone on file before a code is sent to it.
    expect(found).toEqual({ number: DEMO.bindable.number, holderNameMasked: '张*国', phoneOnFile: true });
    const wrong = await expectTrpcError(c.account.bind.mutate({ number: DEMO.bindable.number, holderName: '张三', relation: 'self' }), 'BAD_REQUEST');
    expect(wrong.message).toContain('还可尝试4次');
    const bound = await c.account.bind.mutate({ number: DEMO.bindable.number, holderName: DEMO.bindable.holderName, relation: 'family' });
    expect(bound).toMatchObject({ number: DEMO.bindable.number, holderNameMasked: '张*国', relation: 'family', level: 'follow' });
    expect(bound.addressMasked).toMatch(/\*\*\*\*$/);
    const list = await c.account.list.query();
    expect(list.map((a) => a.number)).toEqual([DEMO.bindable.number]);
    expect(JSON.stringify(list)).not.toContain(DEMO.bindable.holderName);
    await expectTrpcError(
      c.account.bind.mutate({ number: DEMO.bindable.number, holderName: DEMO.bindable.holderName, relation: 'self' }),
      'CONFLICT',
    );
  });

  it('binds with a code sent to the phone on file', async () => {
    const c = await wechatResident('binder-sms');
    const sent = await c.account.sendBindCode.mutate({ number: DEMO.bindable.number });
    expect(sent.phoneMasked).toBe('139****0001');
    const sms = await SmsOutboxModel.findOne({ phone: DEMO.bindable.phone }).sort({ createdAt: -1 }).lean();
    const code = sms!.text.match(/\d{6}/)![0];
    const bound = await c.account.bindWithCode.mutate({ number: DEMO.bindable.number, code, relation: 'tenant' });
    expect(bound).toMatchObject({ relation: 'tenant', level: 'holder' });
  });

  it('stops after 5 failed verifications in an hour', async () => {
    const c = await wechatResident('binder-2');
    const number = DEMO.bindableUnpaid.number;
    for (let i = 0; i < 4; i++) {
      await expectTrpcError(c.account.bind.mutate({ number, holderName: `错${i}`, relation: 'self' }), 'BAD_REQUEST');
    }
    await expectTrpcError(c.account.bind.mutate({ number, holderName: '错误', relation: 'self' }), 'TOO_MANY_REQUESTS');
    // Even the right name is refused now.
    await expectTrpcError(c.account.bind.mutate({ number, holderName: DEMO.bindableUnpaid.holderName, relation: 'self' }), 'TOO_MANY_REQUESTS');
  });

  it('gives a clear error for a malformed or unknown number', async () => {
    const c = await wechatResident('binder-3');
    const bad = await expectTrpcError(c.account.lookup.query({ number: '123' }), 'BAD_REQUEST');
    expect(bad.message).toBe('户号为13位数字');
    await expectTrpcError(c.account.lookup.query({ number: '9999999999999' }), 'NOT_FOUND');
  });
});

describe('object-level authorization', () => {
  it("a resident sees only accounts bound to them, and not another customer's account by id", async () => {
    const c = await webResident();
    const mine = await c.account.list.query();
    expect(mine.map((a) => a.number).sort()).toEqual(DEMO.residentAccounts.map((a) => a.number).sort());
    const other = await AccountModel.findOne({ number: DEMO.bindable.number }).lean();
    await expectTrpcError(c.account.get.query({ accountId: String(other!._id) }), 'NOT_FOUND');
    await expectTrpcError(c.account.unbind.mutate({ accountId: String(other!._id) }), 'NOT_FOUND');
    expect((await c.account.get.query({ accountId: mine[0].id })).number).toBe(mine[0].number);
  });

  it("an enterprise user sees exactly their enterprise's accounts", async () => {
    const c = await passwordUser('ent_finance');
    const ent = await EnterpriseModel.findOne({ name: DEMO.enterpriseName }).lean();
    const expected = await AccountModel.find({ enterpriseId: ent!._id }).lean();
    const list = await c.account.list.query();
    expect(list.map((a) => a.number).sort()).toEqual(expected.map((a) => a.number).sort());
    expect(list.every((a) => a.relation === 'enterprise')).toBe(true);
    const other = await EnterpriseModel.findOne({ name: DEMO.otherEnterpriseName }).lean();
    const foreign = await AccountModel.findOne({ enterpriseId: other!._id }).lean();
    await expectTrpcError(c.account.get.query({ accountId: String(foreign!._id) }), 'NOT_FOUND');
    // Enterprise users cannot bind residential accounts through the resident flow.
    await expectTrpcError(c.account.lookup.query({ number: DEMO.bindable.number }), 'FORBIDDEN');
  });

  it('refuses the wrong role', async () => {
    const resident = await wechatResident('role-test');
    await expectTrpcError(resident.staff.findCustomer.query({ phone: DEMO.residentPhone }), 'FORBIDDEN');
    await expectTrpcError(resident.staff.home.query(), 'FORBIDDEN');
    const crew = await passwordUser('crew01');
    const acc = await AccountModel.findOne({ number: DEMO.bindable.number }).lean();
    await expectTrpcError(crew.staff.revealAccount.mutate({ accountId: String(acc!._id), reason: '核实地址' }), 'FORBIDDEN');
    const staff = await passwordUser('agent01');
    await expectTrpcError(staff.account.list.query(), 'FORBIDDEN');
    await expectTrpcError(api.client().account.list.query(), 'UNAUTHORIZED');
  });
});

describe('staff screen-pop and unmasking', () => {
  it('finds the caller masked and unmasks only with a reason, writing an audit entry', async () => {
    const agent = await passwordUser('agent01');
    const found = await agent.staff.findCustomer.query({ phone: DEMO.bindable.phone });
    expect(found.customers).toHaveLength(1);
    expect(found.customers[0]).toMatchObject({ nameMasked: '张*国', phoneMasked: '139****0001' });
    const accountId = found.customers[0].accounts[0].id;
    await expectTrpcError(agent.staff.revealAccount.mutate({ accountId, reason: '' }), 'BAD_REQUEST');
    expect(await AuditLogModel.countDocuments({ targetId: accountId, action: 'account.reveal_personal_data' })).toBe(0);
    const full = await agent.staff.revealAccount.mutate({ accountId, reason: '客户来电核实身份' });
    expect(full.holderName).toBe(DEMO.bindable.holderName);
    const audit = await AuditLogModel.findOne({ targetId: accountId, action: 'account.reveal_personal_data' }).lean();
    expect(audit).toMatchObject({ action: 'account.reveal_personal_data', reason: '客户来电核实身份', actorRoles: ['agent'] });
  });
});

describe('NoSQL operator injection', () => {
  it.each([
    ['account.lookup', 'GET', { number: { $ne: null } }],
    ['auth.smsLogin', 'POST', { phone: DEMO.residentPhone, code: { $ne: null } }],
    ['auth.passwordLogin', 'POST', { username: { $ne: null }, password: { $ne: null } }],
    ['auth.passwordLogin', 'POST', { username: 'agent01', password: { $gt: '' } }],
    ['auth.refresh', 'POST', { refreshToken: { $ne: null } }],
    ['staff.findCustomer', 'GET', { phone: { $regex: '.*' } }],
  ] as const)('%s with an operator object is a clear validation error', async (path, method, input) => {
    // A resident token for the resident procedure, a staff token otherwise: the validation must fail, not the role check.
    const token =
      path === 'account.lookup'
        ? (await api.client().auth.wechatLogin.mutate({ code: await simLoginCode(api, 'injector') })).accessToken
        : (await api.client().auth.passwordLogin.mutate({ username: 'supervisor01', password: DEMO.password })).accessToken;
    const res = await api.raw(path, input, { method, headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.data.code).toBe('BAD_REQUEST');
    expect(body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(JSON.stringify(body)).not.toMatch(/holderName|passwordHash|"number":"\d{13}"/);
  });
});
