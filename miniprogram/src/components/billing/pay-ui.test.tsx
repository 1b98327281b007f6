import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { ThresholdsForm } from './ThresholdsForm';
import { PayError, PaySuccess, type PaidDocumentsApi } from './PayStatus';
import { THRESHOLD_CHOICES_YUAN, thresholdPair, toggleThreshold } from '@/lib/billing';
import { AccountCard } from '@/components/AccountCard';

const flush = () =>
  act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });

describe('ThresholdsForm: two of 200/120/100/50/30/10 元, like the web', () => {
  const message = (e: unknown, f: string) => (e instanceof Error ? e.message : f);

  it('shows the current pair, offers the six choices and saves the two picked, higher first', async () => {
    const save = vi.fn(async (y: [number, number]) => ({ thresholdsFen: y.map((v) => v * 100) }));
    const onSaved = vi.fn();
    render(<ThresholdsForm currentFen={[3000, 1000]} api={{ save, message }} onSaved={onSaved} />);
    expect(screen.getByText('余额低于 30 元 或 10 元 时提醒您')).toBeTruthy();
    fireEvent.click(screen.getByText('修改'));
    expect(screen.getAllByRole('checkbox').map((c) => c.textContent)).toEqual(THRESHOLD_CHOICES_YUAN.map((y) => `${y} 元`));
    expect(screen.getByRole('checkbox', { name: '30 元' }).getAttribute('aria-checked')).toBe('true');
    // A third tick drops the oldest one.
    fireEvent.click(screen.getByRole('checkbox', { name: '100 元' }));
    expect(screen.getByRole('checkbox', { name: '30 元' }).getAttribute('aria-checked')).toBe('false');
    fireEvent.click(screen.getByText('保存'));
    await flush();
    expect(save).toHaveBeenCalledWith([100, 10]);
    expect(onSaved).toHaveBeenCalledWith([10000, 1000]);
    expect(screen.queryByRole('checkbox')).toBeNull();
  });

  it('asks for exactly two', async () => {
    const save = vi.fn();
    render(<ThresholdsForm currentFen={[3000, 1000]} api={{ save, message }} onSaved={vi.fn()} />);
    fireEvent.click(screen.getByText('修改'));
    fireEvent.click(screen.getByRole('checkbox', { name: '30 元' }));
    fireEvent.click(screen.getByText('保存'));
    await flush();
    expect(screen.getByText('请选择两个提醒金额')).toBeTruthy();
    expect(save).not.toHaveBeenCalled();
  });

  it('a name-only binding is refused by the server: its Chinese message is shown as it is', async () => {
    const save = vi.fn(async () => {
      throw new Error('此操作需户主验证：请用户主预留手机号接收验证码完成验证');
    });
    const onSaved = vi.fn();
    render(<ThresholdsForm currentFen={[3000, 1000]} api={{ save, message }} onSaved={onSaved} />);
    fireEvent.click(screen.getByText('修改'));
    fireEvent.click(screen.getByRole('checkbox', { name: '200 元' }));
    fireEvent.click(screen.getByText('保存'));
    await flush();
    expect(screen.getByText('此操作需户主验证：请用户主预留手机号接收验证码完成验证')).toBeTruthy();
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('toggle and pair rules', () => {
    expect(toggleThreshold([30, 10], 50)).toEqual([10, 50]);
    expect(toggleThreshold([30, 10], 30)).toEqual([10]);
    expect(thresholdPair([10, 200])).toEqual([200, 10]);
    expect(thresholdPair([10])).toBeNull();
  });
});

describe('PaySuccess: 查看收据 / 开具发票 right after paying', () => {
  const docsApi = (): PaidDocumentsApi & { [k: string]: ReturnType<typeof vi.fn> } =>
    ({
      openReceipt: vi.fn(),
      openInvoice: vi.fn(),
      requestInvoice: vi.fn(async () => ({ invoiceNo: '26430000000000000001' })),
      openHistory: vi.fn(),
      message: (e: unknown, f: string) => (e instanceof Error ? e.message : f),
    }) as never;

  it('one payment: its receipt, and an e-invoice with a personal title, then its download', async () => {
    const docs = docsApi();
    render(<PaySuccess amountFen={11594} kind="bill" payments={[{ paymentId: 'p1', amountFen: 11594 }]} docs={docs} onDone={vi.fn()} />);
    expect(screen.getByText('已支付 ¥115.94')).toBeTruthy();
    fireEvent.click(screen.getByText('查看收据'));
    expect(docs.openReceipt).toHaveBeenCalledWith('p1');
    fireEvent.click(screen.getByText('开具发票'));
    expect(screen.getByText('开具电子发票')).toBeTruthy();
    fireEvent.change(document.querySelector('#invoice-name')!, { target: { value: '王桂英' } });
    fireEvent.click(screen.getByText('提交'));
    await flush();
    expect(docs.requestInvoice).toHaveBeenCalledWith('p1', { type: 'personal', name: '王桂英' });
    expect(screen.getByText('发票已开具')).toBeTruthy();
    fireEvent.click(screen.getByText('下载发票'));
    expect(docs.openInvoice).toHaveBeenCalledWith('p1');
  });

  it('several payments: sends to 缴费记录', () => {
    const docs = docsApi();
    render(
      <PaySuccess
        amountFen={30000}
        kind="bill"
        payments={[
          { paymentId: 'p1', amountFen: 10000 },
          { paymentId: 'p2', amountFen: 20000 },
        ]}
        docs={docs}
        onDone={vi.fn()}
      />,
    );
    expect(screen.getByText('共缴纳 2 笔，收据和发票可在缴费记录中查看')).toBeTruthy();
    expect(screen.queryByText('查看收据')).toBeNull();
    fireEvent.click(screen.getByText('查看缴费记录'));
    expect(docs.openHistory).toHaveBeenCalled();
  });
});

describe('PayError: cancelled says so; a failure shows a way out', () => {
  it('cancelled: the bill is still unpaid, nothing else to do', () => {
    render(<PayError message="已取消支付，账单仍为待缴，可随时重新支付" kind="cancelled" onRetry={vi.fn()} onHistory={vi.fn()} />);
    expect(screen.getByText('已取消支付，账单仍为待缴，可随时重新支付')).toBeTruthy();
    expect(screen.queryByText('重新支付')).toBeNull();
  });

  it('failed: pay again, or look in 缴费记录 first', () => {
    const onRetry = vi.fn();
    const onHistory = vi.fn();
    render(<PayError message="支付未完成，请稍后重试" kind="failed" onRetry={onRetry} onHistory={onHistory} />);
    expect(screen.getByText(/请勿重复支付/)).toBeTruthy();
    fireEvent.click(screen.getByText('重新支付'));
    fireEvent.click(screen.getByText('查看缴费记录'));
    expect(onRetry).toHaveBeenCalled();
    expect(onHistory).toHaveBeenCalled();
  });
});

describe('AccountCard', () => {
  const account = {
    id: 'a1',
    number: '3101000000004',
    holderNameMasked: '王*英',
    addressMasked: '长沙市岳麓区人民东路****',
    relation: 'self' as const,
    level: 'follow' as const,
    usageCategory: 'residential' as const,
    paymentMode: 'postpaid' as const,
    supplyState: 'normal' as const,
    balanceFen: 0,
    arrearsFen: 11594,
  };

  it('says arrears and due date in one line, the binding level, last month and the tiers — no 正常 badge, no ¥0.00 balance', () => {
    const onBills = vi.fn();
    render(
      <AccountCard
        account={account}
        facts={{
          oldestOpen: { dueDay: '2099-12-20' },
          usage: [
            { period: '2026-11', kwh: 207 },
            { period: '2026-10', kwh: 1900 },
          ],
        }}
        onBills={onBills}
      />,
    );
    const card = document.getElementById('account-card-3101000000004')!;
    expect(screen.getByText('欠费 ¥115.94，请于 2099年12月20日前缴清')).toBeTruthy();
    expect(screen.getByText('户名关注')).toBeTruthy();
    expect(screen.getByText('207 kWh（2026年11月）')).toBeTruthy();
    expect(screen.getByText('已用 2,107 kWh')).toBeTruthy();
    expect(screen.getByText('第一档剩余 413 kWh')).toBeTruthy();
    expect(card.textContent).not.toContain('正常');
    expect(card.textContent).not.toContain('账户余额');
    fireEvent.click(screen.getByText('立即缴费'));
    expect(onBills).toHaveBeenCalled();
  });

  it('a settled 户主 account offers its bills', () => {
    render(<AccountCard account={{ ...account, level: 'holder', arrearsFen: 0 }} onBills={vi.fn()} />);
    expect(screen.getByText('电费已缴清，当前无欠费')).toBeTruthy();
    expect(screen.getByText('户主')).toBeTruthy();
    expect(screen.getByText('查看账单')).toBeTruthy();
    expect(screen.queryByText(/户名关注可缴费/)).toBeNull();
  });
});
