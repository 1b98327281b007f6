import { describe, expect, it } from 'vitest';
import {
  bandsFromIntervals,
  chargeMonths,
  computeCharge,
  daysOverdue,
  DEFAULT_LATE_FEES,
  DEFAULT_TARIFFS,
  lateFeeFen,
  roundHalfUp,
  splitTiers,
  tierYearOf,
  touBandAt,
  yuanToMilliFen,
  type TieredTariff,
  type TouTariff,
} from './tariff.rules';
import { afterRecharge, afterSettlement, dailyDeduction, estimatedDaysLeft, noticesForBalanceChange, validateThresholds } from './prepaid.rules';

const RES = DEFAULT_TARIFFS['RES-TIER-HN'] as TieredTariff;
const IND = DEFAULT_TARIFFS['IND-TOU'] as TouTariff;
const COM = DEFAULT_TARIFFS['COM-FLAT'];
const sh = (s: string) => new Date(`${s}+08:00`);

describe('prices and rounding', () => {
  it.each([
    ['0.5469', 54_690],
    ['0.5969', 59_690],
    ['0.8469', 84_690],
    ['1', 100_000],
    ['0.00001', 1],
  ])('%s yuan/kWh = %i milli-fen', (y, mf) => expect(yuanToMilliFen(y)).toBe(mf));

  it.each([
    [1499, 1000, 1],
    [1500, 1000, 2],
    [2500, 1000, 3],
    [0, 1000, 0],
    [999_999, 1_000_000, 1],
    [499_999, 1_000_000, 0],
    [-1500, 1000, -2],
  ])('roundHalfUp(%i / %i) = %i', (n, d, r) => expect(roundHalfUp(n, d)).toBe(r));

  it('rounds once at the end, not per line (three lines of .4 fen stay 1 fen, not 0)', () => {
    // 1 kWh in each tier: 54.69 + 59.69 + 84.69 = 199.07 fen → 199 (per-line rounding would give 55+60+85=200).
    const c = computeCharge(RES, { kwh: 3, ytdKwh: 0 });
    expect(c.lines).toHaveLength(1);
    const across = splitTiers(RES, 2519, 2282); // 1 kWh tier1, 2280 kWh tier2, 1 kWh tier3
    expect(across.map((l) => [l.band, l.kwh])).toEqual([
      ['tier1', 1],
      ['tier2', 2280],
      ['tier3', 1],
    ]);
    const total = across.reduce((s, l) => s + l.amountMilliFen, 0);
    expect(total).toBe(54_690 + 2280 * 59_690 + 84_690);
    expect(computeCharge(RES, { kwh: 2282, ytdKwh: 2519 }).amountFen).toBe(roundHalfUp(total, 1000));
  });
});

