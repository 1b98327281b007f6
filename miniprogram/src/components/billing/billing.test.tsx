import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render } from '@testing-library/react';
import { BillSelect } from './BillSelect';
import { RechargeForm } from './RechargeForm';
import { PayForForm, type PayForApi, type PayForInfo } from './PayForForm';
import { InvoiceForm } from './InvoiceForm';
import type { BillLike } from '@/lib/billing';

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};
const flush = () =>
  act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });

const bills: BillLike[] = [
  { id: 'b2', period: '2026-11', kwh: 210, amountFen: 11640, lateFeeFen: 0, totalDueFen: 11640, dueDay: '2026-12-20', status: 'unpaid' },
  { id: 'b1', period: '2026-10', kwh: 180, amountFen: 9800, lateFeeFen: 294, totalDueFen: 10094, dueDay: '2026-11-20', status: 'overdue' },
];

describe('BillSelect', () => {
  it('selects every unpaid bill, shows the total with late fees and pays oldest first', () => {
    const onPay = vi.fn();
    render(<BillSelect bills={bills} onPay={onPay} />);
    expect(byId('unpaid-total').textContent).toBe('¥217.34');
    expect(byId('unpaid-list').textContent).toContain('含违约金 ¥2.94');
    expect(byId('unpaid-bill-2026-10').textContent).toContain('已逾期');
    fireEvent.click(byId('unpaid-pay'));
    expect(onPay).toHaveBeenCalledTimes(1);
    expect(onPay.mock.calls[0]![0].map((b: BillLike) => b.id)).toEqual(['b1', 'b2']);
  });

  it('updates the total when bills are toggled and refuses to pay nothing', () => {
    const onPay = vi.fn();
    render(<BillSelect bills={bills} onPay={onPay} />);
    fireEvent.click(byId('unpaid-bill-2026-10'));
    expect(byId('unpaid-total').textContent).toBe('¥116.40');
    expect(byId('unpaid-pay').textContent).toBe('微信支付 ¥116.40');
    fireEvent.click(byId('unpaid-select-all'));
    expect(byId('unpaid-total').textContent).toBe('¥217.34');
    fireEvent.click(byId('unpaid-select-all'));
    expect(byId('unpaid-total').textContent).toBe('¥0.00');
    fireEvent.click(byId('unpaid-pay'));
    expect(byId('unpaid-error').textContent).toBe('请选择要缴纳的账单');
    expect(onPay).not.toHaveBeenCalled();
  });

  it('says when nothing is owed', () => {
    render(<BillSelect bills={[{ ...bills[0]!, status: 'paid' }]} onPay={vi.fn()} />);
    expect(byId('unpaid-empty').textContent).toContain('已全部缴清');
  });
});

describe('RechargeForm', () => {
  it('pays a preset amount in fen', () => {
    const onPay = vi.fn();
    render(<RechargeForm onPay={onPay} />);
    fireEvent.click(byId('recharge-preset-200'));
    expect(byId('recharge-pay').textContent).toBe('微信支付 ¥200.00');
    fireEvent.click(byId('recharge-pay'));
    expect(onPay).toHaveBeenCalledWith(20000);
  });

  it('validates a custom amount', () => {
    const onPay = vi.fn();
    render(<RechargeForm onPay={onPay} />);
    const input = byId('recharge-custom') as HTMLInputElement;
    fireEvent.change(input, { target: { value: '0.5' } });
    fireEvent.click(byId('recharge-pay'));
    expect(byId('recharge-error').textContent).toBe('最少充值 1 元');
    fireEvent.change(input, { target: { value: '60000' } });
    fireEvent.click(byId('recharge-pay'));
    expect(byId('recharge-error').textContent).toBe('单笔最多充值 5 万元');
    fireEvent.change(input, { target: { value: '' } });
    fireEvent.click(byId('recharge-pay'));
    expect(byId('recharge-error').textContent).toBe('请选择或输入充值金额');
    fireEvent.change(input, { target: { value: '88.8' } });
    fireEvent.click(byId('recharge-pay'));
    expect(onPay).toHaveBeenCalledWith(8880);
  });
});

