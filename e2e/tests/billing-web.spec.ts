import fs from 'node:fs';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { DEMO, URLS, residentSmsLogin, staffLogin } from './env';

/** WeChat Pay v3 simulator of the test stack (api/scripts/stack.ts --mode test). */
const PAY_SIM = 'http://127.0.0.1:4111';

/** Seeded demo account whose latest bill is open (api/src/modules/billing/seed.ts DEMO_UNPAID_ACCOUNT), bound to the demo resident. */
const UNPAID = { number: '3101000000002', masked: '李*英' };

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** The resident logs in once for both tests (one SMS code), in a context of their own. */
let residentState: StorageState;
let smsSentAt = 0;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await residentLogin(await ctx.newPage());
  residentState = await ctx.storageState();
  await ctx.close();
});

/** A code may be sent to a phone once per 60 s: leave the next spec (foundation.spec.ts logs the same resident in, without retrying) a free slot. */
test.afterAll(async () => {
  const wait = smsSentAt + 61_000 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
});

async function residentPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', storageState: residentState });
  return ctx.newPage();
}

async function residentLogin(page: Page) {
  smsSentAt = await residentSmsLogin(page);
}

/** What a payer does with the QR code: here, pay the order at the simulator by its out_trade_no. */
async function payAtSimulator(outTradeNo: string) {
  const res = await fetch(`${PAY_SIM}/sim/pay/${encodeURIComponent(outTradeNo)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { trade_state: string }).trade_state).toBe('SUCCESS');
}

/**
 * On a pay panel with `count` open bills selected: start, then for each bill scan the QR code (pay at the
 * simulator) and wait for the page to turn to paid by itself. Returns the out_trade_nos.
 */
async function payBillsByQr(page: Page, count: number, afterEach?: (i: number) => Promise<void>): Promise<string[]> {
  await page.getByTestId('pay-start').click();
  const paid: string[] = [];
  for (let i = 0; i < count; i++) {
    await expect(page.getByTestId('pay-qr')).toBeVisible();
    await expect(page.getByTestId('pay-qr')).toHaveAttribute('src', /^data:image\/png;base64,/);
    await expect(page.getByTestId('pay-amount')).not.toHaveText('¥0.00');
    const outTradeNo = (await page.getByTestId('pay-out-trade-no').textContent())!.trim();
    expect(outTradeNo).toMatch(/^PW\d+$/);
    await expect(page.getByTestId('pay-status')).toHaveAttribute('data-status', 'paying');
    await payAtSimulator(outTradeNo);
    await afterEach?.(i);
    // The page polls billing.paymentStatus and turns to paid by itself.
    await expect(page.getByTestId('pay-success')).toBeVisible({ timeout: 15_000 });
    paid.push(outTradeNo);
    if (i < count - 1) await page.getByTestId('pay-next').click();
  }
  return paid;
}

/** Clicks a download button and checks that what arrives is a PDF. */
async function downloadPdf(page: Page, testId: string) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const file = await download.path();
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(bytes.length).toBeGreaterThan(10_000);
  return { name: download.suggestedFilename(), bytes };
}

/** 代缴: look an account up by number on /pay and confirm its masked holder name. */
async function lookUpAndConfirm(page: Page, account: { number: string; masked: string; holderName: string }) {
  await page.getByTestId('payfor-number').fill(account.number);
  await page.getByTestId('payfor-lookup').click();
  await expect(page.getByTestId('payfor-holder')).toHaveText(account.masked);
  await expect(page.locator('body')).not.toContainText(account.holderName);
  // Nothing to pay before the holder name is confirmed.
  await expect(page.getByTestId('pay-panel')).toHaveCount(0);
  await page.getByTestId('payfor-confirm').click();
  await expect(page.getByTestId('payfor-confirmed')).toBeVisible();
}

test('a resident opens an account\'s bills, sees the usage chart and pays the unpaid bills with a Native QR code', async ({ browser }) => {
  const page = await residentPage(browser);
  await page.goto(`${URLS.web}/home`);
  await page.getByTestId(`account-bills-${UNPAID.number}`).click();
  await expect(page).toHaveURL(/\/home\/accounts\/[0-9a-f]{24}$/);
  await expect(page.getByTestId(`account-row-${UNPAID.number}`)).toContainText(UNPAID.masked);

  // The 24-month chart is an ECharts canvas with painted pixels.
  await expect(page.getByTestId('usage-chart-canvas')).toHaveAttribute('data-months', '24');
  const canvas = page.locator('[data-testid="usage-chart-canvas"] canvas').first();
  await expect(canvas).toBeVisible();
  await expect
    .poll(() =>
      canvas.evaluate((c: HTMLCanvasElement) => {
        const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < px.length; i += 4 * 16) if (px[i]! > 0) painted++;
        return painted;
      }),
    )
    .toBeGreaterThan(100);

  // The open bill is listed as unpaid; its detail shows the tier lines.
  const openRows = page.locator('[data-testid^="bill-row-"]:not([data-status="paid"])');
  await expect(openRows.first()).toBeVisible();
  const periods = await openRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!.replace('bill-row-', '')));
  expect(periods.length).toBeGreaterThan(0);
  await expect(page.getByTestId('unpaid-total')).not.toHaveText('¥0.00');
  await page.getByTestId(`bill-detail-${periods[0]}`).click();
  await expect(page.getByTestId('bill-detail')).toBeVisible();
  await expect(page.getByTestId('bill-lines')).toContainText('档');
  await page.keyboard.press('Escape');

  // Pay: every unpaid bill selected; one Native order per bill, paid one after the other.
  await page.getByTestId('go-pay').click();
  await expect(page).toHaveURL(/\/pay$/);
  const paid = await payBillsByQr(page, periods.length);
  await page.getByTestId('pay-back').click();

  // Bills refreshed: nothing owed, every bill paid, and the account card shows no arrears.
  await expect(page.getByTestId('no-unpaid')).toBeVisible();
  for (const p of periods) await expect(page.getByTestId(`bill-row-${p}`)).toHaveAttribute('data-status', 'paid');
  await expect(page.getByTestId(`account-row-${UNPAID.number}`).getByTestId('balance')).toHaveText('¥0.00');

  // Payment history lists the orders as paid.
  await page.getByTestId('history-link').click();
  for (const no of paid) await expect(page.getByTestId(`payment-row-${no}`)).toContainText('支付成功');

  // The receipt downloads as a PDF.
  const receipt = await downloadPdf(page, `receipt-${paid[0]}`);
  expect(receipt.name).toMatch(/\.pdf$/);
  // An e-invoice for a company title: a bad credit code is refused, a valid one issues the invoice once.
  await page.getByTestId(`invoice-${paid[0]}`).click();
  // Retried until the company fields show: a click during the dialog's opening animation may not land.
  await expect(async () => {
    await page.getByTestId('invoice-title-type').getByText('单位').click();
    await expect(page.getByTestId('invoice-tax-id')).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await page.getByTestId('invoice-title-name').fill('长沙星城制造有限公司');
  await page.getByTestId('invoice-tax-id').fill('91430100MA4L00000X');
  await page.getByTestId('invoice-submit').click();
  await expect(page.getByTestId('invoice-error')).toBeVisible();
  await page.getByTestId('invoice-tax-id').fill('91430100MA4L00000F');
  await page.getByTestId('invoice-submit').click();
  await expect(page.getByTestId(`invoice-${paid[0]}`)).toHaveAttribute('data-action', 'download');
  await expect(page.getByTestId(`invoice-${paid[0]}`)).toHaveAttribute('data-invoice-no', /^\d{20}$/);
  await downloadPdf(page, `invoice-${paid[0]}`);
  await page.context().close();
});

test('代缴: a signed-in resident looks up another person\'s account by number, confirms the masked holder name and pays it by QR code', async ({ browser }) => {
  const page = await residentPage(browser);
  await page.goto(URLS.web);
  await page.getByTestId('entry-payfor').click();
  await expect(page).toHaveURL(/\/pay$/);

  await page.getByTestId('payfor-number').fill('12');
  await page.getByTestId('payfor-lookup').click();
  await expect(page.getByText('户号为 13 位数字')).toBeVisible();

  await lookUpAndConfirm(page, DEMO.bindable);
  // Every bill of this demo account is paid (seed), so the pay panel says there is nothing due.
  await expect(page.getByTestId('pay-nothing-due')).toBeVisible();

  // Another person's account with an open bill: paid by scanning the QR code.
  await page.getByTestId('payfor-reset').first().click();
  await lookUpAndConfirm(page, DEMO.payFor);
  await expect(page.getByTestId('pay-selected-total')).not.toHaveText('¥0.00');
  const [outTradeNo] = await payBillsByQr(page, 1);
  // Looked up again, it owes nothing; the payer's history lists the order as 代缴, paid.
  await page.getByTestId('payfor-reset').first().click();
  await lookUpAndConfirm(page, DEMO.payFor);
  await expect(page.getByTestId('pay-nothing-due')).toBeVisible();
  await page.goto(`${URLS.web}/home/payments`);
  await expect(page.getByTestId(`payment-row-${outTradeNo}`)).toContainText('支付成功');
  await expect(page.getByTestId(`payment-row-${outTradeNo}`)).toContainText('代缴');
  await page.context().close();
});

test('paying off an account disconnected for arrears puts a reconnection order in the open agent console within 5 s', async ({ browser }) => {
  test.setTimeout(120_000);
  const agentCtx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const agent = await agentCtx.newPage();
  await staffLogin(agent, 'agent01', '/staff/queue');
  await expect(agent.getByTestId('live-status')).toHaveAttribute('data-status', 'pending');
  const reconnection = agent.locator(`[data-testid^="queue-row-"][data-type="reconnection"][data-account="${DEMO.disconnected.number}"]`);
  await expect(reconnection).toHaveCount(0);

  const page = await residentPage(browser);
  await page.goto(`${URLS.web}/pay`);
  await lookUpAndConfirm(page, DEMO.disconnected);
  const bills = page.locator('[data-testid^="pay-bill-"]');
  await expect(bills).toHaveCount(2);
  await payBillsByQr(page, 2, async (i) => {
    // Still one bill open after the first payment: no reconnection yet.
    if (i === 0) await expect(page.getByTestId('pay-success')).toBeVisible({ timeout: 15_000 });
    if (i === 0) await expect(reconnection).toHaveCount(0);
    // The last one clears the arrears: the order reaches the open console, live, within 5 s of the payment.
    if (i === 1) await expect(reconnection).toBeVisible({ timeout: 5_000 });
  });
  await expect(reconnection).toContainText('复电');
  await reconnection.click();
  await expect(agent.getByTestId('staff-order-detail')).toContainText('欠费已结清');
  await agentCtx.close();
  await page.context().close();
});

test('a supervisor refunds part of an overpaid recharge with a reason in the staff console', async ({ browser }) => {
  test.setTimeout(120_000);
  // A 代缴 recharge of ¥100 on a smart-prepaid account.
  const page = await residentPage(browser);
  await page.goto(`${URLS.web}/pay`);
  await lookUpAndConfirm(page, DEMO.prepaid);
  await page.getByTestId('recharge-10000').click();
  const [outTradeNo] = await payBillsByQr(page, 1);
  await page.context().close();

  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const staff = await ctx.newPage();
  await staffLogin(staff, 'supervisor01', '/staff/payments');
  await staff.getByTestId('search-out-trade-no').fill(outTradeNo);
  await staff.getByTestId('search-flagged').click(); // off: not only flagged payments
  await staff.getByTestId('search-submit').click();
  const row = staff.getByTestId(`staff-payment-${outTradeNo}`);
  await expect(row).toHaveAttribute('data-status', 'paid');
  await expect(row).toContainText(DEMO.prepaid.masked);
  await expect(row).toContainText('¥100.00');

  await staff.getByTestId(`refund-${outTradeNo}`).click();
  // More than was paid, and no reason: refused in the form, nothing sent.
  await staff.getByTestId('refund-amount').fill('100.01');
  await staff.getByTestId('refund-confirm').click();
  await expect(staff.getByText('退款金额不能超过支付金额')).toBeVisible();
  await expect(staff.getByText('请填写退款原因（至少4个字）')).toBeVisible();
  await staff.getByTestId('refund-amount').fill('30');
  await staff.getByTestId('refund-reason').fill('客户误多充值，申请退回30元');
  await staff.getByTestId('refund-confirm').click();
  await expect(row).toHaveAttribute('data-status', 'refunded');
  await expect(row).toContainText('已退 ¥30.00（客户误多充值，申请退回30元）');
  await expect(staff.getByTestId(`refund-${outTradeNo}`)).toHaveCount(0);
  await ctx.close();
});
