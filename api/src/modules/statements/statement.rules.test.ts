import { describe, expect, it } from 'vitest';
import { computeCharge, DEFAULT_TARIFFS } from '../billing/tariff.rules';
import {
  accountLedger,
  addFigures,
  allocateFen,
  BOM,
  COMPONENTS,
  csvField,
  LINE_HEADERS,
  lineCells,
  nextPeriod,
  parseCsv,
  periodsBetween,
  toCsv,
  zeroFigures,
  type Component,
  type LedgerBill,
} from './statement.rules';
import { statementCsv, type StatementView } from './statement.service';

const at = (s: string) => new Date(`${s}+08:00`);

function bill(
  period: string,
  kwh: number,
  tariff: keyof typeof DEFAULT_TARIFFS,
  paidAt: string | null,
  lateFeePaidFen = 0,
  paymentId: string | null = null,
): LedgerBill {
  const t = DEFAULT_TARIFFS[tariff]!;
  const c =
    t.kind === 'tou'
      ? computeCharge(t, {
          bands: { peak: Math.round(kwh * 0.35), flat: kwh - Math.round(kwh * 0.35) - Math.round(kwh * 0.25), valley: Math.round(kwh * 0.25) },
        })
      : computeCharge(t, { kwh, ytdKwh: 2000 });
  return {
    accountId: 'a',
    period,
    kwh: c.kwh,
    amountFen: c.amountFen,
    lateFeePaidFen,
    paidAt: paidAt ? at(paidAt) : null,
    paymentId,
    components: allocateFen(
      c.lines.map((l) => ({ band: l.band as Component, kwh: l.kwh, amountMilliFen: l.amountMilliFen })),
      c.amountFen,
    ),
  };
}

describe('allocateFen', () => {
  it('splits a bill into whole-fen components that add up to the bill exactly', () => {
    for (let kwh = 1; kwh < 3000; kwh += 37) {
      for (const code of ['IND-TOU', 'COM-FLAT', 'RES-TIER-HN'] as const) {
        const b = bill('2026-10', kwh, code, null);
        expect(b.components.reduce((s, c) => s + c.fen, 0)).toBe(b.amountFen);
        expect(b.components.reduce((s, c) => s + c.kwh, 0)).toBe(b.kwh);
      }
    }
  });
  it('crosses residential tiers into two components', () => {
    const b = bill('2026-10', 900, 'RES-TIER-HN', null); // 2000 used: 520 in tier 1, 380 in tier 2
    expect(b.components.map((c) => [c.band, c.kwh])).toEqual([
      ['tier1', 520],
      ['tier2', 380],
    ]);
  });
});

describe('accountLedger: opening + charges − payments = closing', () => {
  // Hand-made history of one industrial account: September paid in October, October paid late in
  // November with a late fee, a November bill left open, an old bill still in arrears.
  const bills = [
    bill('2026-06', 12_000, 'IND-TOU', null), // arrears since July
    bill('2026-09', 10_000, 'IND-TOU', '2026-10-12T10:00:00'),
    bill('2026-10', 11_000, 'IND-TOU', '2026-11-25T09:00:00', 4321, 'p1'),
    bill('2026-11', 9_000, 'IND-TOU', null),
  ];
  const [june, sept, oct, nov] = bills as [LedgerBill, LedgerBill, LedgerBill, LedgerBill];

  it('November: the October bill is charged and paid (with its late fee), June stays open', () => {
    const f = accountLedger(bills, '2026-11');
    expect(f.openingFen).toBe(june.amountFen); // October's bill was issued on 1 November
    expect(f.chargesFen).toBe(oct.amountFen);
    expect(f.chargedPeriods).toEqual(['2026-10']);
    expect(f.lateFeeFen).toBe(4321);
    expect(f.paymentsFen).toBe(oct.amountFen + 4321);
    expect(f.closingFen).toBe(june.amountFen);
    expect(f.paymentIds).toEqual(['p1']);
    // Components add up to the charges, and to the bill's own lines.
    expect(COMPONENTS.reduce((s, c) => s + f.components[c].fen, 0)).toBe(f.chargesFen);
    expect(f.components.peak.kwh + f.components.flat.kwh + f.components.valley.kwh).toBe(oct.kwh);
  });

  it('October: September charged and paid; October not yet charged', () => {
    const f = accountLedger(bills, '2026-10');
    expect(f.openingFen).toBe(june.amountFen);
    expect(f.chargesFen).toBe(sept.amountFen);
    expect(f.paymentsFen).toBe(sept.amountFen);
    expect(f.closingFen).toBe(june.amountFen);
  });

  it('December: the November bill is charged and open at the end', () => {
    const f = accountLedger(bills, '2026-12');
    expect(f.openingFen).toBe(june.amountFen);
    expect(f.chargesFen).toBe(nov.amountFen);
    expect(f.paymentsFen).toBe(0);
    expect(f.closingFen).toBe(june.amountFen + nov.amountFen);
  });

  it('every month: closing equals the bills charged so far and still open at the month end', () => {
    for (const m of periodsBetween('2026-05', '2027-01')) {
      const f = accountLedger(bills, m);
      const end = at(`${nextPeriod(m)}-01T00:00:00`).getTime();
      const open = bills.filter((b) => nextPeriod(b.period) <= m && (!b.paidAt || b.paidAt.getTime() >= end)).reduce((s, b) => s + b.amountFen, 0);
      expect(f.closingFen, m).toBe(open);
      expect(f.openingFen + f.chargesFen + f.lateFeeFen - f.paymentsFen, m).toBe(f.closingFen);
      // Next month opens where this one closed.
      expect(accountLedger(bills, nextPeriod(m)).openingFen, m).toBe(f.closingFen);
    }
  });

  it('totals add up account by account', () => {
    const a = accountLedger(bills, '2026-11');
    const b = accountLedger([bill('2026-10', 777, 'COM-FLAT', '2026-11-03T08:00:00')], '2026-11');
    const t = addFigures(addFigures(zeroFigures(), a), b);
    expect(t.chargesFen).toBe(a.chargesFen + b.chargesFen);
    expect(t.components.single.fen).toBe(b.chargesFen);
    expect(t.closingFen).toBe(t.openingFen + t.chargesFen + t.lateFeeFen - t.paymentsFen);
  });
});

