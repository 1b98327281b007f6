import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { expectTrpcError, startTestApi, type TestApi } from '../../testing/harness';
import { DEMO } from '../../seed/generate';
import { AccountModel } from '../accounts/account.model';
import { AuditLogModel } from '../audit/audit.model';
import { CrewModel } from '../auth/user.model';
import { WorkOrderModel } from '../workorders/workorder.model';
import { BillModel, UsageHistoryModel } from '../billing/billing.model';
import { seedBilling } from '../billing/seed';
import { SAMPLE_CALENDAR, type SlaRules } from '../workorders/sla.rules';
import { SettingVersionModel } from './settings.model';
import { diffSettings, SETTING_DEFAULTS, SETTING_KINDS, validateSetting, versionInForce } from './settings.rules';
import { refreshSettings, resetSettingsCache, settingInForce, slaConfigFor } from './settings.service';

const REFRESH_MS = 400;
const MIN = 60_000;

describe('settings rules (pure)', () => {
  it('the defaults are valid version-1 values of every kind', () => {
    for (const kind of SETTING_KINDS) expect(() => validateSetting(kind, SETTING_DEFAULTS[kind])).not.toThrow();
  });

  it('refuses bad values with a Chinese message naming the field', () => {
    const sla = structuredClone(SETTING_DEFAULTS.sla) as SlaRules;
    sla.faultArrivalMin.urban = 0;
    expect(() => validateSetting('sla', sla)).toThrow('到达现场时限（城区）须在1到1440分钟之间');
    expect(() => validateSetting('sla', { ...SETTING_DEFAULTS.sla, faultDispatchMin: 2.5 })).toThrow('故障派单时限须为整数');
    expect(() => validateSetting('sla', { ...SETTING_DEFAULTS.sla, warnAt: [0.9, 0.5] })).toThrow('预警比例须满足');
    expect(() => validateSetting('sla', { ...SETTING_DEFAULTS.sla, faultArrivalMin: { urban: 100, rural: 90, remote: 120 } })).toThrow(
      '城区 ≤ 农村 ≤ 偏远地区',
    );
    expect(() => validateSetting('calendar', { holidays: ['2027-02-30'], makeupWorkdays: [] })).toThrow('节假日不是有效日期');
    expect(() => validateSetting('calendar', { holidays: [], makeupWorkdays: ['2027-02-03'] })).toThrow('调休上班日须为周六或周日');
    expect(() => validateSetting('cluster', { ...SETTING_DEFAULTS.cluster, areaThreshold: 1 })).toThrow('台区报修阈值须在2到100起之间');
    expect(() => validateSetting('late_fees', { ...SETTING_DEFAULTS.late_fees, residential: { ppmPerDay: -1, graceDays: 0 } })).toThrow(
      '居民违约金日比例',
    );
    const tariffs = structuredClone(SETTING_DEFAULTS.tariffs);
    (tariffs['RES-TIER-HN'] as { tiers: { priceMilliFen: number }[] }).tiers[1].priceMilliFen = 10;
    expect(() => validateSetting('tariffs', tariffs)).toThrow('第2档电价不能低于第1档');
  });

  it('normalises the calendar (sorted, no duplicates)', () => {
    const v = validateSetting('calendar', { holidays: ['2027-01-02', '2027-01-01', '2027-01-02'], makeupWorkdays: [] });
    expect(v.holidays).toEqual(['2027-01-01', '2027-01-02']);
  });

  it('the version in force: the latest effective time already reached; a scheduled one waits', () => {
    const t = (m: number) => new Date(Date.UTC(2026, 11, 1, 0, m));
    const vs = [
      { version: 1, effectiveAt: new Date(0) },
      { version: 2, effectiveAt: t(60) }, // scheduled for 01:00
      { version: 3, effectiveAt: t(10) }, // published after v2, effective 00:10
    ];
    expect(versionInForce(vs, t(5))!.version).toBe(1);
    expect(versionInForce(vs, t(30))!.version).toBe(3);
    expect(versionInForce(vs, t(60))!.version).toBe(2);
  });

  it('before/after in words', () => {
    const after = { ...SETTING_DEFAULTS.sla, faultArrivalMin: { urban: 30, rural: 90, remote: 120 } };
    expect(diffSettings('sla', SETTING_DEFAULTS.sla, after)).toEqual([
      { path: 'faultArrivalMin.urban', label: '到达现场时限（城区）', before: '45分钟', after: '30分钟' },
    ]);
    const cal = {
      holidays: [...SAMPLE_CALENDAR.holidays.filter((d) => d !== '2027-06-09'), '2027-06-11'],
      makeupWorkdays: SAMPLE_CALENDAR.makeupWorkdays,
    };
    expect(diffSettings('calendar', SAMPLE_CALENDAR, cal)).toEqual([
      { path: 'holidays', label: '节假日', before: '2027-06-09', after: null },
      { path: 'holidays', label: '节假日', before: null, after: '2027-06-11' },
    ]);
    const tariffs = structuredClone(SETTING_DEFAULTS.tariffs);
    (tariffs['COM-FLAT'] as { priceMilliFen: number }).priceMilliFen = 70_000;
    expect(diffSettings('tariffs', SETTING_DEFAULTS.tariffs, tariffs)).toEqual([
      { path: 'COM-FLAT.priceMilliFen', label: '一般工商业（单一制）·电价', before: '0.6852元/千瓦时', after: '0.7000元/千瓦时' },
    ]);
  });
});