describe('residential annual tiers', () => {
  it.each([
    // ytd before, kWh this period, expected [band, kWh] lines, fen
    [0, 100, [['tier1', 100]], 5469],
    [0, 2520, [['tier1', 2520]], 137_819], // 2520 × 54.69 = 137818.8 → 137819
    [2519, 1, [['tier1', 1]], 55], // 54.69 → 55
    [2520, 1, [['tier2', 1]], 60], // the 2521st kWh is tier 2
    [
      2500,
      40,
      [
        ['tier1', 20],
        ['tier2', 20],
      ],
      2287,
    ], // 1093.8 + 1193.8 = 2287.6 → hmm computed below
    [4800, 1, [['tier3', 1]], 85],
    [
      4799,
      2,
      [
        ['tier2', 1],
        ['tier3', 1],
      ],
      144,
    ], // 59.69 + 84.69 = 144.38
    [10_000, 0, [], 0],
  ] as [number, number, [string, number][], number][])('ytd %i + %i kWh', (ytd, kwh, lines, fen) => {
    const c = computeCharge(RES, { kwh, ytdKwh: ytd });
    expect(c.lines.map((l) => [l.band, l.kwh])).toEqual(lines);
    const exact = c.lines.reduce((s, l) => s + l.kwh * l.priceMilliFen, 0);
    expect(c.totalMilliFen).toBe(exact);
    expect(c.amountFen).toBe(Math.round(exact / 1000));
    if (ytd !== 2500) expect(c.amountFen).toBe(fen);
    else expect(c.amountFen).toBe(roundHalfUp(20 * 54_690 + 20 * 59_690, 1000)); // 2287.6 → 2288
  });

  it('the tier count restarts with the tier year (December → January rollover)', () => {
    const months = [
      { period: '2025-11', kwh: 2400 },
      { period: '2025-12', kwh: 2500 }, // ytd 2400 → 120 tier1, 2280 tier2, 100 tier3
      { period: '2026-01', kwh: 300 }, // back to tier 1
    ];
    const c = chargeMonths(RES, months, 2100);
    expect(c[0].lines.map((l) => [l.band, l.kwh])).toEqual([
      ['tier1', 420],
      ['tier2', 1980],
    ]);
    expect(c[1].ytdKwhBefore).toBe(4500);
    expect(c[1].lines.map((l) => [l.band, l.kwh])).toEqual([
      ['tier2', 300],
      ['tier3', 2200],
    ]);
    expect(c[2].ytdKwhBefore).toBe(0);
    expect(c[2].lines.map((l) => [l.band, l.kwh])).toEqual([['tier1', 300]]);
    expect(c[2].amountFen).toBe(16_407);
  });

  it('a tier year starting in another month', () => {
    expect(tierYearOf('2026-06', 7)).toBe(2025);
    expect(tierYearOf('2026-07', 7)).toBe(2026);
    const shifted: TieredTariff = { ...RES, yearStartMonth: 7 };
    const c = chargeMonths(
      shifted,
      [
        { period: '2026-06', kwh: 10 },
        { period: '2026-07', kwh: 10 },
      ],
      5000,
    );
    expect(c[0].lines[0].band).toBe('tier3');
    expect(c[1].lines[0].band).toBe('tier1');
  });

  it('refuses fractional or negative kWh', () => {
    expect(() => computeCharge(RES, { kwh: 1.5 })).toThrow();
    expect(() => computeCharge(RES, { kwh: -1 })).toThrow();
  });
});

describe('commercial flat and industrial time of use', () => {
  it('flat: one line', () => {
    const c = computeCharge(COM, { kwh: 1234 });
    expect(c.lines).toEqual([{ band: 'single', kwh: 1234, priceMilliFen: 68_520, amountMilliFen: 1234 * 68_520 }]);
    expect(c.amountFen).toBe(84_554); // 84553.68
  });

  it.each([
    ['2026-03-02T07:59:59', 'flat'],
    ['2026-03-02T08:00:00', 'peak'],
    ['2026-03-02T10:59:59', 'peak'],
    ['2026-03-02T11:00:00', 'flat'],
    ['2026-03-02T17:59:59', 'flat'],
    ['2026-03-02T18:00:00', 'peak'],
    ['2026-03-02T22:59:59', 'peak'],
    ['2026-03-02T23:00:00', 'valley'],
    ['2026-03-03T00:30:00', 'valley'],
    ['2026-03-03T06:59:00', 'valley'],
    ['2026-03-03T07:00:00', 'flat'],
  ])('%s Shanghai time is %s', (t, band) => expect(touBandAt(IND, sh(t))).toBe(band));

  it('a day of hourly readings sums into bands: 8 peak h, 8 valley h, 8 flat h', () => {
    const intervals = Array.from({ length: 24 }, (_, h) => ({ at: sh(`2026-03-02T${String(h).padStart(2, '0')}:00:00`), kwh: 10 }));
    expect(bandsFromIntervals(IND, intervals)).toEqual({ peak: 80, flat: 80, valley: 80 });
    const c = computeCharge(IND, { bands: { peak: 80, flat: 80, valley: 80 } });
    expect(c.totalMilliFen).toBe(80 * (102_450 + 65_700 + 32_850));
    expect(c.amountFen).toBe(16_080);
  });

  it('time-of-use needs band readings', () => {
    expect(() => computeCharge(IND, { kwh: 10 })).toThrow();
  });
});

describe('late fee (违约金)', () => {
  const res = DEFAULT_LATE_FEES.residential;
  it.each([
    ['2026-03-15', '2026-03-15T23:59:00', 0], // due day itself: nothing
    ['2026-03-15', '2026-03-16T00:00:01', 1],
    ['2026-03-15', '2026-04-14T12:00:00', 30],
  ])('due %s, at %s → %i days overdue', (due, at, d) => expect(daysOverdue(due, sh(at))).toBe(d));

  it.each([
    [10_000, '2026-03-16T09:00:00', 10], // 100 yuan × 1‰ × 1 day = 0.1 yuan
    [12_345, '2026-03-17T09:00:00', 25], // 24.69 → 25
    [12_345, '2026-03-15T09:00:00', 0],
    [499, '2026-03-16T09:00:00', 0], // 0.499 fen → 0
    [500, '2026-03-16T09:00:00', 1], // 0.5 fen → 1 (half up)
    [0, '2026-05-16T09:00:00', 0],
  ])('%i fen overdue at %s → %i fen', (fen, at, fee) => expect(lateFeeFen(fen, '2026-03-15', sh(at), res)).toBe(fee));

  it('grace days and other rates', () => {
    expect(lateFeeFen(10_000, '2026-03-15', sh('2026-03-20T10:00:00'), { ppmPerDay: 2000, graceDays: 3 })).toBe(40);
  });
});

