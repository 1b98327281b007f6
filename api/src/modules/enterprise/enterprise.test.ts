import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../seed/generate';
import { JOINABLE } from '../../seed/enterprise-people.seed';
import { expectTrpcError, startTestApi, type TestApi } from '../../testing/harness';
import { AccountModel, EnterpriseModel } from '../accounts/account.model';
import { AuditLogModel } from '../audit/audit.model';
import { UserModel } from '../auth/user.model';
import { usccCheckChar } from '../billing/documents.rules';
import { SmsOutboxModel } from '../notify/sms-provider';
import { InviteModel, JoinRequestModel } from './enterprise.model';
import { checkMemberChange, enterpriseStatusOf, holderNameFor } from './enterprise.rules';
import { invoiceTitleOf } from './enterprise.service';
import { ENTERPRISE_STATUS_LABELS, INVITE_STATUS_LABELS, JOIN_REQUEST_STATUS_LABELS } from '../../shared/labels';
import { ENTERPRISE_STATUSES, INVITE_STATUSES, JOIN_REQUEST_STATUSES } from './enterprise.rules';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 60 });
});
afterAll(async () => {
  await api?.stop();
});

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(17)]);
const pngUrl = `data:image/png;base64,${PNG.toString('base64')}`;

/** A valid unified social credit code (GB 32100) from 17 characters. */
const uscc = (first17: string) => first17 + usccCheckChar(first17);

async function lastCode(phone: string): Promise<string> {
  const sms = await SmsOutboxModel.findOne({ phone }).sort({ createdAt: -1 }).lean();
  return sms!.text.match(/\d{6}/)![0];
}
async function staff(username: string) {
  const r = await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return api.client(r.accessToken);
}
async function phoneLogin(phone: string, password: string) {
  const r = await api.client().auth.passwordLogin.mutate({ username: phone, password });
  return api.client(r.accessToken);
}

const APPLICANT = { phone: '13700001111', password: 'Qiye2026ok', contactName: '周建华', companyName: '长沙岳麓精密机械有限公司' };
const CREDIT = uscc('91430104MA4PQ8N7X');