describe('settings in the database', () => {
  let api: TestApi;
  type Client = ReturnType<TestApi['client']>;
  let admin: Client;
  let admin2: Client;
  let supervisor: Client;
  let agent: Client;
  let dispatcher: Client;
  let accountId: string;
  let crewId: string;
  let areaType: 'urban' | 'rural' | 'remote';

  const login = async (username: string) =>
    api.client((await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password })).accessToken);
  const sla = (patch: Partial<SlaRules>) => ({ ...structuredClone(SETTING_DEFAULTS.sla), ...patch });
  const fault = () =>
    agent.workorder.createForCaller.mutate({
      type: 'fault_repair',
      accountId,
      faultKind: 'meter_problem',
      description: '来电反映电表显示异常',
      contactPhone: '13912345678',
    });
  const stored = async (id: string) => (await WorkOrderModel.findById(id).lean())!;
  const span = (d: { startedAt: Date; dueAt: Date }) => (new Date(d.dueAt).getTime() - new Date(d.startedAt).getTime()) / MIN;

  beforeAll(async () => {
    api = await startTestApi({ seedAccounts: 60, env: { SETTINGS_REFRESH_MS: String(REFRESH_MS) } });
    [admin, admin2, supervisor, agent, dispatcher] = await Promise.all(['admin01', 'admin01', 'supervisor01', 'agent01', 'dispatcher01'].map(login));
    const acc = (await AccountModel.findOne({ number: DEMO.residentAccounts[0].number }).lean())!;
    accountId = String(acc._id);
    areaType = acc.areaType as typeof areaType;
    crewId = String((await CrewModel.findOne({ regionId: acc.regionId }).lean())!._id);
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('starts with the defaults as version 1 of every kind, written once', async () => {
    expect(await SettingVersionModel.countDocuments({ version: 1 })).toBe(SETTING_KINDS.length);
    const overview = await supervisor.settings.overview.query();
    expect(overview.map((o) => [o.kind, o.version, o.createdByName])).toEqual(SETTING_KINDS.map((k) => [k, 1, '系统']));
    const h = await supervisor.settings.history.query({ kind: 'sla' });
    expect(h).toMatchObject([{ version: 1, note: '系统默认值', state: 'in_force', stateLabel: '生效中' }]);
  });

  it('only admins change settings; supervisors read; agents neither', async () => {
    await expectTrpcError(supervisor.settings.publish.mutate({ kind: 'sla', value: sla({ faultDispatchMin: 6 }) }), 'FORBIDDEN');
    await expectTrpcError(supervisor.settings.rollback.mutate({ kind: 'sla', toVersion: 1 }), 'FORBIDDEN');
    await expectTrpcError(agent.settings.current.query({ kind: 'sla' }), 'FORBIDDEN');
    await expectTrpcError(agent.settings.history.query({ kind: 'sla' }), 'FORBIDDEN');
    await expectTrpcError(dispatcher.settings.publish.mutate({ kind: 'cluster', value: SETTING_DEFAULTS.cluster }), 'FORBIDDEN');
    expect((await supervisor.settings.current.query({ kind: 'sla' })).version).toBe(1);
  });

  it('refuses invalid values, a stale form and a past effective time, in Chinese', async () => {
    const bad = await expectTrpcError(admin.settings.publish.mutate({ kind: 'sla', value: sla({ faultDispatchMin: 0 }) }), 'BAD_REQUEST');
    expect(bad.message).toBe('故障派单时限须在1到1440分钟之间');
    const stale = await expectTrpcError(
      admin.settings.publish.mutate({ kind: 'sla', value: sla({ faultDispatchMin: 7 }), baseVersion: 3 }),
      'CONFLICT',
    );
    expect(stale.message).toContain('已被他人修改');
    const past = await expectTrpcError(
      admin.settings.publish.mutate({ kind: 'sla', value: sla({ faultDispatchMin: 7 }), effectiveAt: new Date(Date.now() - 3600_000).toISOString() }),
      'BAD_REQUEST',
    );
    expect(past.message).toBe('生效时间不能早于当前时间');
    const same = await expectTrpcError(admin.settings.publish.mutate({ kind: 'sla', value: sla({}) }), 'BAD_REQUEST');
    expect(same.message).toBe('内容与最新版本相同，无需发布');
    const tariffs = structuredClone(SETTING_DEFAULTS.tariffs);
    delete tariffs['COM-FLAT'];
    expect((await expectTrpcError(admin.settings.publish.mutate({ kind: 'tariffs', value: tariffs }), 'BAD_REQUEST')).message).toBe(
      '不能删除正在使用的电价：COM-FLAT',
    );
    expect(await SettingVersionModel.countDocuments({ version: { $gt: 1 } })).toBe(0);
  });

  let before: Awaited<ReturnType<typeof fault>>;
  it('an order keeps the SLA version it was created under; a new order follows the new version', async () => {
    before = await fault();
    const o1 = await stored(before.id);
    expect([o1.slaVersion, o1.calendarVersion]).toEqual([1, 1]);
    expect(span(o1.nextDeadline!)).toBe(5);

    const arrival = { ...SETTING_DEFAULTS.sla.faultArrivalMin, urban: 30, rural: 60, remote: 90 };
    const v2 = await admin.settings.publish.mutate({
      kind: 'sla',
      value: sla({ faultDispatchMin: 3, faultArrivalMin: arrival }),
      note: '缩短派单和到达时限',
      baseVersion: 1,
    });
    expect(v2).toMatchObject({ version: 2, createdByName: '系统管理员', note: '缩短派单和到达时限', state: 'in_force' });
    expect(v2.changes.map((c) => [c.label, c.before, c.after])).toContainEqual(['故障派单时限', '5分钟', '3分钟']);

    const after = await fault();
    const o2 = await stored(after.id);
    expect(o2.slaVersion).toBe(2);
    expect(span(o2.nextDeadline!)).toBe(3);
    // The older order still runs against 5 minutes…
    expect(span((await stored(before.id)).nextDeadline!)).toBe(5);
    // …and when it is dispatched later, its arrival deadline is computed under ITS version (v1), not v2.
    await dispatcher.workorder.dispatch.mutate({ orderId: before.id, crewId, overCapacity: true });
    await dispatcher.workorder.dispatch.mutate({ orderId: after.id, crewId, overCapacity: true });
    const d1 = (await stored(before.id)).nextDeadline!;
    const d2 = (await stored(after.id)).nextDeadline!;
    expect(d1.kind).toBe('arrival');
    expect(span(d1)).toBe(SETTING_DEFAULTS.sla.faultArrivalMin[areaType]);
    expect(span(d2)).toBe(arrival[areaType]);
  });

  it('writes an audit entry with who, when, before and after', async () => {
    const a = (await AuditLogModel.findOne({ action: 'settings.publish', targetType: 'setting', targetId: 'sla' }).sort({ at: -1 }).lean())!;
    expect(a.actorRoles).toContain('admin');
    expect(a.at).toBeInstanceOf(Date);
    const detail = a.detail as { version: number; replaces: number; before: SlaRules; after: SlaRules; changes: unknown[] };
    expect(detail).toMatchObject({ version: 2, replaces: 1 });
    expect(detail.before.faultDispatchMin).toBe(5);
    expect(detail.after.faultDispatchMin).toBe(3);
    expect(detail.changes.length).toBeGreaterThan(0);
  });

  it('a version with a future effective time is not in force before it', async () => {
    const at = new Date(Date.now() + 3600_000);
    const v3 = await admin.settings.publish.mutate({
      kind: 'sla',
      value: sla({ faultDispatchMin: 10 }),
      effectiveAt: at.toISOString(),
      note: '明天起执行',
    });
    expect(v3).toMatchObject({ version: 3, state: 'scheduled', stateLabel: '待生效' });
    const cur = await supervisor.settings.current.query({ kind: 'sla' });
    expect(cur).toMatchObject({ version: 2, latestVersion: 3, scheduled: [{ version: 3 }] });
    const o = await stored((await fault()).id);
    expect(o.slaVersion).toBe(2);
    expect(span(o.nextDeadline!)).toBe(3);
    // At its time it takes over (computed from the cached versions, no new read needed).
    expect(slaConfigFor(null, new Date(at.getTime() + 1)).slaVersion).toBe(3);
  });

  it('shows one version with its before/after against the one before it', async () => {
    const v = await supervisor.settings.version.query({ kind: 'sla', version: 2 });
    expect(v).toMatchObject({ version: 2, previousVersion: 1, value: { faultDispatchMin: 3 } });
    expect(v.changes).toContainEqual({ path: 'faultDispatchMin', label: '故障派单时限', before: '5分钟', after: '3分钟' });
    await expectTrpcError(supervisor.settings.version.query({ kind: 'sla', version: 99 }), 'NOT_FOUND');
  });

  it('rolls back by publishing a copy of an earlier version as the newest', async () => {
    const r = await admin.settings.rollback.mutate({ kind: 'sla', toVersion: 1, baseVersion: 3 });
    expect(r).toMatchObject({ version: 4, rolledBackFrom: 1, note: '回滚到第1版', state: 'in_force' });
    expect(r.changes).toContainEqual({ path: 'faultDispatchMin', label: '故障派单时限', before: '10分钟', after: '5分钟' });
    expect(((await supervisor.settings.current.query({ kind: 'sla' })).value as SlaRules).faultDispatchMin).toBe(5);
    const o = await stored((await fault()).id);
    expect([o.slaVersion, span(o.nextDeadline!)]).toEqual([4, 5]);
    const audit = await AuditLogModel.findOne({ action: 'settings.rollback', targetId: 'sla' }).lean();
    expect(audit!.detail).toMatchObject({ version: 4, rolledBackFrom: 1 });
    // The latest version cannot be "rolled back" to itself.
    await expectTrpcError(admin.settings.rollback.mutate({ kind: 'sla', toVersion: 4 }), 'BAD_REQUEST');
    // v3 (scheduled) still takes over at its time: a rollback does not cancel a scheduled version.
    const h = await supervisor.settings.history.query({ kind: 'sla' });
    expect(h.map((x) => [x.version, x.state])).toEqual([
      [4, 'in_force'],
      [3, 'scheduled'],
      [2, 'superseded'],
      [1, 'superseded'],
    ]);
  });

  it('two admins publishing at once get two versions, numbered one after the other', async () => {
    const base = SETTING_DEFAULTS.cluster;
    const [a, b] = await Promise.all([
      admin.settings.publish.mutate({ kind: 'cluster', value: { ...base, areaThreshold: 4 } }),
      admin2.settings.publish.mutate({ kind: 'cluster', value: { ...base, areaThreshold: 5 } }),
    ]);
    expect([a.version, b.version].sort()).toEqual([2, 3]);
    expect(await SettingVersionModel.countDocuments({ kind: 'cluster' })).toBe(3);
  });

  it('a version written by another instance is in force here within the refresh interval', async () => {
    await refreshSettings();
    const last = settingInForce('cluster');
    // As another API instance would: straight into the database.
    await SettingVersionModel.create({
      kind: 'cluster',
      version: last.version + 1,
      value: { ...last.value, areaThreshold: 9 },
      effectiveAt: new Date(),
      createdBy: String(new Types.ObjectId()),
      createdByName: '另一实例',
      createdAt: new Date(),
      note: '',
    });
    expect(settingInForce('cluster').value.areaThreshold).toBe(last.value.areaThreshold);
    await new Promise((r) => setTimeout(r, REFRESH_MS * 2 + 100));
    expect(settingInForce('cluster').value.areaThreshold).toBe(9);
    // What dispatchers read goes through the same settings.
    expect((await dispatcher.outage.clusterSettings.query()).areaThreshold).toBe(9);
  });

  it('a bill keeps the tariff version it was computed under', async () => {
    await seedBilling({ months: 2 });
    const bill = (await BillModel.findOne({ tariffCode: 'RES-TIER-HN' }).lean())!;
    expect(bill.tariffVersion).toBe(1);
    const tariffs = structuredClone(SETTING_DEFAULTS.tariffs);
    for (const t of (tariffs['RES-TIER-HN'] as { tiers: { priceMilliFen: number }[] }).tiers) t.priceMilliFen += 1_000;
    const v2 = await admin.settings.publish.mutate({ kind: 'tariffs', value: tariffs, note: '居民第一档调价' });
    expect(v2.changes[0]).toEqual({
      path: 'RES-TIER-HN.tiers.0.priceMilliFen',
      label: '居民生活用电（年阶梯）·第一档电价',
      before: '0.5469元/千瓦时',
      after: '0.5569元/千瓦时',
    });
    // The bill's lines still show the price it was issued at.
    const detail = await supervisor.billing.bill.query({ billId: String(bill._id) });
    const v1Price: Record<string, string> = { tier1: '0.5469', tier2: '0.5969', tier3: '0.8469' };
    for (const l of detail.lines) expect(l.priceYuan).toBe(v1Price[l.band]);
    expect(detail.totalMilliFen).toBe(bill.totalMilliFen);
    // So do the settled months of the history.
    const res = await AccountModel.find({ tariffCode: 'RES-TIER-HN', paymentMode: 'postpaid' }, { _id: 1 }).lean();
    const h = await UsageHistoryModel.findOne({ _id: { $in: res.map((a) => a._id) }, 'months.paidAt': { $ne: null } }).lean();
    const month = h!.months.find((m) => m.paidAt)!;
    expect(month.tariffVersion).toBe(1);
    const old = await supervisor.billing.bill.query({ billId: `${h!._id}:${month.period}` });
    for (const l of old.lines) expect(l.priceYuan).toBe(v1Price[l.band]);
  });

  it('a restart keeps every change (the cache is rebuilt from the database)', async () => {
    resetSettingsCache();
    await refreshSettings();
    expect(settingInForce('sla').version).toBe(4);
    expect(settingInForce('cluster').value.areaThreshold).toBe(9);
    expect((await supervisor.settings.history.query({ kind: 'sla' })).length).toBe(4);
  });
});
