import fs from 'node:fs';
import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import { DEMO, URLS, apiCall, test } from './env';
import { button, CTX, pageWith, releaseSmsSlot, residentState, smsCode, staffLogin, staffToken, type StorageState } from './portal';

/** WeChat Pay v3 simulator of the test stack (api/scripts/stack.ts --mode test). */
const PAY_SIM = 'http://127.0.0.1:4111';

/** Seeded demo account whose latest bill is open (api/src/modules/billing/seed.ts DEMO_UNPAID_ACCOUNT), bound to the demo resident. */
const UNPAID = { number: '3101000000002', masked: '李*英' };
/** The disconnected demo account's phone on file (api/src/seed/generate.ts DEMO.disconnected): binding codes go there. */
const DISCONNECTED_PHONE = '13900000006';

/** The resident logs in once for the whole file (one SMS code), in a context of their own. */
let resident: StorageState;
let smsSentAt = 0;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  ({ state: resident, sentAt: smsSentAt } = await residentState(browser));
});

/** A code may be sent to a phone once per 60 s: leave the next spec a free slot. */
test.afterAll(async () => {
  await releaseSmsSlot(smsSentAt);
});

const residentPage = (browser: Browser) => pageWith(browser, resident);

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
 * simulator) and wait for the page to turn to 支付成功 by itself. Returns the out_trade_nos.
 */
async function payBillsByQr(page: Page, count: number, afterEach?: (i: number) => Promise<void>): Promise<string[]> {
  await page.getByRole('button', { name: /微信扫码支付/ }).click();
  const paid: string[] = [];
  for (let i = 0; i < count; i++) {
    const qr = page.getByRole('img', { name: '请使用微信“扫一扫”扫描二维码完成支付' });
    await expect(qr).toHaveAttribute('src', /^data:image\/png;base64,/);
    await expect(page.getByText('等待支付…')).toBeVisible();
    const outTradeNo = (
      await page
        .getByText(/^PW\d+$/)
        .first()
        .innerText()
    ).trim();
    expect(outTradeNo).toMatch(/^PW\d+$/);
    await payAtSimulator(outTradeNo);
    await afterEach?.(i);
    // The page polls the payment and turns to paid by itself.
    await expect(page.getByText('支付成功', { exact: true })).toBeVisible({ timeout: 15_000 });
    paid.push(outTradeNo);
    if (i < count - 1) await page.getByRole('button', { name: '继续支付下一笔' }).click();
  }
  return paid;
}

/** Clicks a download button and checks that what arrives is a PDF. */
async function downloadPdf(page: Page, trigger: Locator) {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
  const bytes = fs.readFileSync(await download.path());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(bytes.length).toBeGreaterThan(10_000);
  return { name: download.suggestedFilename(), bytes };
}

/** 代缴: look an account up by number on /pay and confirm its masked holder name. */
async function lookUpAndConfirm(page: Page, account: { number: string; masked: string; holderName: string }) {
  await page.getByPlaceholder('请输入 13 位户号').fill(account.number);
  await button(page, '查询').click();
  await expect(page.getByText(account.masked, { exact: true })).toBeVisible();
  await expect(page.locator('body')).not.toContainText(account.holderName);
  // Nothing to pay before the holder name is confirmed.
  await expect(page.getByRole('button', { name: /微信扫码支付/ })).toHaveCount(0);
  await page.getByRole('button', { name: '确认户名' }).click();
  await expect(page.getByText('已确认', { exact: true })).toBeVisible();
}

/** The table row of a payment in 缴费记录, by its order number. */
const paymentRow = (page: Page, outTradeNo: string) => page.getByRole('row').filter({ hasText: outTradeNo });