describe('enterprise onboarding and people', () => {
  let admin: ReturnType<TestApi['client']>;
  let enterpriseId: string;
  let plantedAccountId: string;

  it('keeps one label per status the module stores', () => {
    expect(Object.keys(ENTERPRISE_STATUS_LABELS).sort()).toEqual([...ENTERPRISE_STATUSES].sort());
    expect(Object.keys(JOIN_REQUEST_STATUS_LABELS).sort()).toEqual([...JOIN_REQUEST_STATUSES].sort());
    expect(Object.keys(INVITE_STATUS_LABELS).sort()).toEqual([...INVITE_STATUSES].sort());
    expect(enterpriseStatusOf({ verified: true })).toBe('verified');
    expect(enterpriseStatusOf({ verified: false })).toBe('pending');
  });

  it('refuses a credit code whose check character is wrong (GB 32100) and a wrong SMS code', async () => {
    const bad = `${CREDIT.slice(0, 17)}${CREDIT[17] === '0' ? '1' : '0'}`;
    const e = await expectTrpcError(api.client().enterprise.signUp.mutate({ ...APPLICANT, creditCode: bad, code: '000000' }), 'BAD_REQUEST');
    expect(e.message).toContain('校验位');
    await api.client().auth.sendSmsCode.mutate({ phone: APPLICANT.phone });
    const code = await lastCode(APPLICANT.phone);
    await expectTrpcError(
      api.client().enterprise.signUp.mutate({ ...APPLICANT, creditCode: CREDIT, code: code === '000000' ? '111111' : '000000' }),
      'BAD_REQUEST',
    );
  });

  it('applies: the applicant becomes the first admin, signs in with phone + password, and sees no account until verified', async () => {
    const code = await lastCode(APPLICANT.phone);
    const r = await api.client().enterprise.signUp.mutate({ ...APPLICANT, creditCode: CREDIT, code });
    expect(r.user.roles).toEqual(['enterprise_admin']);
    expect(r.user.enterprise).toMatchObject({ name: APPLICANT.companyName, status: 'draft' });
    enterpriseId = r.user.enterprise!.id;

    admin = await phoneLogin(APPLICANT.phone, APPLICANT.password);
    const me = await admin.auth.me.query();
    expect(me.enterprise?.status).toBe('draft');

    // An account of the enterprise (planted directly) stays out of reach while the enterprise is unverified.
    const planted = await AccountModel.findOneAndUpdate(
      { enterpriseId: null, number: /^32/ },
      { $set: { enterpriseId } },
      { returnDocument: 'after' },
    ).lean();
    plantedAccountId = String(planted!._id);
    expect(await admin.account.list.query()).toEqual([]);
    await expectTrpcError(admin.account.get.query({ accountId: plantedAccountId }), 'NOT_FOUND');
    await expectTrpcError(admin.billing.bills.query({ accountId: plantedAccountId }), 'NOT_FOUND');
    // Nor may it join accounts or invite anyone yet.
    await expectTrpcError(admin.enterprise.joinLookup.query({ number: JOINABLE.withPhone[0].number }), 'FORBIDDEN');

    // A second sign-up with the same credit code or phone is refused.
    await expectTrpcError(
      api.client().enterprise.signUp.mutate({ ...APPLICANT, phone: '13700002222', creditCode: CREDIT, code: '123456' }),
      'CONFLICT',
    );
  });

  it('submits the licence (own upload only), staff reject with a reason, the applicant resubmits, staff verify — all audited', async () => {
    // Someone else's upload cannot be attached.
    const other = await staff('ent_admin');
    const foreign = await other.files.upload.mutate({ purpose: 'enterprise_licence', name: '别人的执照.png', dataUrl: pngUrl });
    await expectTrpcError(admin.enterprise.submitApplication.mutate({ licenceFileId: foreign.id }), 'BAD_REQUEST');

    const up = await admin.files.upload.mutate({ purpose: 'enterprise_licence', name: '营业执照.png', dataUrl: pngUrl });
    const submitted = await admin.enterprise.submitApplication.mutate({ licenceFileId: up.id });
    expect(submitted).toMatchObject({ status: 'pending', licence: { name: '营业执照.png', mime: 'image/png' } });
    await expectTrpcError(admin.enterprise.submitApplication.mutate({ licenceFileId: up.id }), 'CONFLICT');

    const manager = await staff('manager01');
    const pending = await manager.enterprise.staffList.query({ status: 'pending' });
    const row = pending.find((p) => p.id === enterpriseId)!;
    expect(row).toMatchObject({ name: APPLICANT.companyName, creditCode: CREDIT, status: 'pending', contactNameMasked: '周*华' });
    const detail = await manager.enterprise.staffGet.query({ id: enterpriseId });
    expect(detail.licence?.url).toMatch(new RegExp(`^/files/docs/${up.id}\\?token=`));
    expect(detail.contactPhoneMasked).toBe('137****1111');

    // Roles outside review are refused by the gate.
    await expectTrpcError((await staff('agent01')).enterprise.staffList.query({}), 'FORBIDDEN');
    await expectTrpcError(admin.enterprise.verify.mutate({ id: enterpriseId }), 'FORBIDDEN');

    await manager.enterprise.reject.mutate({ id: enterpriseId, reason: '营业执照照片不清晰，请重新拍摄' });
    const rejected = await admin.enterprise.myApplication.query();
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: '营业执照照片不清晰，请重新拍摄' });
    expect(await admin.account.list.query()).toEqual([]);
    await expectTrpcError(manager.enterprise.verify.mutate({ id: enterpriseId }), 'CONFLICT');

    const up2 = await admin.files.upload.mutate({ purpose: 'enterprise_licence', name: '营业执照-清晰.png', dataUrl: pngUrl });
    await admin.enterprise.submitApplication.mutate({ licenceFileId: up2.id, contactName: '周建华' });
    await manager.enterprise.verify.mutate({ id: enterpriseId });
    expect((await admin.auth.me.query()).enterprise?.status).toBe('verified');
    expect((await admin.account.list.query()).map((a) => a.id)).toEqual([plantedAccountId]);

    const actions = (await AuditLogModel.find({ targetType: 'enterprise', targetId: enterpriseId }).lean()).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['enterprise.apply', 'enterprise.submit', 'enterprise.reject', 'enterprise.resubmit', 'enterprise.verify']),
    );
    const reject = await AuditLogModel.findOne({ targetId: enterpriseId, action: 'enterprise.reject' }).lean();
    expect(reject?.reason).toBe('营业执照照片不清晰，请重新拍摄');

    // The account manager is assigned by a supervisor or admin, not by the manager.
    const managers = await manager.enterprise.accountManagers.query();
    await expectTrpcError(manager.enterprise.assignManager.mutate({ id: enterpriseId, managerId: managers[0]!.id }), 'FORBIDDEN');
    await (await staff('supervisor01')).enterprise.assignManager.mutate({ id: enterpriseId, managerId: managers[0]!.id });
    const company = await admin.enterprise.company.query();
    expect(company).toMatchObject({
      name: APPLICANT.companyName,
      status: 'verified',
      accountManager: { name: '何经理', workPhone: '0731-88886001' },
    });
  });

  it('joins an account with the code to the phone on file, never one of another enterprise, and by staff confirmation', async () => {
    const [a1] = JOINABLE.withPhone;
    const look = await admin.enterprise.joinLookup.query({ number: a1.number });
    expect(look).toMatchObject({ state: 'free', phoneOnFile: true });
    expect(JSON.stringify(look)).not.toContain(a1.phone);
    const sent = await admin.enterprise.sendJoinCode.mutate({ number: a1.number });
    expect(sent.phoneMasked).toBe(`${a1.phone.slice(0, 3)}****${a1.phone.slice(-4)}`);
    const code = await lastCode(a1.phone);
    const wrong = await expectTrpcError(
      admin.enterprise.joinWithCode.mutate({ number: a1.number, code: code === '000000' ? '111111' : '000000' }),
      'BAD_REQUEST',
    );
    expect(wrong.message).toContain('验证码错误');
    await admin.enterprise.joinWithCode.mutate({ number: a1.number, code });
    expect((await AccountModel.findOne({ number: a1.number }).lean())?.enterpriseId?.toString()).toBe(enterpriseId);
    expect((await admin.account.list.query()).map((a) => a.number)).toContain(a1.number);
    // Its own name in full to its own users.
    expect((await admin.account.list.query()).find((a) => a.number === a1.number)?.holderNameMasked).toBe(a1.holderName);

    // An account of another enterprise is refused with a clear message.
    const theirs = await AccountModel.findOne({ enterpriseId: { $nin: [null, enterpriseId] } }).lean();
    const refused = await expectTrpcError(admin.enterprise.requestJoin.mutate({ number: theirs!.number }), 'CONFLICT');
    expect(refused.message).toContain('已归属其他企业');
    await expectTrpcError(admin.enterprise.sendJoinCode.mutate({ number: theirs!.number }), 'CONFLICT');

    // No phone on file: a request the account manager confirms.
    const np = JOINABLE.withoutPhone;
    await expectTrpcError(admin.enterprise.sendJoinCode.mutate({ number: np.number }), 'BAD_REQUEST');
    await admin.enterprise.requestJoin.mutate({ number: np.number, note: '仓库新户' });
    await expectTrpcError(admin.enterprise.requestJoin.mutate({ number: np.number }), 'CONFLICT');
    const manager = await staff('manager01');
    const queue = await manager.enterprise.staffJoinRequests.query({});
    const req = queue.find((q) => q.accountNumber === np.number)!;
    expect(req).toMatchObject({ status: 'pending', enterprise: { name: APPLICANT.companyName } });
    expect(await AccountModel.findOne({ number: np.number, enterpriseId: null }).lean()).not.toBeNull();
    await manager.enterprise.decideJoin.mutate({ id: req.id, approve: true });
    expect((await AccountModel.findOne({ number: np.number }).lean())?.enterpriseId?.toString()).toBe(enterpriseId);
    await expectTrpcError(manager.enterprise.decideJoin.mutate({ id: req.id, approve: false, reason: 'x' }), 'CONFLICT');
    expect((await admin.enterprise.joinRequests.query())[0]).toMatchObject({ status: 'approved' });
    expect(
      await AuditLogModel.exists({
        action: 'enterprise.join_approve',
        targetId: String((await JoinRequestModel.findById(req.id).lean())!.accountId),
      }),
    ).toBeTruthy();
    expect(await AuditLogModel.exists({ action: 'enterprise.join_account' })).toBeTruthy();
  });

  let financeClient: ReturnType<TestApi['client']>;
  let elecClient: ReturnType<TestApi['client']>;
  const FIN = { phone: '13700003333', displayName: '林会计', password: 'Caiwu2026ok' };
  const ELEC = { phone: '13700004444', displayName: '邓电工', password: 'Dianli2026ok' };

  it('invites colleagues with a role and site scope; wrong and expired codes are refused; accepted users see only their sites', async () => {
    const a1 = await AccountModel.findOne({ number: JOINABLE.withPhone[0].number }).lean();
    const a3 = await AccountModel.findOne({ number: JOINABLE.withoutPhone.number }).lean();
    await admin.enterprise.invite.mutate({ ...FIN, role: 'enterprise_finance', siteAccountIds: [String(a1!._id)] });
    await admin.enterprise.invite.mutate({ ...ELEC, role: 'enterprise_electrician', siteAccountIds: [] });
    await expectTrpcError(admin.enterprise.invite.mutate({ ...ELEC, role: 'enterprise_electrician', siteAccountIds: [] }), 'TOO_MANY_REQUESTS');
    // A site of another enterprise cannot be in the scope.
    const foreign = await AccountModel.findOne({ enterpriseId: { $nin: [null, enterpriseId] } }).lean();
    await expectTrpcError(
      admin.enterprise.invite.mutate({
        phone: '13700005555',
        displayName: '钱五',
        role: 'enterprise_finance',
        siteAccountIds: [String(foreign!._id)],
      }),
      'BAD_REQUEST',
    );
    const team = await admin.enterprise.team.query();
    expect(team.invites.map((i) => i.phoneMasked).sort()).toEqual(['137****3333', '137****4444']);
    const sms = await SmsOutboxModel.findOne({ phone: FIN.phone }).sort({ createdAt: -1 }).lean();
    expect(sms!.text).toContain(APPLICANT.companyName);
    expect(sms!.text).toContain('企业财务');

    const finCode = await lastCode(FIN.phone);
    const wrong = finCode === '000000' ? '111111' : '000000';
    const w = await expectTrpcError(
      api.client().enterprise.acceptInvite.mutate({ phone: FIN.phone, code: wrong, password: FIN.password }),
      'BAD_REQUEST',
    );
    expect(w.message).toContain('还可尝试4次');
    const weak = await expectTrpcError(
      api.client().enterprise.acceptInvite.mutate({ phone: FIN.phone, code: finCode, password: '12345678' }),
      'BAD_REQUEST',
    );
    expect(weak.message).toContain('字母和数字');
    const fin = await api.client().enterprise.acceptInvite.mutate({ phone: FIN.phone, code: finCode, password: FIN.password });
    expect(fin.user).toMatchObject({ roles: ['enterprise_finance'], enterprise: { id: enterpriseId } });
    // Used once.
    await expectTrpcError(api.client().enterprise.acceptInvite.mutate({ phone: FIN.phone, code: finCode, password: FIN.password }), 'BAD_REQUEST');

    // Expired: the electrician's invitation is pushed past its time.
    await InviteModel.updateOne({ phone: ELEC.phone, status: 'pending' }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await expectTrpcError(
      api.client().enterprise.acceptInvite.mutate({ phone: ELEC.phone, code: await lastCode(ELEC.phone), password: ELEC.password }),
      'BAD_REQUEST',
    );
    expect(expired.message).toContain('过期');
    await InviteModel.updateOne({ phone: ELEC.phone, status: 'pending' }, { $set: { expiresAt: new Date(Date.now() + 3600_000) } });
    await api.client().enterprise.acceptInvite.mutate({ phone: ELEC.phone, code: await lastCode(ELEC.phone), password: ELEC.password });

    financeClient = await phoneLogin(FIN.phone, FIN.password);
    elecClient = await phoneLogin(ELEC.phone, ELEC.password);
    // Finance sees only its one site; another site of the same enterprise answers like an unknown account.
    expect((await financeClient.account.list.query()).map((a) => a.number)).toEqual([JOINABLE.withPhone[0].number]);
    await expectTrpcError(financeClient.account.get.query({ accountId: String(a3!._id) }), 'NOT_FOUND');
    await expectTrpcError(financeClient.billing.bills.query({ accountId: String(a3!._id) }), 'NOT_FOUND');
    // The electrician sees every site but never bills, and no team or invoice-title editing.
    expect((await elecClient.account.list.query()).length).toBe(3);
    await expectTrpcError(elecClient.billing.bills.query({ accountId: String(a1!._id) }), 'FORBIDDEN');
    await expectTrpcError(elecClient.enterprise.team.query(), 'FORBIDDEN');
    await expectTrpcError(elecClient.enterprise.company.query(), 'FORBIDDEN');
    // Finance reads the invoice title, only the admin edits it.
    expect((await financeClient.enterprise.company.query()).invoiceTitle).toMatchObject({
      title: APPLICANT.companyName,
      taxId: CREDIT,
      specialReady: false,
    });
    await expectTrpcError(financeClient.enterprise.updateInvoiceTitle.mutate({ title: 'x', taxId: CREDIT }), 'FORBIDDEN');
    await admin.enterprise.updateInvoiceTitle.mutate({
      title: APPLICANT.companyName,
      taxId: CREDIT,
      registeredAddress: '长沙市岳麓区麓谷大道 668 号',
      registeredPhone: '0731-88990011',
      bankName: '中国工商银行长沙麓谷支行',
      bankAccount: '1901 0012 3456 7890 123',
    });
    expect(await invoiceTitleOf(enterpriseId)).toMatchObject({ bankAccount: '1901001234567890123', specialReady: true });
  });

  it('changes scope (effective on the next request) and role (sessions end), refuses the last admin, and removal stops the token', async () => {
    const team = await admin.enterprise.team.query();
    const finMember = team.members.find((m) => m.phoneMasked === '137****3333')!;
    const elecMember = team.members.find((m) => m.phoneMasked === '137****4444')!;
    const me = team.members.find((m) => m.isMe)!;
    const a2 = await AccountModel.findOne({ number: JOINABLE.withoutPhone.number }).lean();

    // Scope: the same token sees the new site on its next call.
    await admin.enterprise.updateMember.mutate({ userId: finMember.id, role: 'enterprise_finance', siteAccountIds: [String(a2!._id)] });
    expect((await financeClient.account.list.query()).map((a) => a.number)).toEqual([JOINABLE.withoutPhone.number]);

    // Role: the electrician's token stops; signing in again carries the new role.
    const r = await admin.enterprise.updateMember.mutate({ userId: elecMember.id, role: 'enterprise_finance', siteAccountIds: [] });
    expect(r.sessionsEnded).toBe(true);
    await expectTrpcError(elecClient.account.list.query(), 'UNAUTHORIZED');
    const again = await phoneLogin(ELEC.phone, ELEC.password);
    expect((await again.auth.me.query()).roles).toEqual(['enterprise_finance']);

    // The last admin cannot remove, disable or demote themselves.
    const lastRemove = await expectTrpcError(admin.enterprise.removeMember.mutate({ userId: me.id }), 'BAD_REQUEST');
    expect(lastRemove.message).toContain('至少需要保留一位管理员');
    await expectTrpcError(admin.enterprise.setMemberDisabled.mutate({ userId: me.id, disabled: true }), 'BAD_REQUEST');
    await expectTrpcError(admin.enterprise.updateMember.mutate({ userId: me.id, role: 'enterprise_finance', siteAccountIds: [] }), 'BAD_REQUEST');
    expect(() =>
      checkMemberChange(
        [
          { id: 'a', roles: ['enterprise_admin'], disabled: false },
          { id: 'b', roles: ['enterprise_admin'], disabled: true },
        ],
        'a',
        { kind: 'remove' },
      ),
    ).toThrow('至少需要保留一位管理员');

    // Removal: the finance user's token stops on the next call and the login is gone.
    await admin.enterprise.removeMember.mutate({ userId: finMember.id });
    await expectTrpcError(financeClient.account.list.query(), 'UNAUTHORIZED');
    await expectTrpcError(api.client().auth.passwordLogin.mutate({ username: FIN.phone, password: FIN.password }), 'UNAUTHORIZED');
    const after = await admin.enterprise.team.query();
    expect(after.members.map((m) => m.id)).not.toContain(finMember.id);
    expect(await UserModel.findById(finMember.id).lean()).toMatchObject({ disabled: true, enterpriseId: null });

    // Disable and enable are audited too.
    await admin.enterprise.setMemberDisabled.mutate({ userId: elecMember.id, disabled: true });
    await expectTrpcError(again.account.list.query(), 'UNAUTHORIZED');
    await admin.enterprise.setMemberDisabled.mutate({ userId: elecMember.id, disabled: false });
    const actions = (await AuditLogModel.find({ action: /^enterprise\.member_|^enterprise\.invite/ }).lean()).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'enterprise.invite',
        'enterprise.invite_accept',
        'enterprise.member_update',
        'enterprise.member_remove',
        'enterprise.member_disable',
        'enterprise.member_enable',
      ]),
    );
  });

  it('leaves seeded enterprises working (verified without a status field)', async () => {
    const seeded = await EnterpriseModel.findOne({ name: DEMO.enterpriseName }).lean();
    expect(enterpriseStatusOf(seeded!)).toBe('verified');
    const entAdmin = await staff('ent_admin');
    expect((await entAdmin.account.list.query()).length).toBeGreaterThan(0);
    expect((await entAdmin.auth.me.query()).enterprise).toMatchObject({ name: DEMO.enterpriseName, status: 'verified' });
  });
});

describe('own company name', () => {
  it('is shown in full to its own enterprise users and masked to everyone else', () => {
    const account = { holderName: '长沙星城制造有限公司', enterpriseId: 'e1' };
    const mask = (n: string) => `${n[0]}*${n.slice(-1)}`;
    expect(holderNameFor({ ent: 'e1', roles: ['enterprise_finance'] }, account, mask)).toBe('长沙星城制造有限公司');
    expect(holderNameFor({ ent: 'e2', roles: ['enterprise_admin'] }, account, mask)).toBe('长*司');
    expect(holderNameFor({ ent: null, roles: ['resident'] }, account, mask)).toBe('长*司');
    expect(holderNameFor(null, account, mask)).toBe('长*司');
  });
});
