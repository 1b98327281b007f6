import { describe, expect, it } from 'vitest';
import { createRandom } from '../../seed/random';
import { judgeJump, touShares, yearOnYear, type MonthKwh } from './usage.rules';

const SEASON = [1.3, 1.15, 1.0, 0.9, 0.95, 1.2, 1.6, 1.65, 1.2, 0.95, 1.0, 1.25];

/** 24 months ending 2026-11, seasonal like the demo seed, ±15 % noise. */
function series(seed: number, base = 50_000): MonthKwh[] {
  const r = createRandom(seed);
  const out: MonthKwh[] = [];
  for (let i = 0; i < 24; i++) {
    const y = 2024 + Math.floor((11 + i) / 12);
    const m = ((11 + i) % 12) + 1;
    out.push({ period: `${y}-${String(m).padStart(2, '0')}`, kwh: Math.round(base * SEASON[m - 1]! * (0.85 + r.next() * 0.3)) });
  }
  return out;
}

describe('judgeJump (robust band on the year-on-year ratio)', () => {
  it('stays quiet on normal seasonal variation, over many sites', () => {
    let fired = 0;
    for (let s = 1; s <= 300; s++) if (judgeJump(series(s))?.flagged) fired++;
    expect(fired).toBe(0);
  });

  it('stays quiet on a summer peak that a band over the raw previous 12 months would flag', () => {
    // Ending in August: the highest month of the year, well above the mean of the 12 before it.
    const s = series(7).slice(0, 21); // … 2026-08
    expect(s[s.length - 1]!.period).toBe('2026-08');
    const prev = s.slice(-13, -1).map((m) => m.kwh);
    const mean = prev.reduce((a, b) => a + b, 0) / prev.length;
    expect(s[s.length - 1]!.kwh).toBeGreaterThan(mean * 1.2);
    expect(judgeJump(s)!.flagged).toBe(false);
  });

  it('fires on a planted jump, with the figures', () => {
    const s = series(11);
    s[s.length - 1]!.kwh *= 2;
    const v = judgeJump(s)!;
    expect(v.flagged).toBe(true);
    expect(v.period).toBe('2026-11');
    expect(v.yoyPercent).toBeGreaterThan(150);
    expect(v.upperKwh).toBeLessThan(v.kwh);
    expect(v.lastYearKwh).toBe(s[s.length - 13]!.kwh);
  });

  it('an earlier spike does not hide a new one (median and MAD, not mean and σ)', () => {
    const s = series(23);
    s[s.length - 5]!.kwh *= 3; // a spike four months ago
    s[s.length - 1]!.kwh = Math.round(s[s.length - 13]!.kwh * 1.9);
    expect(judgeJump(s)!.flagged).toBe(true);
  });

  it('does not judge without a year of history', () => {
    const s = series(5).slice(-10);
    s[s.length - 1]!.kwh *= 3;
    expect(judgeJump(s)!.flagged).toBe(false);
  });
});

describe('touShares and yearOnYear', () => {
  it('shares in tenths of a percent add up to 100 %', () => {
    expect(touShares({ peak: 1, flat: 1, valley: 1 })).toEqual({ peak: 334, flat: 333, valley: 333 });
    expect(touShares({ peak: 350, flat: 400, valley: 250 })).toEqual({ peak: 350, flat: 400, valley: 250 });
    expect(touShares({ peak: 0, flat: 0, valley: 0 })).toBeNull();
  });
  it('pairs each month with the same month last year', () => {
    const y = yearOnYear(series(3), 2026);
    expect(y).toHaveLength(12);
    expect(y[0]!.thisYear).not.toBeNull();
    expect(y[0]!.lastYear).not.toBeNull();
    expect(y[11]!.thisYear).toBeNull(); // December 2026 not read yet
  });
});
