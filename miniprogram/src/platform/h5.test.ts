import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { currentSimUser, h5Platform, payAtSimulator, simUserFromUrl } from './h5';
import { describeOrder, type CashierOrder, type CashierSheet } from './cashier';
import { PlatformError } from './types';

describe('h5 platform adapter', () => {
  beforeEach(() => localStorage.clear());

  it('reads simUser before or inside the hash', () => {
    expect(simUserFromUrl('http://h/?simUser=alice#/pages/login/index')).toBe('alice');
    expect(simUserFromUrl('http://h/#/pages/login/index?simUser=bob&x=1')).toBe('bob');
    expect(simUserFromUrl('http://h/#/pages/login/index')).toBeNull();
  });

  it('remembers the URL simUser, else keeps one random id', () => {
    expect(currentSimUser('http://h/?simUser=alice')).toBe('alice');
    expect(currentSimUser('http://h/')).toBe('alice');
    localStorage.clear();
    const a = currentSimUser('http://h/');
    expect(a).toMatch(/^sim-/);
    expect(currentSimUser('http://h/')).toBe(a);
  });

  it('asks the simulator for login and phone codes', async () => {
    const fetchMock = vi.fn(async (_url: string, init: { body: string }) => {
      const body = JSON.parse(init.body) as Record<string, string>;
      return new Response(JSON.stringify({ code: `code-for-${body.simUser}-${body.phone ?? 'login'}` }), { status: 200 });
    });
    vi.stubGlobal('fetch', fetchMock);
    localStorage.setItem('ps.simUser', 'carol');
    expect(await h5Platform.login()).toBe('code-for-carol-login');
    expect(fetchMock.mock.calls[0]![0]).toBe('/wxsim/sim/wx/login');
    expect(JSON.parse(fetchMock.mock.calls[0]![1].body)).toEqual({ appid: 'wx8d2c3f1a5b7e9d01', simUser: 'carol' });
    expect(await h5Platform.getPhoneCode({ kind: 'phone', phone: '13800000009' })).toBe('code-for-carol-13800000009');
    expect(fetchMock.mock.calls[1]![0]).toBe('/wxsim/sim/wx/phone');
    vi.unstubAllGlobals();
  });

  const params = { appId: 'wx1', timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx123', signType: 'RSA' as const, paySign: 's' };
  const simOrder = {
    trade_state: 'NOTPAY',
    amount: { total: 11594 },
    description: '电费缴纳-3101000000004-2026-11',
    merchant_name: '示范市供电有限公司',
  };
  /** The Pay simulator: GET /sim/orders/<no>, POST /sim/pay/<no>. */
  const simFetch = (pay: () => Response = () => new Response(JSON.stringify({ trade_state: 'SUCCESS' }), { status: 200 })) =>
    vi.fn(async (_url: string, init?: { method?: string }) =>
      init?.method === 'POST' ? pay() : new Response(JSON.stringify(simOrder), { status: 200 }),
    );
  const fakeCashier = (answer: boolean) => {
    const seen: CashierOrder[] = [];
    const busy: boolean[] = [];
    let closed = 0;
    const open = (o: CashierOrder): CashierSheet => {
      seen.push(o);
      return { choice: Promise.resolve(answer), setBusy: (b) => busy.push(b), close: () => void closed++ };
    };
    return { open, seen, busy, closed: () => closed };
  };

  it('shows the order as the simulator holds it, then pays it there by out_trade_no once the payer confirms', async () => {
    const fetchMock = simFetch();
    vi.stubGlobal('fetch', fetchMock);
    const c = fakeCashier(true);
    await payAtSimulator(params, { paymentId: 'p1', outTradeNo: 'P20261201ABC' }, '/wxpaysim', c.open);
    expect(fetchMock.mock.calls.map((x) => [x[0], x[1]?.method ?? 'GET'])).toEqual([
      ['/wxpaysim/sim/orders/P20261201ABC', 'GET'],
      ['/wxpaysim/sim/pay/P20261201ABC', 'POST'],
    ]);
    expect(c.seen).toEqual([
      { amountFen: 11594, payee: '示范市供电有限公司', description: '电费缴纳-3101000000004-2026-11', outTradeNo: 'P20261201ABC' },
    ]);
    expect(c.busy).toEqual([true]);
    expect(c.closed()).toBe(1);
    await payAtSimulator(params, { paymentId: 'p1', outTradeNo: 'X1' }, 'http://sim:1/base/', fakeCashier(true).open);
    expect(fetchMock.mock.calls[3]![0]).toBe('http://sim:1/base/sim/pay/X1');
    vi.unstubAllGlobals();
  });

  it('cancelling pays nothing and says cancelled (like wx.requestPayment "fail cancel")', async () => {
    const fetchMock = simFetch();
    vi.stubGlobal('fetch', fetchMock);
    const c = fakeCashier(false);
    await expect(payAtSimulator(params, { paymentId: 'p1', outTradeNo: 'T1' }, '/wxpaysim', c.open)).rejects.toMatchObject({ reason: 'cancelled' });
    expect(fetchMock.mock.calls.some((x) => x[1]?.method === 'POST')).toBe(false);
    expect(c.closed()).toBe(1);
    vi.unstubAllGlobals();
  });

  it('a refusal at the simulator is a failure with its message; a bad package never opens the cashier', async () => {
    vi.stubGlobal(
      'fetch',
      simFetch(() => new Response(JSON.stringify({ code: 'ORDER_CLOSED', message: '订单已关闭' }), { status: 400 })),
    );
    const c = fakeCashier(true);
    await expect(payAtSimulator(params, { paymentId: 'p1', outTradeNo: 'T' }, '/wxpaysim', c.open)).rejects.toEqual(
      new PlatformError('failed', '订单已关闭'),
    );
    expect(c.closed()).toBe(1);
    await expect(payAtSimulator({ ...params, package: 'x' }, { paymentId: 'p1', outTradeNo: 'T' }, '/wxpaysim', c.open)).rejects.toBeInstanceOf(
      PlatformError,
    );
    expect(c.seen).toHaveLength(1);
    vi.unstubAllGlobals();
  });

  it('h5Platform.requestPayment opens the real cashier sheet: amount, payee, item; 取消 and 确认支付 are buttons', async () => {
    const fetchMock = simFetch();
    vi.stubGlobal('fetch', fetchMock);
    const cancelled = h5Platform.requestPayment(params, { paymentId: 'p1', outTradeNo: 'P1' });
    await vi.waitFor(() => expect(screen.getByRole('dialog', { name: '微信支付' })).toBeTruthy());
    const dialog = screen.getByRole('dialog', { name: '微信支付' });
    expect(dialog.textContent).toContain('¥115.94');
    expect(dialog.textContent).toContain('收款方示范市供电有限公司');
    expect(dialog.textContent).toContain('电费缴纳 · 户号 3101000000004 · 2026-11');
    fireEvent.click(screen.getByRole('button', { name: '取消' }));
    await expect(cancelled).rejects.toMatchObject({ reason: 'cancelled' });
    expect(screen.queryByRole('dialog')).toBeNull();

    const paid = h5Platform.requestPayment(params, { paymentId: 'p1', outTradeNo: 'P2' });
    await vi.waitFor(() => expect(screen.getByRole('button', { name: '确认支付' })).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: '确认支付' }));
    await expect(paid).resolves.toBeUndefined();
    expect(fetchMock.mock.calls.filter((x) => x[1]?.method === 'POST').map((x) => x[0])).toEqual(['/wxpaysim/sim/pay/P2']);
    expect(screen.queryByRole('dialog')).toBeNull();
    vi.unstubAllGlobals();
  });

  it('describes the order in the words of its description', () => {
    expect(describeOrder('电费缴纳-3101000000004-2026-11')).toBe('电费缴纳 · 户号 3101000000004 · 2026-11');
    expect(describeOrder('电费充值-3101000000007')).toBe('电费充值 · 户号 3101000000007');
    expect(describeOrder('其他')).toBe('其他');
  });
});

describe('h5 openDocument', () => {
  it('downloads through a same-origin link without leaving the page', async () => {
    const clicked: string[] = [];
    const spy = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.getAttribute('href')!);
    });
    await h5Platform.openDocument('/files/billing/65f0a1b2c3d4e5f60718293a/receipt.pdf?token=a.b.c');
    expect(clicked).toEqual(['/files/billing/65f0a1b2c3d4e5f60718293a/receipt.pdf?token=a.b.c']);
    expect(document.querySelectorAll('a').length).toBe(0);
    spy.mockRestore();
  });
});