describe('smart prepaid', () => {
  it('thresholds: two of the allowed choices, highest first', () => {
    expect(validateThresholds([10, 200])).toEqual([20_000, 1000]);
    expect(() => validateThresholds([30, 30])).toThrow();
    expect(() => validateThresholds([25, 10])).toThrow();
    expect(() => validateThresholds([10, 30, 50])).toThrow();
  });

  it('alerts fire once when a threshold is crossed downward, and when the balance goes below zero', () => {
    expect(noticesForBalanceChange(3500, 3000, [3000, 1000])).toEqual([{ kind: 'threshold', thresholdFen: 3000 }]);
    expect(noticesForBalanceChange(3000, 2900, [3000, 1000])).toEqual([]);
    expect(noticesForBalanceChange(3100, -5, [3000, 1000])).toEqual([
      { kind: 'threshold', thresholdFen: 3000 },
      { kind: 'threshold', thresholdFen: 1000 },
      { kind: 'below_zero' },
    ]);
    expect(noticesForBalanceChange(-5, -100, [3000, 1000])).toEqual([]);
    expect(noticesForBalanceChange(500, 4000, [3000, 1000])).toEqual([]);
  });

  it('negative today → notice; still negative tomorrow → disconnected; payment → reconnected at once', () => {
    const d1 = afterSettlement({ balanceFen: 200, supplyState: 'normal', negativeSinceDay: null }, 300, [3000, 1000], '2026-03-01');
    expect(d1.state).toEqual({ balanceFen: -100, supplyState: 'arrears', negativeSinceDay: '2026-03-01' });
    expect(d1.notices).toEqual([{ kind: 'below_zero' }]);
    const d2 = afterSettlement(d1.state, 250, [3000, 1000], '2026-03-02');
    expect(d2.state.supplyState).toBe('disconnected');
    expect(d2.notices).toEqual([{ kind: 'disconnected' }]);
    const d3 = afterSettlement(d2.state, 0, [3000, 1000], '2026-03-03');
    expect(d3.notices).toEqual([]);
    expect(afterRecharge(d3.state, 100)).toEqual({
      state: { balanceFen: -250, supplyState: 'disconnected', negativeSinceDay: '2026-03-01' },
      reconnect: false,
    });
    expect(afterRecharge(d3.state, 350)).toEqual({ state: { balanceFen: 0, supplyState: 'normal', negativeSinceDay: null }, reconnect: true });
  });

  it('paid back the same day: no disconnection the next day', () => {
    const d1 = afterSettlement({ balanceFen: 100, supplyState: 'normal', negativeSinceDay: null }, 300, [3000, 1000], '2026-03-01');
    const paid = afterRecharge(d1.state, 5000);
    expect(paid.reconnect).toBe(false);
    const d2 = afterSettlement(paid.state, 300, [3000, 1000], '2026-03-02');
    expect(d2.state.supplyState).toBe('normal');
  });

  it('daily deductions of a month add up to the month total rounded once', () => {
    let mtd = 0;
    let ytd = 0;
    let sum = 0;
    for (let d = 0; d < 30; d++) {
      const r = dailyDeduction(RES, { ytdKwhBefore: ytd, mtdMilliFenBefore: mtd, kwh: 7 });
      mtd = r.mtdMilliFenAfter;
      ytd += 7;
      sum += r.chargeFen;
    }
    expect(sum).toBe(computeCharge(RES, { kwh: 210, ytdKwh: 0 }).amountFen);
  });

  it('estimated days left', () => {
    expect(estimatedDaysLeft(1000, [100, 100, 120])).toBe(9);
    expect(estimatedDaysLeft(-5, [100])).toBe(0);
    expect(estimatedDaysLeft(1000, [])).toBeNull();
  });
});
