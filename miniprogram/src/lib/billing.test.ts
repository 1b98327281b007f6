import { describe, expect, it, vi } from 'vitest';
import {
  PayFlowError,
  formatPaidAt,
  invoiceTitleOf,
  chartRows,
  daysLeftKind,
  formatKwh,
  formatPeriod,
  openBillStatus,
  normalizeAmountInput,
  parseYuanToFen,
  payOrder,
  runPayment,
  selectedTotalFen,
  shortPeriod,
  usageSummary,
  type BillLike,
} from './billing';

const bill = (id: string, period: string, totalDueFen: number, status: BillLike['status'] = 'unpaid'): BillLike => ({
  id,
  period,
  kwh: 100,
  amountFen: totalDueFen,
  lateFeeFen: 0,
  totalDueFen,
  dueDay: `${period}-20`,
  status,
});

describe('bill formatters', () => {
  it('formats periods and kWh', () => {
    expect(formatPeriod('2026-01')).toBe('2026年1月');
    expect(formatPeriod('bad')).toBe('bad');
    expect(shortPeriod('2026-11')).toBe('26/11');
    expect(formatKwh(12345.4)).toBe('12,345 kWh');
    expect(formatKwh(-3)).toBe('0 kWh');
  });

  it('derives the status of an open bill', () => {
    const now = new Date('2026-12-10T12:00:00+08:00');
    expect(openBillStatus({ lateFeeFen: 0, dueDay: '2026-12-20' }, now)).toBe('unpaid');
    expect(openBillStatus({ lateFeeFen: 61, dueDay: '2026-12-20' }, now)).toBe('overdue');
    expect(openBillStatus({ lateFeeFen: 0, dueDay: '2026-12-09' }, now)).toBe('overdue');
  });

  it('sums the selected payable bills and pays the oldest first', () => {
    const bills = [bill('b', '2026-11', 1000), bill('a', '2026-10', 2050), bill('p', '2026-09', 999, 'paid')];
    const sel = new Set(['a', 'b', 'p']);
    expect(selectedTotalFen(bills, sel)).toBe(3050);
    expect(payOrder(bills, sel).map((b) => b.id)).toEqual(['a', 'b']);
    expect(selectedTotalFen(bills, new Set(['b']))).toBe(1000);
  });
});

describe('recharge amount', () => {
  it('parses yuan into integer fen without floating point', () => {
    expect(parseYuanToFen('50')).toEqual({ fen: 5000, error: null });
    expect(parseYuanToFen('0.1')).toEqual({ fen: null, error: 'min' });
    expect(parseYuanToFen('19.99')).toEqual({ fen: 1999, error: null });
    expect(parseYuanToFen('19.9')).toEqual({ fen: 1990, error: null });
    expect(parseYuanToFen('1.')).toEqual({ fen: 100, error: null });
    expect(parseYuanToFen('50000')).toEqual({ fen: 5_000_000, error: null });
    expect(parseYuanToFen('50000.01')).toEqual({ fen: null, error: 'max' });
    expect(parseYuanToFen('')).toEqual({ fen: null, error: 'empty' });
    expect(parseYuanToFen('1.234')).toEqual({ fen: null, error: 'format' });
    expect(parseYuanToFen('abc')).toEqual({ fen: null, error: 'format' });
  });

  it('normalizes typing', () => {
    expect(normalizeAmountInput('0012.345')).toBe('12.34');
    expect(normalizeAmountInput('1.2.3')).toBe('1.23');
    expect(normalizeAmountInput('¥88元')).toBe('88');
  });

  it('classifies the days left', () => {
    expect(daysLeftKind(null, -1)).toBe('negative');
    expect(daysLeftKind(null, 100)).toBe('unknown');
    expect(daysLeftKind(3, 100)).toBe('low');
    expect(daysLeftKind(30, 100)).toBe('ok');
  });
});

