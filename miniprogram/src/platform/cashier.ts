/**
 * H5 only: the cashier sheet of the WeChat Pay simulator — what stands where WeChat shows its own sheet
 * after wx.requestPayment. It shows the order as the Pay simulator holds it (amount, payee, item: not what
 * the page claims), and the payer confirms or cancels. Plain DOM: it is the platform's UI, not the app's.
 */
import { t } from '@/i18n';
import { formatFen } from '@/lib/format';

export interface CashierOrder {
  amountFen: number;
  payee: string;
  description: string;
  outTradeNo: string;
}

export interface CashierSheet {
  /** Resolves when the payer taps 确认支付 (true) or cancels (false). */
  choice: Promise<boolean>;
  /** While the payment goes through: the confirm button says so and nothing can be tapped. */
  setBusy(busy: boolean): void;
  close(): void;
}

/** "电费缴纳-3101000000004-2026-11" → "电费缴纳 · 户号 3101000000004 · 2026-11" (the order's own words). */
export function describeOrder(description: string): string {
  return description.replace(/^(.+?)-(\d{13})(?:-(\d{4}-\d{2}))?$/, (_m, what: string, no: string, period?: string) =>
    [what, `户号 ${no}`, period].filter(Boolean).join(' · '),
  );
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, style: Partial<CSSStyleDeclaration>, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e.style, style);
  if (text !== undefined) e.textContent = text;
  return e;
}

export function openCashier(order: CashierOrder): CashierSheet {
  let settle: (ok: boolean) => void = () => undefined;
  const choice = new Promise<boolean>((resolve) => {
    settle = resolve;
  });
  const mask = el('div', {
    position: 'fixed',
    left: '0',
    top: '0',
    right: '0',
    bottom: '0',
    zIndex: '10000',
    background: 'rgba(0,0,0,0.5)',
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'flex-end',
    fontFamily: 'inherit',
  });
  mask.className = 'wx-cashier-mask';
  const sheet = el('div', { background: '#ffffff', borderRadius: '16px 16px 0 0', padding: '18px 20px 28px', boxSizing: 'border-box' });
  sheet.setAttribute('role', 'dialog');
  sheet.setAttribute('aria-modal', 'true');
  sheet.setAttribute('aria-label', t.cashier.title);
  sheet.id = 'wx-cashier';

  const head = el('div', { display: 'flex', alignItems: 'center', justifyContent: 'space-between' });
  const close = el(
    'button',
    { border: 'none', background: 'transparent', fontSize: '22px', color: '#5b6673', padding: '0 4px', cursor: 'pointer' },
    '×',
  );
  close.type = 'button';
  close.setAttribute('aria-label', t.cashier.close);
  const title = el('h2', { margin: '0', fontSize: '17px', fontWeight: '600', color: '#1d2733' }, t.cashier.title);
  head.append(close, title, el('span', { width: '22px' }));

  const amount = el(
    'div',
    { marginTop: '22px', textAlign: 'center', fontSize: '34px', fontWeight: '700', color: '#1d2733' },
    formatFen(order.amountFen),
  );
  amount.setAttribute('data-cashier', 'amount');
  const sim = el('div', { marginTop: '4px', textAlign: 'center', fontSize: '12px', color: '#8b95a1' }, t.cashier.sim);

  const rows = el('div', { marginTop: '18px', borderTop: '1px solid #f0f2f5' });
  const row = (k: string, v: string) => {
    const r = el('div', { display: 'flex', justifyContent: 'space-between', padding: '11px 0', borderBottom: '1px solid #f0f2f5', fontSize: '14px' });
    r.append(
      el('span', { color: '#8b95a1', flexShrink: '0', marginRight: '16px' }, k),
      el('span', { color: '#1d2733', textAlign: 'right', wordBreak: 'break-all' }, v),
    );
    rows.append(r);
  };
  row(t.cashier.payee, order.payee || t.cashier.unknownPayee);
  if (order.description) row(t.cashier.item, describeOrder(order.description));
  row(t.cashier.order, order.outTradeNo);

  const confirm = el(
    'button',
    {
      display: 'block',
      width: '100%',
      marginTop: '22px',
      height: '46px',
      border: 'none',
      borderRadius: '8px',
      background: '#07c160',
      color: '#ffffff',
      fontSize: '17px',
      fontWeight: '600',
      cursor: 'pointer',
    },
    t.cashier.confirm,
  );
  confirm.type = 'button';
  const cancel = el(
    'button',
    {
      display: 'block',
      width: '100%',
      marginTop: '10px',
      height: '42px',
      border: 'none',
      borderRadius: '8px',
      background: '#f2f5f8',
      color: '#5b6673',
      fontSize: '15px',
      cursor: 'pointer',
    },
    t.cashier.cancel,
  );
  cancel.type = 'button';

  sheet.append(head, amount, sim, rows, confirm, cancel);
  mask.append(sheet);
  document.body.append(mask);

  let done = false;
  const choose = (ok: boolean) => {
    if (done) return;
    done = true;
    settle(ok);
  };
  confirm.addEventListener('click', () => choose(true));
  cancel.addEventListener('click', () => choose(false));
  close.addEventListener('click', () => choose(false));
  mask.addEventListener('click', (e) => {
    if (e.target === mask) choose(false);
  });

  return {
    choice,
    setBusy(busy: boolean) {
      for (const b of [confirm, cancel, close]) b.disabled = busy;
      confirm.textContent = busy ? t.cashier.paying : t.cashier.confirm;
      confirm.style.opacity = busy ? '0.7' : '1';
    },
    close() {
      choose(false);
      mask.remove();
    },
  };
}
