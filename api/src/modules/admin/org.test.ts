import { DomainError } from '../../lib/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTrpcError, startTestApi, type TestApi } from '../../testing/harness';
import { DEMO } from '../../seed/generate';
import { AuditLogModel } from '../audit/audit.model';
import { SessionModel } from '../auth/session.model';
import { CrewModel, UserModel } from '../auth/user.model';
import { GridNodeModel } from '../grid/grid.model';
import { checkAssignment, checkCapacity, checkRoles, generateInitialPassword } from './org.rules';

/** Staff users, roles and crews administered through the API against the real database (issue 10). */
let api: TestApi;
type Client = ReturnType<TestApi['client']>;
let admin: Client;
let adminId: string;
let supervisor: Client;
let agent: Client;
let regionId: string;
let otherRegionId: string;

async function login(username: string, password = DEMO.password) {
  const r = await api.client().auth.passwordLogin.mutate({ username, password });
  return { client: api.client(r.accessToken), id: r.user.id, refreshToken: r.refreshToken! };
}

beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 30 });
  const a = await login('admin01');
  admin = a.client;
  adminId = a.id;
  supervisor = (await login('supervisor01')).client;
  agent = (await login('agent01')).client;
  const regions = await GridNodeModel.find({ kind: 'region' }).sort({ code: 1 }).lean();
  regionId = String(regions[0]._id);
  otherRegionId = String(regions[1]._id);
});
afterAll(async () => {
  await api?.stop();
});

describe('org rules (pure)', () => {
  it('allows staff roles in sensible combinations only', () => {
    expect(checkRoles(['admin', 'supervisor'])).toEqual(['supervisor', 'admin']);
    expect(() => checkRoles([])).toThrow('请至少选择一个角色');
    expect(() => checkRoles(['resident'])).toThrow('只能授予员工角色');
    expect(() => checkRoles(['crew', 'agent'])).toThrow('抢修人员不能与坐席兼任');
    expect(() => checkRoles(['agent', 'expert', 'dispatcher', 'supervisor'])).toThrow('最多兼任3个角色');
    expect(() => checkAssignment({ roles: ['crew'], regionId: null, crewId: null })).toThrow('抢修人员须选择所属班组');
    expect(() => checkAssignment({ roles: ['agent'], regionId: null, crewId: 'c1' })).toThrow('只有抢修人员可以加入班组');
    expect(() => checkAssignment({ roles: ['crew'], regionId: 'r1', crewId: 'c1', crewRegionId: 'r2' })).toThrow('班组不属于所选区域');
    expect(checkAssignment({ roles: ['crew'], regionId: null, crewId: 'c1', crewRegionId: 'r2' }).regionId).toBe('r2');
    expect(() => checkAssignment({ roles: ['area_manager'], regionId: null, crewId: null })).toThrow('台区经理须选择所属区域');
  });

  it('keeps crew capacity within 1–50 and makes readable one-time passwords', () => {
    expect(checkCapacity(1)).toBe(1);
    expect(checkCapacity(50)).toBe(50);
    for (const bad of [0, 51, 2.5, -1]) expect(() => checkCapacity(bad)).toThrow(DomainError);
    const pw = generateInitialPassword();
    expect(pw).toMatch(/^[A-Za-z2-9]{12}$/);
    expect(pw).not.toMatch(/[01lIO]/);
    expect(generateInitialPassword()).not.toBe(pw);
  });
});

