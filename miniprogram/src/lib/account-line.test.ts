import { describe, expect, it, vi } from 'vitest';
import { accountLine, customerName, formatDueDay, lastMonthUsage, loadAccountFacts, tierProgress, type LineAccount } from './account-line';
import { routeParam } from './routes';
import { billUrl } from './routes';

const base: LineAccount = {
  number: '3101000000004',
  holderNameMasked: '王*英',
  relation: 'self',
  level: 'follow',
  usageCategory: 'residential',
  paymentMode: 'postpaid',
  supplyState: 'normal',
  balanceFen: 0,
  arrearsFen: 0,
};
const now = new Date('2026-12-01T10:00:00+08:00');

describe('accountLine: the state of an account in one honest line', () => {
  it('arrears with the due date of the oldest open bill, even while the supply state still says normal', () => {
    const l = accountLine({ ...base, arrearsFen: 11594 }, { oldestOpen: { dueDay: '2026-12-20' } }, now);
    expect(l).toEqual({ tone: 'warn', text: '欠费 ¥115.94，请于 12月20日前缴清', action: 'pay' });
    expect(l.text).not.toContain('正常');
  });

  it('past the due date: overdue, with late fees', () => {
    expect(accountLine({ ...base, supplyState: 'arrears', arrearsFen: 9800 }, { oldestOpen: { dueDay: '2026-11-20' } }, now)).toEqual({
      tone: 'danger',
      text: '欠费 ¥98.00，已过 11月20日缴费期限，每日加收违约金',
      action: 'pay',
    });
    expect(accountLine({ ...base, arrearsFen: 9800 }, { oldestOpen: { dueDay: '2025-12-20' } }, now).text).toContain('2025年12月20日');
  });

  it('arrears without the bills loaded yet, and disconnected for arrears', () => {
    expect(accountLine({ ...base, arrearsFen: 100 }, {}, now).text).toBe('欠费 ¥1.00，请尽快缴清');
    expect(accountLine({ ...base, supplyState: 'disconnected', arrearsFen: 24293 }, {}, now)).toMatchObject({
      tone: 'danger',
      text: '欠费停电：欠费 ¥242.93，缴清后自动安排复电',
    });
  });

  it('a settled postpaid account shows no balance of ¥0.00 — it says it owes nothing', () => {
    const l = accountLine(base, {}, now);
    expect(l).toEqual({ tone: 'ok', text: '电费已缴清，当前无欠费', action: 'bills' });
    expect(l.text).not.toContain('¥0.00');
  });

  it('prepaid: balance and the days it lasts; low, unknown, negative, disconnected', () => {
    const p = { ...base, paymentMode: 'prepaid' as const, balanceFen: 8650 };
    expect(accountLine(p, { prepaid: { balanceFen: 8650, estimatedDaysLeft: 23 } }, now)).toEqual({
      tone: 'ok',
      text: '余额 ¥86.50，预计可用 23 天',
      action: 'recharge',
    });
    expect(accountLine(p, { prepaid: { balanceFen: 1200, estimatedDaysLeft: 3 } }, now)).toMatchObject({
      tone: 'warn',
      text: '余额 ¥12.00，仅够用约 3 天，请及时充值',
    });
    expect(accountLine(p, {}, now).text).toBe('余额 ¥86.50');
    expect(accountLine({ ...p, balanceFen: -530 }, {}, now)).toMatchObject({ tone: 'danger', text: '余额不足，已欠费 ¥5.30，请尽快充值' });
    expect(accountLine({ ...p, balanceFen: -530, supplyState: 'disconnected' }, {}, now).text).toBe('欠费停电：已欠费 ¥5.30，充值后自动复电');
  });

  it('formats due days in Chinese', () => {
    expect(formatDueDay('2026-01-05', now)).toBe('1月5日');
    expect(formatDueDay('2027-01-05', now)).toBe('2027年1月5日');
  });
});

