import fs from 'node:fs';
import { expect, type Browser, type Page } from '@playwright/test';
import { DEMO, URLS, apiCall, test } from './env';
import { button, CTX, staffToken } from './portal';

/** WeChat Pay v3 simulator of the test stack (api/scripts/stack.ts --mode test). */
const PAY_SIM = 'http://127.0.0.1:4111';

test.describe.configure({ mode: 'serial' });

/** A full-page screenshot for a person to look at (E2E_SHOTS=<dir>), nothing otherwise. */
async function shot(page: Page, name: string) {
  if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/enterprise-pay-${name}.png`, fullPage: true });
}

async function enterpriseLogin(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext({ ...CTX, acceptDownloads: true })).newPage();
  await page.goto(`${URLS.web}/login/enterprise`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO.password);
  await button(page, '登录').click();
  await expect(page).toHaveURL(/\/home/);
  return page;
}

test('finance sees the enterprise overview and the 500-account portfolio, company name in full', async ({ browser }) => {
  const page = await enterpriseLogin(browser, 'ent_finance');
  await expect(page.getByText('所属企业：长沙星城制造有限公司')).toBeVisible();
  await expect(page.getByText('欠费合计')).toBeVisible();
  await expect(page.getByText('停电风险').first()).toBeVisible();
  await shot(page, 'overview');
  await page.getByRole('link', { name: '查看全部户号' }).first().click();
  await expect(page).toHaveURL(/\/home\/sites$/);
  await expect(page.getByText('共 500 个户号')).toBeVisible();
  await expect(page.getByRole('columnheader', { name: '站点名称' })).toBeVisible();
  await shot(page, 'sites');
  // Search by site name, on the server.
  await page.getByPlaceholder('搜索户号、站点名称或地址').fill('宿舍楼');
  await page.getByPlaceholder('搜索户号、站点名称或地址').press('Enter');
  await expect(page.getByRole('link', { name: /宿舍楼/ }).first()).toBeVisible();
  await expect(page.getByText(/^共 \d+ 个户号$/)).not.toHaveText('共 500 个户号');
  // No ISO dates on screen.
  await expect(page.locator('body')).not.toContainText(/\d{4}-\d{2}-\d{2}T/);
});

test('finance pays three bills of three accounts with one QR code and downloads one receipt', async ({ browser }) => {
  const page = await enterpriseLogin(browser, 'ent_finance');
  await page.goto(`${URLS.web}/home/batch-pay`);
  await expect(page.getByRole('heading', { name: '合并缴费' })).toBeVisible();
  // Three bills of three different accounts (each checkbox is named by site, account number and period).
  const boxes = page.getByRole('checkbox');
  await expect(boxes.first()).toBeVisible();
  const names = await boxes.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  const picked: string[] = [];
  const accounts = new Set<string>();
  for (const n of names) {
    const number = /\b(\d{13})\b/.exec(n)?.[1];
    if (!number || accounts.has(number)) continue;
    accounts.add(number);
    picked.push(n);
    if (picked.length === 3) break;
  }
  expect(picked).toHaveLength(3);
  for (const n of picked) await page.getByRole('checkbox', { name: n }).check();
  await expect(page.getByText('已选 3 / 100 张')).toBeVisible();
  await expect(page.getByTestId('batch-total')).not.toHaveText('¥0.00');
  const total = await page.getByTestId('batch-total').innerText();
  await shot(page, 'batch-select');

  await page.getByRole('button', { name: /合并支付/ }).click();
  await expect(page.getByText('合并缴费：3 个户号 3 张账单')).toBeVisible();
  await expect(page.getByRole('img', { name: '请使用微信“扫一扫”扫描二维码完成支付' })).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect(page.getByText(total).first()).toBeVisible();
  await shot(page, 'batch-qr');
  const outTradeNo = (
    await page
      .getByText(/^PB\d+$/)
      .first()
      .innerText()
  ).trim();
  // The payer scans and pays: here, at the simulator.
  const res = await fetch(`${PAY_SIM}/sim/pay/${encodeURIComponent(outTradeNo)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(res.status).toBe(200);

  // The page turns by itself: every bill settled.
  await expect(page.getByText('合并缴费结果')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('支付成功，以下账单已结清')).toBeVisible({ timeout: 20_000 });
  for (const n of picked) await expect(page.getByRole('row', { name: new RegExp(/\d{13}/.exec(n)![0]) })).toContainText('已结清');
  await expect(page.getByRole('cell', { name: '已结清' })).toHaveCount(3);
  await shot(page, 'batch-result');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载缴费凭证/ }).click()]);
  const bytes = fs.readFileSync(await download.path());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(bytes.length).toBeGreaterThan(10_000);
  expect(download.suggestedFilename()).toContain(outTradeNo);

  // The paid bills are gone from the list to choose from.
  await page.getByRole('button', { name: '继续缴费' }).click();
  for (const n of picked) await expect(page.getByRole('checkbox', { name: n })).toHaveCount(0);
});

test('the power liaison gets no batch payment: no shortcut, the page refuses, the API refuses', async ({ browser }) => {
  const page = await enterpriseLogin(browser, 'ent_elec');
  await expect(page.getByText('所属企业：长沙星城制造有限公司')).toBeVisible();
  await expect(page.getByRole('link', { name: '查看全部户号' }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: '合并缴费' })).toHaveCount(0);
  await expect(page.getByText('欠费合计')).toHaveCount(0);
  await page.goto(`${URLS.web}/home/batch-pay`);
  // Refused by the enterprise menu's rule (or, without it, by the page itself).
  await expect(page.getByText(/无权访问此页面|合并缴费仅限企业管理员和财务人员使用/).first()).toBeVisible();
  await expect(page.getByRole('button', { name: /合并支付/ })).toHaveCount(0);
  const token = await staffToken('ent_elec');
  await expect(apiCall('query', 'billing.batchBills', {}, token)).rejects.toThrow();
  await expect(apiCall('mutation', 'billing.createBatchPayment', { billIds: ['0'.repeat(24)] }, token)).rejects.toThrow();
});