describe('staff users', () => {
  it('creates an agent with a one-time password that signs in; a duplicate username is refused in Chinese', async () => {
    const created = await admin.admin.createUser.mutate({
      username: 'Agent77',
      displayName: '钱多多',
      phone: '13912345678',
      roles: ['agent'],
      regionId,
    });
    expect(created.user).toMatchObject({
      username: 'agent77',
      displayName: '钱多多',
      phoneMasked: '139****5678',
      roles: ['agent'],
      disabled: false,
      region: { id: regionId },
    });
    expect(created.user.region!.name).toMatch(/供电所$/);
    expect(JSON.stringify(created.user)).not.toContain('13912345678');
    // Stored only as its hash.
    const doc = await UserModel.findById(created.user.id).lean();
    expect(doc!.passwordHash).toMatch(/^scrypt\$/);
    expect(doc!.passwordHash).not.toContain(created.initialPassword);
    const audit = await AuditLogModel.findOne({ action: 'staff_user.create', targetId: created.user.id }).lean();
    expect(audit).toMatchObject({ actorId: adminId, actorRoles: ['admin'], targetType: 'user' });
    expect(audit!.detail).toMatchObject({ before: null, after: { username: 'agent77', roles: ['agent'], phone: '139****5678' } });
    expect(JSON.stringify(audit)).not.toContain(created.initialPassword);

    const me = await login('agent77', created.initialPassword);
    expect((await me.client.auth.me.query()).roles).toEqual(['agent']);
    expect((await me.client.workorder.queue.query({})).items).toBeDefined();

    const dup = await expectTrpcError(admin.admin.createUser.mutate({ username: 'agent77', displayName: '重名者', roles: ['agent'] }), 'CONFLICT');
    expect(dup.message).toBe('用户名“agent77”已被使用');
    const bad = await expectTrpcError(admin.admin.createUser.mutate({ username: '7x', displayName: '某某', roles: ['agent'] }), 'BAD_REQUEST');
    expect(bad.message).toContain('用户名须以字母开头');
    const combo = await expectTrpcError(
      admin.admin.createUser.mutate({ username: 'mixed01', displayName: '混合', roles: ['crew', 'supervisor'] }),
      'BAD_REQUEST',
    );
    expect(combo.message).toBe('抢修人员不能与值班长兼任');
  });

  it('disabling a user refuses their open session on the next request, and they cannot sign in', async () => {
    const { user, initialPassword } = await admin.admin.createUser.mutate({
      username: 'leaver01',
      displayName: '离职者',
      roles: ['agent'],
      regionId,
    });
    const s = await login('leaver01', initialPassword);
    expect((await s.client.auth.me.query()).id).toBe(user.id);
    const off = await admin.admin.setUserDisabled.mutate({ userId: user.id, disabled: true, reason: '调离岗位' });
    expect(off.disabled).toBe(true);
    const e = await expectTrpcError(s.client.workorder.queue.query({}), 'UNAUTHORIZED');
    expect(e.message).toContain('登录状态已失效');
    await expectTrpcError(api.client().auth.refresh.mutate({ refreshToken: s.refreshToken }), 'UNAUTHORIZED');
    expect((await expectTrpcError(login('leaver01', initialPassword), 'FORBIDDEN')).message).toBe('账号已停用，请联系管理员');
    const audit = await AuditLogModel.findOne({ action: 'staff_user.disable', targetId: user.id }).lean();
    expect(audit).toMatchObject({ actorId: adminId, reason: '调离岗位', detail: { before: { disabled: false }, after: { disabled: true } } });
    // Hidden from the default list, shown when asked; enabling lets them sign in again.
    expect((await admin.admin.users.query()).some((u) => u.id === user.id)).toBe(false);
    expect((await admin.admin.users.query({ includeDisabled: true })).find((u) => u.id === user.id)?.disabled).toBe(true);
    await admin.admin.setUserDisabled.mutate({ userId: user.id, disabled: false });
    expect((await login('leaver01', initialPassword)).id).toBe(user.id);
    expect(await AuditLogModel.countDocuments({ action: 'staff_user.enable', targetId: user.id })).toBe(1);
  });

  it('editing roles ends the sessions (tokens carry roles) and records before/after; crew membership follows', async () => {
    const crew = (await CrewModel.findOne({ regionId }).sort({ name: 1 }).lean())!;
    const { user, initialPassword } = await admin.admin.createUser.mutate({ username: 'mover01', displayName: '调岗者', roles: ['agent'], regionId });
    const s = await login('mover01', initialPassword);
    const updated = await admin.admin.updateUser.mutate({ userId: user.id, displayName: '调岗者', roles: ['crew'], crewId: String(crew._id) });
    expect(updated).toMatchObject({ roles: ['crew'], crew: { id: String(crew._id), name: crew.name }, region: { id: regionId } });
    await expectTrpcError(s.client.auth.me.query(), 'UNAUTHORIZED');
    expect((await SessionModel.findOne({ userId: user.id }).lean())!.revokeReason).toBe('roles_changed');
    expect((await CrewModel.findById(crew._id).lean())!.memberIds.map(String)).toContain(user.id);
    const audit = await AuditLogModel.findOne({ action: 'staff_user.update', targetId: user.id }).lean();
    expect(audit!.detail).toMatchObject({
      before: { roles: ['agent'], crewId: null },
      after: { roles: ['crew'], crewId: String(crew._id) },
      changes: { roles: { from: ['agent'], to: ['crew'] } },
      sessionsEnded: true,
    });
    // The new token says crew: the crew's own page answers.
    const again = await login('mover01', initialPassword);
    expect(await again.client.workorder.crewOrders.query()).toEqual([]);
    // Back to the desk: leaves the crew's member list.
    await admin.admin.updateUser.mutate({ userId: user.id, displayName: '调岗者', roles: ['agent'], regionId });
    expect((await CrewModel.findById(crew._id).lean())!.memberIds.map(String)).not.toContain(user.id);
    // A crew of another region is refused.
    const foreign = (await CrewModel.findOne({ regionId: otherRegionId }).lean())!;
    const e = await expectTrpcError(
      admin.admin.updateUser.mutate({ userId: user.id, displayName: '调岗者', roles: ['crew'], regionId, crewId: String(foreign._id) }),
      'BAD_REQUEST',
    );
    expect(e.message).toBe('班组不属于所选区域');
  });

  it('resets a password: the new one-time password works, the old one and open sessions do not', async () => {
    const { user, initialPassword } = await admin.admin.createUser.mutate({
      username: 'forgot01',
      displayName: '忘密码',
      roles: ['expert'],
      regionId,
    });
    const s = await login('forgot01', initialPassword);
    const r = await admin.admin.resetPassword.mutate({ userId: user.id });
    expect(r.initialPassword).not.toBe(initialPassword);
    await expectTrpcError(s.client.auth.me.query(), 'UNAUTHORIZED');
    await expectTrpcError(login('forgot01', initialPassword), 'UNAUTHORIZED');
    expect((await login('forgot01', r.initialPassword)).id).toBe(user.id);
    const audit = await AuditLogModel.findOne({ action: 'staff_user.reset_password', targetId: user.id }).lean();
    expect(audit!.actorId).toBe(adminId);
    expect(JSON.stringify(audit)).not.toContain(r.initialPassword);
  });

  it('an admin cannot lock themselves out', async () => {
    expect((await expectTrpcError(admin.admin.setUserDisabled.mutate({ userId: adminId, disabled: true }), 'BAD_REQUEST')).message).toBe(
      '不能停用自己的账号',
    );
    expect(
      (await expectTrpcError(admin.admin.updateUser.mutate({ userId: adminId, displayName: '系统管理员', roles: ['supervisor'] }), 'BAD_REQUEST'))
        .message,
    ).toBe('不能取消自己的系统管理员角色');
  });

  it('lists staff with masked phones and Chinese-ready fields; supervisors read, non-admins cannot write', async () => {
    const list = await supervisor.admin.users.query({ search: 'agent' });
    expect(list.map((u) => u.username)).toEqual(expect.arrayContaining(['agent01', 'agent02', 'agent77']));
    expect(list.every((u) => u.phoneMasked === null || /^\d{3}\*{4}\d{4}$/.test(u.phoneMasked))).toBe(true);
    expect((await admin.admin.users.query()).some((u) => u.username === 'ent_admin')).toBe(false);
    await expectTrpcError(supervisor.admin.createUser.mutate({ username: 'sneaky', displayName: '越权', roles: ['admin'] }), 'FORBIDDEN');
    await expectTrpcError(agent.admin.users.query(), 'FORBIDDEN');
    await expectTrpcError(agent.admin.crews.query(), 'FORBIDDEN');
    await expectTrpcError(api.client().admin.users.query(), 'UNAUTHORIZED');
  });
});