describe('usage facts', () => {
  const series = [
    { period: '2026-11', kwh: 312 },
    { period: '2025-12', kwh: 400 },
    ...Array.from({ length: 10 }, (_, i) => ({ period: `2026-${String(i + 1).padStart(2, '0')}`, kwh: 200 })),
  ];

  it('last month, whatever order the series comes in', () => {
    expect(lastMonthUsage(series)).toBe('312 kWh（2026年11月）');
    expect(lastMonthUsage([])).toBeNull();
  });

  it('annual tier progress of a residential account: kWh this year, what is left in the tier', () => {
    const p = tierProgress(series, 'residential')!;
    expect(p).toMatchObject({ year: 2026, ytdKwh: 2312, tier: 0, leftKwh: 208, markPct: 52.5 });
    expect(p.text).toBe('已用 2,312 kWh · 第一档剩余 208 kWh');
    expect(p.fillPct).toBeCloseTo(48.2, 1);
    const second = tierProgress([...series, { period: '2026-12', kwh: 1000 }], 'residential')!;
    expect(second).toMatchObject({ tier: 1, leftKwh: 1488 });
    expect(second.text).toBe('已用 3,312 kWh · 第二档剩余 1,488 kWh');
    const third = tierProgress([{ period: '2026-12', kwh: 5000 }], 'residential')!;
    expect(third).toMatchObject({ tier: 2, leftKwh: null, fillPct: 100, text: '已用 5,000 kWh · 已进入第三档' });
    expect(tierProgress(series, 'commercial')).toBeNull();
  });
});

describe("the greeting uses the customer's own name", () => {
  it('the holder name of the account bound as 本人, else a real display name, never 微信用户', () => {
    expect(
      customerName({ displayName: '微信用户' }, [
        { relation: 'family', holderNameMasked: '李*福' },
        { relation: 'self', holderNameMasked: '王*英' },
      ]),
    ).toBe('王*英');
    expect(customerName({ displayName: '微信用户' }, [{ relation: 'family', holderNameMasked: '李*福' }])).toBeNull();
    expect(customerName({ displayName: '用户0001' }, [])).toBeNull();
    expect(customerName({ displayName: '李女士' }, [])).toBe('李女士');
  });
});

describe('routeParam: every bill id survives the trip to the bill page', () => {
  const id = '65f0a1b2c3d4e5f60718293a:2025-03';
  /** Taro H5 hands the page the query as written (queryString.parse with decode: false). */
  const paramsOf = (url: string) =>
    Object.fromEntries(
      url
        .split('?')[1]!
        .split('&')
        .map((kv) => kv.split('=') as [string, string]),
    );

  it('a history bill id (with a colon) and a live one come back as they were', () => {
    expect(routeParam(paramsOf(billUrl(id, 'acc1')), 'id')).toBe(id);
    expect(routeParam(paramsOf(billUrl('65f0a1b2c3d4e5f60718293b', 'acc1')), 'id')).toBe('65f0a1b2c3d4e5f60718293b');
    // Encoded twice on the way (a router that encodes again): still the same id.
    expect(routeParam({ id: encodeURIComponent(encodeURIComponent(id)) }, 'id')).toBe(id);
    // Already decoded (a runtime that decodes): unchanged.
    expect(routeParam({ id }, 'id')).toBe(id);
    expect(routeParam({}, 'id')).toBe('');
    expect(routeParam({ id: '%E0%A4%A' }, 'id')).toBe('%E0%A4%A');
  });
});

describe('loadAccountFacts', () => {
  const api = () => ({
    unpaidBills: vi.fn(async () => [
      { period: '2026-11', dueDay: '2026-12-20' },
      { period: '2026-10', dueDay: '2026-11-20' },
    ]),
    prepaid: vi.fn(async () => ({ balanceFen: 8650, estimatedDaysLeft: 23 })),
    usage: vi.fn(async () => [{ period: '2026-11', kwh: 312 }]),
  });

  it("asks for open bills only when something is owed, and takes the oldest one's due day", async () => {
    const a = api();
    expect(await loadAccountFacts({ ...base, id: 'a1', arrearsFen: 100 }, a)).toEqual({
      oldestOpen: { dueDay: '2026-11-20' },
      prepaid: null,
      usage: [{ period: '2026-11', kwh: 312 }],
    });
    const b = api();
    await loadAccountFacts({ ...base, id: 'a1' }, b);
    expect(b.unpaidBills).not.toHaveBeenCalled();
    expect(b.prepaid).not.toHaveBeenCalled();
  });

  it('prepaid accounts get their balance and days; a failed read leaves only its part out', async () => {
    const a = api();
    a.usage.mockRejectedValueOnce(new Error('network'));
    expect(await loadAccountFacts({ ...base, id: 'a1', paymentMode: 'prepaid' }, a)).toEqual({
      oldestOpen: null,
      prepaid: { balanceFen: 8650, estimatedDaysLeft: 23 },
      usage: null,
    });
  });
});
