import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../seed/generate';
import { reopenLatestBills } from '../../seed/enterprise.seed';
import { expectTrpcError, startTestApi, type TestApi } from '../../testing/harness';
import { AccountModel, EnterpriseModel } from '../accounts/account.model';
import { identityKey, UserModel } from '../auth/user.model';
import { BillModel } from '../billing/billing.model';
import { seedBilling } from '../billing/seed';
import { shortAddress, siteNameOf, sortRows } from './portfolio.rules';

let api: TestApi;
let entId: Types.ObjectId;

async function login(username: string) {
  const r = await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return api.client(r.accessToken);
}

beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 200 });
  await seedBilling({});
  entId = (await EnterpriseModel.findOne({ name: DEMO.enterpriseName }).lean())!._id;
  const normal = await AccountModel.find({ enterpriseId: entId, paymentMode: 'postpaid', supplyState: 'normal' }, { _id: 1 })
    .sort({ number: 1 })
    .lean();
  await reopenLatestBills(normal.filter((_, i) => i % 3 === 1).map((a) => a._id));
}, 120_000);
afterAll(async () => {
  await api?.stop();
});

describe('portfolio rules', () => {
  it('names a site by its own name, else the short form of its address', () => {
    expect(shortAddress('长沙市岳麓区麓山路12号3栋2单元1101室')).toBe('岳麓区麓山路12号');
    expect(siteNameOf({ siteName: ' 仓库 ', address: 'x' })).toBe('仓库');
    expect(siteNameOf({ siteName: null, address: '长沙市芙蓉区五一大道8号' })).toBe('芙蓉区五一大道8号');
  });
  it('sorts with nulls last and ties by number', () => {
    const rows = [
      { number: '3', siteName: 'b', owedFen: 5, nextDueDay: null, lastKwh: 1, lastAmountFen: 1 },
      { number: '1', siteName: 'a', owedFen: 5, nextDueDay: '2026-12-20', lastKwh: null, lastAmountFen: 2 },
      { number: '2', siteName: 'c', owedFen: 9, nextDueDay: '2026-11-20', lastKwh: 3, lastAmountFen: 3 },
    ];
    expect(sortRows([...rows], 'arrears', 'desc').map((r) => r.number)).toEqual(['2', '1', '3']);
    expect(sortRows([...rows], 'nextDue', 'asc').map((r) => r.number)).toEqual(['2', '1', '3']);
    expect(sortRows([...rows], 'lastKwh', 'desc').map((r) => r.number)).toEqual(['2', '3', '1']);
  });
});