describe('PayForForm (代缴)', () => {
  const info: PayForInfo = {
    number: '3101000000002',
    holderNameMasked: '李*英',
    paymentMode: 'postpaid',
    supplyState: 'normal',
    unpaidBills: [{ id: 'b2', period: '2026-11', amountFen: 11640, lateFeeFen: 0, totalDueFen: 11640, dueDay: '2026-12-20' }],
    totalDueFen: 11640,
    balanceNegative: null,
  };
  const makeApi = (lookup: PayForApi['lookup'] = vi.fn(async () => info)): PayForApi => ({
    lookup,
    message: (e, f) => (e instanceof Error ? e.message : f),
  });

  it('validates the number before looking it up', async () => {
    const api = makeApi();
    render(<PayForForm api={api} onPayBills={vi.fn()} onRecharge={vi.fn()} />);
    fireEvent.click(byId('payfor-lookup'));
    expect(byId('payfor-number-error').textContent).toBe('请输入户号');
    fireEvent.change(byId('payfor-number'), { target: { value: '12345' } });
    fireEvent.click(byId('payfor-lookup'));
    expect(byId('payfor-number-error').textContent).toBe('户号应为 13 位数字');
    expect(api.lookup).not.toHaveBeenCalled();
  });

  it('shows lookup errors', async () => {
    render(
      <PayForForm
        api={makeApi(vi.fn(async () => Promise.reject(new Error('未找到该户号，请核对后重试'))))}
        onPayBills={vi.fn()}
        onRecharge={vi.fn()}
      />,
    );
    fireEvent.change(byId('payfor-number'), { target: { value: '3101999999999' } });
    fireEvent.click(byId('payfor-lookup'));
    await flush();
    expect(byId('payfor-number-error').textContent).toBe('未找到该户号，请核对后重试');
  });

  it('pays only after the masked holder name is confirmed', async () => {
    const onPayBills = vi.fn();
    render(<PayForForm api={makeApi()} onPayBills={onPayBills} onRecharge={vi.fn()} />);
    fireEvent.change(byId('payfor-number'), { target: { value: '3101 0000 0000 2' } });
    fireEvent.click(byId('payfor-lookup'));
    await flush();
    expect(byId('payfor-holder-masked').textContent).toBe('李*英');
    expect(byId('payfor-bill-2026-11').textContent).not.toContain('kWh');
    fireEvent.click(byId('payfor-pay'));
    expect(byId('payfor-confirm-error').textContent).toBe('请先确认户名');
    expect(onPayBills).not.toHaveBeenCalled();
    fireEvent.click(byId('payfor-confirm'));
    fireEvent.click(byId('payfor-pay'));
    expect(onPayBills).toHaveBeenCalledTimes(1);
    expect(onPayBills.mock.calls[0]![0]).toBe(info);
    expect(onPayBills.mock.calls[0]![1].map((b: BillLike) => b.id)).toEqual(['b2']);
  });

  it('offers a recharge for a prepaid account', async () => {
    const onRecharge = vi.fn();
    const prepaid = { ...info, paymentMode: 'prepaid' as const, unpaidBills: [], totalDueFen: 0, balanceNegative: true };
    render(<PayForForm api={makeApi(vi.fn(async () => prepaid))} onPayBills={vi.fn()} onRecharge={onRecharge} />);
    fireEvent.change(byId('payfor-number'), { target: { value: '3101000000009' } });
    fireEvent.click(byId('payfor-lookup'));
    await flush();
    expect(byId('payfor-prepaid').textContent).toContain('余额不足');
    fireEvent.click(byId('payfor-confirm'));
    fireEvent.click(byId('payfor-recharge-preset-50'));
    fireEvent.click(byId('payfor-recharge-pay'));
    expect(onRecharge).toHaveBeenCalledWith(prepaid, 5000);
  });
});

describe('InvoiceForm (发票抬头)', () => {
  const setup = (request = vi.fn(async () => ({ invoiceNo: '26430000000000000001' }))) => {
    const onIssued = vi.fn();
    render(
      <InvoiceForm
        api={{ request, message: (e, f) => (e instanceof Error ? e.message : f) }}
        amountFen={11640}
        onIssued={onIssued}
        onCancel={vi.fn()}
      />,
    );
    return { request, onIssued };
  };

  it('refuses an empty name and a malformed credit code without calling the API', async () => {
    const { request } = setup();
    expect(byId('invoice-form').textContent).toContain('¥116.40');
    fireEvent.click(byId('invoice-submit'));
    expect(byId('invoice-error').textContent).toBe('请填写发票抬头（姓名，至少2个字）');
    fireEvent.click(byId('invoice-type-company'));
    fireEvent.change(byId('invoice-name'), { target: { value: '长沙星城制造有限公司' } });
    fireEvent.change(byId('invoice-tax-id'), { target: { value: '9143010O' } });
    fireEvent.click(byId('invoice-submit'));
    expect(byId('invoice-error').textContent).toBe('统一社会信用代码为18位数字或大写字母');
    await flush();
    expect(request).not.toHaveBeenCalled();
  });

  it('sends a company title normalised, reports the invoice number, and shows the server refusal', async () => {
    const { request, onIssued } = setup();
    fireEvent.click(byId('invoice-type-company'));
    fireEvent.change(byId('invoice-name'), { target: { value: ' 长沙星城制造有限公司 ' } });
    fireEvent.change(byId('invoice-tax-id'), { target: { value: '91430100ma4l00000f' } });
    fireEvent.click(byId('invoice-submit'));
    await flush();
    expect(request).toHaveBeenCalledWith({ type: 'company', name: '长沙星城制造有限公司', taxId: '91430100MA4L00000F' });
    expect(onIssued).toHaveBeenCalledWith('26430000000000000001');

    const refused = setup(vi.fn(async () => Promise.reject(new Error('统一社会信用代码校验位不正确'))));
    fireEvent.change(document.querySelectorAll('#invoice-name')[1]!, { target: { value: '李秀英' } });
    fireEvent.click(document.querySelectorAll('#invoice-submit')[1]!);
    await flush();
    expect(refused.request).toHaveBeenCalledWith({ type: 'personal', name: '李秀英' });
    expect(document.querySelectorAll('#invoice-error')[0]!.textContent).toBe('统一社会信用代码校验位不正确');
    expect(refused.onIssued).not.toHaveBeenCalled();
  });
});