describe('usage chart data', () => {
  const series = Array.from({ length: 30 }, (_, i) => ({
    period: `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
    kwh: i + 1,
    amountFen: (i + 1) * 50,
  })).reverse();

  it('keeps the last 24 months, oldest first, latest flagged', () => {
    const rows = chartRows(series, 24);
    expect(rows).toHaveLength(24);
    expect(rows[0]!.period).toBe('2024-07');
    expect(rows[23]).toEqual({ label: '26/06', period: '2026-06', kwh: 30, latest: true });
    expect(rows.filter((r) => r.latest)).toHaveLength(1);
  });

  it('sums the last 12 months', () => {
    const s = usageSummary(series);
    expect(s.last12Kwh).toBe((19 + 30) * 6);
    expect(s.avgKwh).toBe(Math.round(((19 + 30) * 6) / 12));
    expect(s.last12Fen).toBe((19 + 30) * 6 * 50);
  });
});

describe('runPayment', () => {
  const params = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA' as const, paySign: 's' };
  const sleep = vi.fn(async () => undefined);

  it('polls paymentStatus after requestPayment until paid', async () => {
    const stages: string[] = [];
    const status = vi
      .fn()
      .mockResolvedValueOnce({ status: 'paying' })
      .mockRejectedValueOnce(new Error('network'))
      .mockResolvedValueOnce({ status: 'paid' });
    const pay = vi.fn(async () => undefined);
    const r = await runPayment({
      create: async () => ({ paymentId: 'p1', outTradeNo: 'T1', jsapiParams: params }),
      pay,
      status,
      sleep,
      onStage: (s) => stages.push(s),
    });
    expect(r).toEqual({ paymentId: 'p1', outTradeNo: 'T1' });
    expect(pay).toHaveBeenCalledWith(params, { paymentId: 'p1', outTradeNo: 'T1' });
    expect(status).toHaveBeenCalledTimes(3);
    expect(stages).toEqual(['creating', 'paying', 'confirming']);
  });

  it('does not treat the client success as paid: times out while the server says paying', async () => {
    await expect(
      runPayment({
        create: async () => ({ paymentId: 'p1', outTradeNo: 'T1', jsapiParams: params }),
        pay: async () => undefined,
        status: async () => ({ status: 'paying' }),
        sleep,
        intervalMs: 1000,
        timeoutMs: 3000,
      }),
    ).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('stops on cancel, closed and refunded', async () => {
    const cancel = new Error('cancel');
    const status = vi.fn();
    await expect(
      runPayment({
        create: async () => ({ paymentId: 'p', outTradeNo: 'T', jsapiParams: params }),
        pay: async () => Promise.reject(cancel),
        status,
        sleep,
      }),
    ).rejects.toBe(cancel);
    expect(status).not.toHaveBeenCalled();
    await expect(
      runPayment({
        create: async () => ({ paymentId: 'p', outTradeNo: 'T', jsapiParams: params }),
        pay: async () => undefined,
        status: async () => ({ status: 'closed' }),
        sleep,
      }),
    ).rejects.toBeInstanceOf(PayFlowError);
    await expect(
      runPayment({
        create: async () => ({ paymentId: 'p', outTradeNo: 'T', jsapiParams: params }),
        pay: async () => undefined,
        status: async () => ({ status: 'refunded' }),
        sleep,
      }),
    ).rejects.toMatchObject({ kind: 'refunded' });
    await expect(
      runPayment({ create: async () => ({ paymentId: 'p', outTradeNo: 'T', jsapiParams: null }), pay: async () => undefined, status, sleep }),
    ).rejects.toMatchObject({ kind: 'no-params' });
  });
});

describe('invoiceTitleOf', () => {
  it('trims and normalises a valid title, names what is wrong otherwise', () => {
    expect(invoiceTitleOf('personal', ' 李秀英 ', 'ignored')).toEqual({ type: 'personal', name: '李秀英' });
    expect(invoiceTitleOf('personal', '李', '')).toBe('personalName');
    expect(invoiceTitleOf('company', '长沙星城制造有限公司', '91430100 ma4l00000f')).toEqual({
      type: 'company',
      name: '长沙星城制造有限公司',
      taxId: '91430100MA4L00000F',
    });
    expect(invoiceTitleOf('company', '星城', '91430100MA4L00000F')).toBe('companyName');
    expect(invoiceTitleOf('company', '长沙星城制造有限公司', '91430100MA4L0000')).toBe('taxId');
    expect(invoiceTitleOf('company', '长沙星城制造有限公司', '91430100MA4L00000O')).toBe('taxId'); // no O in GB 32100
  });
});

describe('formatPaidAt', () => {
  it('shows the time this year and the date before', () => {
    const now = new Date('2026-12-02T10:00:00+08:00');
    expect(formatPaidAt('2026-12-01T22:37:00.000Z', now)).toBe('12-02 06:37');
    expect(formatPaidAt('2025-12-18T02:00:00.000Z', now)).toBe('2025-12-18');
    expect(formatPaidAt('nope', now)).toBe('');
  });
});