describe('户号总览 (portfolio)', () => {
  it('every account of the 500-account demo enterprise, totals over all, the company name in full', async () => {
    const finance = await login('ent_finance');
    const r = await finance.portfolio.list.query({ pageSize: 50 });
    expect(r.enterpriseName).toBe('长沙星城制造有限公司');
    expect(r.total).toBe(500);
    expect(r.totals.accounts).toBe(500);
    expect(r.rows).toHaveLength(50);
    const accounts = await AccountModel.find({ enterpriseId: entId }).lean();
    const owed = accounts.reduce((s, a) => s + (a.paymentMode === 'prepaid' ? Math.max(0, -a.balanceFen) : a.arrearsFen), 0);
    expect(r.totals.arrearsFen).toBe(owed);
    expect(r.totals.disconnected).toBe(accounts.filter((a) => a.supplyState === 'disconnected').length);
    const row = r.rows[0];
    expect(row.siteName).toMatch(/基地·/);
    expect(row.lastPeriod).toMatch(/^\d{4}-\d{2}$/);
    expect(row.lastKwh).toBeGreaterThan(0);
    // An account's next due day is its oldest unpaid bill's.
    const withBills = await finance.portfolio.list.query({ hasArrears: true, sort: 'nextDue', pageSize: 100 });
    expect(withBills.total).toBeGreaterThan(100);
    const first = withBills.rows[0];
    const oldest = await BillModel.findOne({ accountId: new Types.ObjectId(first.accountId), status: 'unpaid' })
      .sort({ dueDay: 1 })
      .lean();
    expect(first.nextDueDay).toBe(oldest!.dueDay);
  });

  it('filters, search, sort and paging on the server', async () => {
    const finance = await login('ent_finance');
    const disc = await finance.portfolio.list.query({ supplyState: 'disconnected' });
    expect(disc.rows.every((x) => x.supplyState === 'disconnected')).toBe(true);
    const ind = await finance.portfolio.list.query({ usageCategory: 'industrial', pageSize: 100 });
    expect(ind.rows.every((x) => x.usageCategory === 'industrial')).toBe(true);
    const com = await finance.portfolio.list.query({ usageCategory: 'commercial' });
    expect(ind.total + com.total).toBe(500);
    const none = await finance.portfolio.list.query({ hasArrears: false, pageSize: 100 });
    expect(none.rows.every((x) => x.owedFen === 0)).toBe(true);
    const search = await finance.portfolio.list.query({ search: '宿舍楼' });
    expect(search.total).toBeGreaterThan(10);
    expect(search.rows.every((x) => x.siteName.includes('宿舍楼'))).toBe(true);
    const byNumber = await finance.portfolio.list.query({ search: '3390000000123' });
    expect(byNumber.rows.map((x) => x.number)).toEqual(['3390000000123']);
    const due = await finance.portfolio.list.query({ dueWithinDays: 60, pageSize: 100 });
    expect(due.total).toBeGreaterThan(0);
    const top = await finance.portfolio.list.query({ sort: 'arrears', dir: 'desc', pageSize: 5 });
    for (let i = 1; i < top.rows.length; i++) expect(top.rows[i - 1].owedFen!).toBeGreaterThanOrEqual(top.rows[i].owedFen!);
    const p1 = await finance.portfolio.list.query({ page: 1, pageSize: 30 });
    const p2 = await finance.portfolio.list.query({ page: 2, pageSize: 30 });
    expect(new Set([...p1.rows, ...p2.rows].map((x) => x.accountId)).size).toBe(60);
    expect(p1.matchingIds).toHaveLength(500);
  });

  it('the power liaison sees sites and supply, not money; a site scope limits the rows; others see nothing', async () => {
    const elec = await login('ent_elec');
    const r = await elec.portfolio.list.query({});
    expect(r.total).toBe(500);
    expect(r.moneyVisible).toBe(false);
    expect(r.totals.arrearsFen).toBeNull();
    expect(r.rows.every((x) => x.owedFen === null && x.lastAmountFen === null)).toBe(true);
    expect(r.rows[0].lastKwh).toBeGreaterThan(0);

    const some = await AccountModel.find({ enterpriseId: entId }, { _id: 1 }).sort({ number: 1 }).limit(3).lean();
    const model = (await UserModel.findOne({ username: 'ent_finance' }).lean())!;
    await UserModel.create({
      kind: 'enterprise',
      identityKey: identityKey.password('ent_site_fin'),
      roles: ['enterprise_finance'],
      displayName: '范出纳',
      username: 'ent_site_fin',
      passwordHash: model.passwordHash,
      enterpriseId: entId,
      siteAccountIds: some.map((a) => a._id),
    });
    const scoped = await login('ent_site_fin');
    const s = await scoped.portfolio.list.query({});
    expect(s.total).toBe(3);
    expect(s.totals.accounts).toBe(3);

    const other = await login('other_ent_admin');
    const o = await other.portfolio.list.query({});
    expect(o.enterpriseName).toBe(DEMO.otherEnterpriseName);
    expect(o.rows.every((x) => !x.number.startsWith('339'))).toBe(true);

    const overview = await login('ent_admin');
    const ov = await overview.portfolio.overview.query();
    expect(ov.totals.accounts).toBe(500);
    expect(ov.attention.length).toBeGreaterThan(0);
    const agent = await login('agent01');
    await expectTrpcError(agent.portfolio.list.query({}), 'FORBIDDEN');
  });
});