describe('crews', () => {
  it('creates and edits crews with capacity 1–50, shows load; refusals in Chinese; audited', async () => {
    const crew = await admin.admin.createCrew.mutate({ name: '测试抢修班', regionId, capacity: 6, workPhone: '0731-88612345' });
    expect(crew).toMatchObject({ name: '测试抢修班', regionId, capacity: 6, load: 0, available: 6, workPhone: '0731-88612345', members: [] });
    expect(crew.regionName).toMatch(/供电所$/);
    const e0 = await expectTrpcError(admin.admin.createCrew.mutate({ name: '测试抢修班', regionId, capacity: 6 }), 'CONFLICT');
    expect(e0.message).toBe('该区域已有名为“测试抢修班”的班组');
    for (const bad of [0, 51]) {
      const e = await expectTrpcError(admin.admin.updateCrew.mutate({ crewId: crew.id, name: '测试抢修班', regionId, capacity: bad }), 'BAD_REQUEST');
      expect(e.message).toBe('班组容量须为1–50之间的整数');
    }
    const edited = await admin.admin.updateCrew.mutate({ crewId: crew.id, name: '测试抢修班', regionId, capacity: 12, workPhone: '' });
    expect(edited).toMatchObject({ capacity: 12, available: 12, workPhone: null });
    const audit = await AuditLogModel.findOne({ action: 'crew.update', targetId: crew.id }).lean();
    expect(audit!.detail).toMatchObject({ before: { capacity: 6 }, after: { capacity: 12 }, changes: { capacity: { from: 6, to: 12 } } });
    expect(await AuditLogModel.countDocuments({ action: 'crew.create', targetId: crew.id })).toBe(1);
    // Supervisors read crews (with members), cannot edit them.
    const seen = await supervisor.admin.crews.query({ regionId });
    expect(seen.find((c) => c.name.endsWith('抢修1班'))!.members.map((m) => m.displayName)).toContain('黄师傅');
    await expectTrpcError(supervisor.admin.updateCrew.mutate({ crewId: crew.id, name: '测试抢修班', regionId, capacity: 3 }), 'FORBIDDEN');
    // A crew with members stays in its region.
    const withMembers = seen.find((c) => c.members.length > 0)!;
    const e2 = await expectTrpcError(
      admin.admin.updateCrew.mutate({ crewId: withMembers.id, name: withMembers.name, regionId: otherRegionId, capacity: withMembers.capacity }),
      'BAD_REQUEST',
    );
    expect(e2.message).toBe('班组仍有成员，不能更换所属区域');
  });

  it('lists regions with their counts', async () => {
    const regions = await supervisor.admin.regions.query();
    expect(regions).toHaveLength(8);
    expect(regions[0]).toMatchObject({ id: regionId, substations: 3, transformerAreas: 75 });
    expect(regions[0].crews).toBeGreaterThanOrEqual(2);
  });
});