describe('CSV for Excel', () => {
  it('starts with a BOM, ends lines with CRLF, quotes commas, quotes and line breaks', () => {
    const csv = toCsv([
      ['户号', '用电地址'],
      ['3300000000001', '长沙市岳麓区麓谷大道,一号厂房'],
      ['3300000000002', '仓库"B"区\n二楼'],
    ]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv).toContain('"长沙市岳麓区麓谷大道,一号厂房"');
    expect(csv).toContain('"仓库""B""区\n二楼"');
    expect(csv.split('\r\n')).toHaveLength(4);
    expect(parseCsv(csv)).toEqual([
      ['户号', '用电地址'],
      ['3300000000001', '长沙市岳麓区麓谷大道,一号厂房'],
      ['3300000000002', '仓库"B"区\n二楼'],
    ]);
  });
  it('defuses formulas but keeps negative amounts', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-12.50')).toBe('-12.50');
  });

  it('the statement CSV has one row per PDF line with the same cells, and amounts in yuan from fen', () => {
    const f = accountLedger([bill('2026-10', 1234, 'COM-FLAT', '2026-11-02T10:00:00')], '2026-11');
    const lines = [
      { accountId: 'x', accountNumber: '3300000000001', siteName: '麓谷大道1号,一号厂房', figures: f },
      { accountId: 'y', accountNumber: '3300000000002', siteName: '仓库', figures: zeroFigures() },
    ];
    const s: StatementView = {
      month: '2026-11',
      monthLabel: '2026年11月',
      fromDay: '2026-11-01',
      toDay: '2026-11-30',
      enterpriseName: '长沙星城制造有限公司',
      generatedAt: new Date().toISOString(),
      chargedPeriods: ['2026-10'],
      lines,
      totals: addFigures(f, zeroFigures()),
      prepaidAccounts: 0,
      payments: [],
      otherPaymentsFen: 0,
      current: false,
    };
    const rows = parseCsv(statementCsv(s));
    const head = rows.findIndex((r) => r[0] === LINE_HEADERS[0]);
    expect(rows[head]!.slice(0, LINE_HEADERS.length)).toEqual(LINE_HEADERS);
    const body = rows.slice(head + 1, head + 1 + lines.length);
    body.forEach((r, i) => {
      expect(r.slice(0, LINE_HEADERS.length)).toEqual(lineCells(lines[i]!));
    });
    expect(body[0]![1]).toBe('麓谷大道1号,一号厂房');
    // 1234 kWh × 0.6852 = 845.5368 → 845.54 元
    expect(body[0]![4]).toBe('845.54');
    expect(rows[head + 1 + lines.length]![0]).toBe('合计');
  });
});