test('a resident opens an account card, sees its bills, usage, payments, orders and outages in one place, and pays the open bills with a Native QR code', async ({
  browser,
}) => {
  const page = await residentPage(browser);
  await page.goto(`${URLS.web}/home`);
  // The card's title opens the account.
  await page.getByRole('link', { name: new RegExp(`户号 ${UNPAID.number}`) }).click();
  await expect(page).toHaveURL(/\/home\/accounts\/[0-9a-f]{24}$/);
  await expect(page.getByRole('heading', { name: '户号详情' })).toBeVisible();
  await expect(page.getByText(UNPAID.masked)).toBeVisible();
  for (const section of ['待缴账单', '账单列表', '用电趋势（近 24 个月）', '最近缴费', '该户号的工单', '停电信息'])
    await expect(page.getByText(section, { exact: true })).toBeVisible();

  // The 24-month chart is an ECharts canvas with painted pixels.
  const canvas = page.locator('canvas').first();
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

  // The open bills are listed as 待缴/已逾期; what is owed is principal + late fee = 应缴合计.
  const openRows = page.getByRole('row').filter({ hasText: /待缴|已逾期/ });
  await expect(openRows.first()).toBeVisible();
  const periods = (await openRows.allInnerTexts()).map((r) => r.match(/\d{4}年\d{1,2}月/)![0]);
  expect(periods.length).toBeGreaterThan(0);
  await expect(page.getByText('欠费金额（本金）', { exact: true })).toBeVisible();
  await expect(page.getByText('= 应缴合计', { exact: true })).toBeVisible();
  // The bill's detail shows the tier lines.
  await page.getByRole('button', { name: `${periods[0]}详情` }).click();
  const drawer = page.getByRole('dialog', { name: '账单详情' });
  await expect(drawer).toContainText('档');
  await page.keyboard.press('Escape');

  // Pay: every open bill selected; one Native order per bill, paid one after the other.
  await page.getByRole('button', { name: '去缴费' }).click();
  await expect(page).toHaveURL(/\/pay$/);
  const paid = await payBillsByQr(page, periods.length);
  await page.getByRole('button', { name: '查看账单' }).click();

  // Refreshed: nothing owed, every bill paid, no arrears on the card; the payments list the bills' periods.
  await expect(page.getByText('当前无待缴电费')).toBeVisible();
  for (const p of periods) await expect(page.getByRole('row').filter({ hasText: p })).toContainText('已缴清');
  await expect(page.getByText('无欠费')).toBeVisible();
  await expect(page.getByText('¥0.00').first()).toBeVisible();

  // 缴费记录: each order on one line with its 账期, paid.
  await page.getByRole('link', { name: /全部缴费记录/ }).click();
  await expect(page.getByRole('columnheader', { name: '账期' })).toBeVisible();
  for (const no of paid) await expect(paymentRow(page, no)).toContainText('支付成功');
  await expect(paymentRow(page, paid[0])).toContainText(periods[0]);
  const noCell = page.getByText(paid[0], { exact: true });
  const box = (await noCell.boundingBox())!;
  expect(box.height).toBeLessThan(30); // the order number does not wrap

  // The receipt downloads as a PDF.
  const receipt = await downloadPdf(page, paymentRow(page, paid[0]).getByRole('button', { name: /下载收据/ }));
  expect(receipt.name).toMatch(/\.pdf$/);
  // An e-invoice for a company title: a bad credit code is refused, a valid one issues the invoice once.
  await paymentRow(page, paid[0])
    .getByRole('button', { name: /开具发票/ })
    .click();
  const dialog = page.getByRole('dialog', { name: '开具电子发票' });
  // Retried until the company fields show: a click during the dialog's opening animation may not land.
  await expect(async () => {
    await dialog.getByText('单位', { exact: true }).click();
    await expect(dialog.getByLabel('单位名称')).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await dialog.getByLabel('单位名称').fill('长沙星城制造有限公司');
  await dialog.getByLabel('统一社会信用代码/纳税人识别号').fill('91430100MA4L00000X');
  await dialog.getByRole('button', { name: '确认开具' }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await dialog.getByLabel('统一社会信用代码/纳税人识别号').fill('91430100MA4L00000F');
  await dialog.getByRole('button', { name: '确认开具' }).click();
  await expect(page.getByText(/发票已开具，发票号码 \d{20}/)).toBeVisible();
  await downloadPdf(page, paymentRow(page, paid[0]).getByRole('button', { name: /下载发票/ }));

  // 消息中心: 缴费成功 for each payment.
  await page.goto(`${URLS.web}/home/messages`);
  await expect(page.getByText('缴费成功', { exact: true }).first()).toBeVisible();
  expect(await page.getByText('缴费成功', { exact: true }).count()).toBeGreaterThanOrEqual(paid.length);
  await page.context().close();
});

test("代缴: a signed-in resident looks up another person's account by number, confirms the masked holder name and pays it by QR code", async ({
  browser,
}) => {
  const page = await residentPage(browser);
  await page.goto(URLS.web);
  await page.getByRole('link', { name: /代缴电费/ }).click();
  await expect(page).toHaveURL(/\/pay$/);

  await page.getByPlaceholder('请输入 13 位户号').fill('12');
  await button(page, '查询').click();
  await expect(page.getByText('户号为 13 位数字')).toBeVisible();

  await lookUpAndConfirm(page, DEMO.bindable);
  // Every bill of this demo account is paid (seed), so the pay panel says there is nothing due.
  await expect(page.getByText('当前无待缴电费')).toBeVisible();

  // Another person's account with an open bill: paid by scanning the QR code.
  await page.getByRole('button', { name: '重新输入' }).click();
  await lookUpAndConfirm(page, DEMO.payFor);
  await expect(page.getByText(/^应缴合计：/)).toBeVisible();
  const [outTradeNo] = await payBillsByQr(page, 1);
  // Looked up again, it owes nothing; the payer's history lists the order as 代缴, paid.
  await page.getByRole('button', { name: '重新输入' }).first().click();
  await lookUpAndConfirm(page, DEMO.payFor);
  await expect(page.getByText('当前无待缴电费')).toBeVisible();
  await page.goto(`${URLS.web}/home/payments`);
  await expect(paymentRow(page, outTradeNo)).toContainText('支付成功');
  await expect(paymentRow(page, outTradeNo)).toContainText('代缴');
  await page.context().close();
});

test('paying off an account disconnected for arrears: the late fee explained, 复电中 with the promised time, the 复电 order in customer words, and normal supply once staff restore power', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const page = await residentPage(browser);
  // The resident becomes 户主 of the disconnected account with the code sent to its phone on file.
  await page.goto(`${URLS.web}/home/bind`);
  await page.getByPlaceholder('请输入 13 位户号').fill(DEMO.disconnected.number);
  await button(page, '查询').click();
  await expect(page.getByText(DEMO.disconnected.masked, { exact: true })).toBeVisible();
  await page.getByRole('tab', { name: '短信验证' }).click();
  const pane = page.getByRole('tabpanel', { name: '短信验证' });
  await pane.getByText('本人', { exact: true }).click();
  const sent = Date.now() - 1000;
  await pane.getByRole('button', { name: /发送验证码到预留手机/ }).click();
  await pane.getByPlaceholder('请输入 6 位验证码').fill(await smsCode(DISCONNECTED_PHONE, sent));
  await pane.getByRole('button', { name: /确认绑定/ }).click();
  await expect(page).toHaveURL(/\/home$/);

  const card = page.locator('.ps-account-card', { hasText: DEMO.disconnected.number });
  await expect(card.getByText('欠费停电')).toBeVisible();
  await card.getByRole('link', { name: new RegExp(`户号 ${DEMO.disconnected.number}`) }).click();
  await expect(page.getByRole('heading', { name: '户号详情' })).toBeVisible();

  // Two open bills: an overdue one shows its principal and its late fee with how it was computed (one not yet due, its due date).
  const overdue = page.getByText(
    /^电费本金 ¥[\d,]+\.\d{2} \+ 违约金 ¥[\d,]+\.\d{2}（¥[\d,]+\.\d{2} × 1‰\/天 × \d+ 天（自 \d{4}-\d{2}-\d{2} 起计））$/,
  );
  const notYetDue = page.getByText(/^电费本金 ¥[\d,]+\.\d{2} · 缴费截止日 \d{4}-\d{2}-\d{2}$/);
  await expect(overdue.first()).toBeVisible();
  expect((await overdue.count()) + (await notYetDue.count())).toBe(2);
  await expect(page.getByText('欠费金额（本金）', { exact: true })).toBeVisible();
  await expect(page.getByText('+ 违约金', { exact: true })).toBeVisible();
  await expect(page.getByText('= 应缴合计', { exact: true })).toBeVisible();
  await expect(page.getByText(/逾期未缴的电费按日加收违约金/)).toBeVisible();

  // The agent's queue is open while the resident pays.
  const agentCtx = await browser.newContext(CTX);
  const agent = await agentCtx.newPage();
  await staffLogin(agent, 'agent01', '/staff/queue');
  await expect(agent.getByText('实时')).toBeVisible();

  await page.getByRole('button', { name: '去缴费' }).click();
  const paid = await payBillsByQr(page, 2, async (i) => {
    if (i === 1) {
      // The last payment clears the arrears: the 复电 order reaches the open console, live, within 5 s.
      await expect(page.getByText('支付成功', { exact: true })).toBeVisible({ timeout: 15_000 });
    }
  });
  const queueRow = agent.getByRole('row').filter({ hasText: '复电' }).filter({ hasText: paid[1] });
  await expect(queueRow).toBeVisible({ timeout: 5_000 });
  await expect(agent.getByRole('row').filter({ hasText: paid[0] })).toHaveCount(0);
  await queueRow.click();
  await expect(agent.getByRole('dialog')).toContainText('欠费已结清');
  await agentCtx.close();

  // The account reads 复电中 with the promised time, not 欠费停电.
  await page.getByRole('button', { name: '查看账单' }).click();
  const accountCard = page.locator('.ps-account-card');
  await expect(accountCard.getByText('复电中', { exact: true })).toBeVisible();
  await expect(accountCard.getByText(/欠费已结清，正在为您复电，预计\d{2}月\d{2}日 \d{2}:\d{2}前恢复供电/)).toBeVisible();
  await expect(page.getByText('欠费停电')).toHaveCount(0);

  // 我的工单: the system-made order in customer words — no payment number, no staff deadline.
  await page.goto(`${URLS.web}/home/orders`);
  const order = page.getByRole('link', { name: /复电/ }).filter({ hasText: '复电中' });
  await expect(order).toContainText('欠费已结清，系统已自动为您申请复电');
  await expect(page.locator('body')).not.toContainText(/PW\d{6}/);
  await order.click();
  await expect(page).toHaveURL(/\/home\/orders\/[0-9a-f]{24}$/);
  const orderId = page.url().split('/').pop()!;
  await expect(page.getByText('复电中').first()).toBeVisible();
  await expect(page.getByText('预计恢复供电', { exact: true })).toBeVisible();
  await expect(page.getByText('申请复电', { exact: true })).toBeVisible();
  for (const staffOnly of [/PW\d{6}/, /剩余/, /时限/, /请安排复电/]) await expect(page.locator('body')).not.toContainText(staffOnly);

  // 消息中心: 正在为您复电, leading to the account.
  await page.goto(`${URLS.web}/home/messages`);
  await expect(page.getByText('正在为您复电', { exact: true })).toBeVisible();
  await expect(page.getByText('缴费成功', { exact: true }).first()).toBeVisible();

  // Staff restore power (claim and resolve the 复电 order): the account is back to normal and the resident is told.
  const token = await staffToken('agent01');
  await apiCall('mutation', 'workorder.claim', { orderId }, token);
  await apiCall('mutation', 'workorder.resolve', { orderId, notes: '已现场合闸，恢复供电' }, token);
  await page.goto(`${URLS.web}/home`);
  await expect(card.getByText('正常', { exact: true })).toBeVisible();
  await expect(card.getByText('复电中')).toHaveCount(0);
  await page.goto(`${URLS.web}/home/messages`);
  const done = page.getByRole('listitem').filter({ hasText: '已恢复供电' });
  await expect(done).toContainText(DEMO.disconnected.number);
  await done.getByRole('link', { name: /查看详情/ }).click();
  await expect(page).toHaveURL(/\/home\/accounts\/[0-9a-f]{24}$/);
  await expect(page.getByText('正常', { exact: true })).toBeVisible();
  await page.context().close();
});

test('a supervisor refunds part of an overpaid recharge with a reason in the staff console; the payer is told', async ({ browser }) => {
  test.setTimeout(120_000);
  // A 代缴 recharge of ¥100 on a smart-prepaid account.
  const page = await residentPage(browser);
  await page.goto(`${URLS.web}/pay`);
  await lookUpAndConfirm(page, DEMO.prepaid);
  await page.getByText('¥100', { exact: true }).click();
  const [outTradeNo] = await payBillsByQr(page, 1);

  const ctx = await browser.newContext(CTX);
  const staff = await ctx.newPage();
  await staffLogin(staff, 'supervisor01', '/staff/payments');
  await staff.getByPlaceholder('商户订单号').fill(outTradeNo);
  const flaggedOnly = staff.getByRole('switch');
  await flaggedOnly.click(); // off: not only flagged payments
  await expect(flaggedOnly).not.toBeChecked();
  const row = staff.getByRole('row').filter({ hasText: outTradeNo });
  // Retried: a click while the list is still loading may not start a new search.
  await expect(async () => {
    await button(staff, '查询').click();
    await expect(row).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await expect(row).toContainText('支付成功');
  await expect(row).toContainText(DEMO.prepaid.masked);
  await expect(row).toContainText('¥100.00');

  await row.getByRole('button', { name: /退\s*款/ }).click();
  const dialog = staff.getByRole('dialog');
  // More than was paid, and no reason: refused in the form, nothing sent.
  await dialog.getByLabel('退款金额（元）').fill('100.01');
  await dialog.getByRole('button', { name: '确认退款' }).click();
  await expect(staff.getByText('退款金额不能超过支付金额')).toBeVisible();
  await expect(staff.getByText('请填写退款原因（至少4个字）')).toBeVisible();
  await dialog.getByLabel('退款金额（元）').fill('30');
  await dialog.getByLabel('退款原因').fill('客户误多充值，申请退回30元');
  await dialog.getByRole('button', { name: '确认退款' }).click();
  await expect(row).toContainText('已退 ¥30.00（客户误多充值，申请退回30元）');
  await expect(row.getByRole('button', { name: /退\s*款/ })).toHaveCount(0);
  await ctx.close();

  // The payer hears about the refund in 消息中心.
  await page.goto(`${URLS.web}/home/messages`);
  await expect(page.getByRole('listitem').filter({ hasText: '退款已办理' })).toContainText('已退款30.00元');
  await page.context().close();
});
