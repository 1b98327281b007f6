import fs from 'node:fs';
import { expect, type Browser, type Page } from '@playwright/test';
import { DEMO, URLS, test } from './env';
import { button, CTX } from './portal';

/**
 * Statements and usage by site (issue 11), by what the screen says: finance opens 对账单, sees last
 * month's summary, downloads its PDF and CSV (named after the company, the CSV lists the company's sites);
 * opens 用电分析 and sees the chart and the site whose usage jumped. The power liaison sees 用电分析 but
 * 对账单 refuses.
 */
const SHOTS = process.env.E2E_SHOTS_DIR ?? '/tmp/e2e-shots';
const ENTERPRISE = '长沙星城制造有限公司';

test.describe.configure({ mode: 'serial' });

async function enterpriseLogin(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext({ ...CTX, viewport: { width: 1366, height: 900 }, acceptDownloads: true })).newPage();
  await page.goto(`${URLS.web}/login/enterprise`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO.password);
  await button(page, '登录').click();
  await expect(page).toHaveURL(/\/home/);
  return page;
}

/** Last calendar month in China time, as the page labels it ("2026年11月") and as files name it ("2026-11"). */
function lastMonth() {
  const d = new Date(Date.now() + 8 * 3600_000);
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth(); // 0-based: the previous month's number
  if (m === 0) {
    m = 12;
    y -= 1;
  }
  return { label: `${y}年${m}月`, key: `${y}-${String(m).padStart(2, '0')}` };
}

async function expectTidyText(page: Page) {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  expect(text).not.toMatch(/\b[0-9a-f]{24}\b/);
  expect(text).not.toMatch(/undefined|NaN|\[object/);
}

test('finance downloads last month’s statement as PDF and CSV and sees usage by site with the flagged site', async ({ browser }) => {
  test.setTimeout(180_000);
  const month = lastMonth();
  const page = await enterpriseLogin(browser, 'ent_finance');
  await page.goto(`${URLS.web}/home/statements`);
  await expect(page.getByRole('heading', { name: '对账单' })).toBeVisible();
  await expect(page.getByLabel('对账月份')).toBeVisible();
  await expect(page.getByText(month.label).first()).toBeVisible();
  await expect(page.getByText(ENTERPRISE).first()).toBeVisible();
  for (const label of ['期初欠费', '本月电费', '本月缴费', '期末欠费']) await expect(page.getByText(label).first()).toBeVisible();
  await expect(page.getByText(/各户号明细（\d+ 户）/)).toBeVisible();
  await expect(page.getByText('按电价构成', { exact: true })).toBeVisible();
  await expectTidyText(page);
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/enterprise-statements.png`, fullPage: true });

  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载\s*PDF/ }).click()]);
  expect(pdf.suggestedFilename()).toBe(`${ENTERPRISE}-电费对账单-${month.key}.pdf`);
  expect(
    fs
      .readFileSync(await pdf.path())
      .subarray(0, 5)
      .toString(),
  ).toBe('%PDF-');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载\s*CSV/ }).click()]);
  expect(csv.suggestedFilename()).toBe(`${ENTERPRISE}-电费对账单-${month.key}.csv`);
  const bytes = fs.readFileSync(await csv.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel opens the Chinese
  const text = bytes.toString('utf8');
  expect(text).toContain(ENTERPRISE);
  expect(text).toContain('户号,用电地址');
  // The company's sites: the rows of the 各户号明细 table are in the file.
  const firstRow = page.getByRole('table').last().getByRole('row').nth(1);
  const number = (await firstRow.getByRole('cell').first().innerText()).trim();
  expect(number).toMatch(/^\d{13}$/);
  expect(text).toContain(`${number},`);

  // 用电分析: the comparison chart and the flagged site list with its figures.
  await page.goto(`${URLS.web}/home/usage`);
  await expect(page.getByRole('heading', { name: '用电分析' })).toBeVisible();
  await expect(page.getByText('各户号月用电量（kWh）', { exact: true })).toBeVisible();
  await expect(page.getByTestId('usage-compare-chart').locator('canvas')).toBeVisible();
  await expect(page.getByText(/同比：\d{4}年与\d{4}年/)).toBeVisible();
  await expect(page.getByText('峰平谷用电占比（分时电价户号）', { exact: true })).toBeVisible();
  const flagged = page.getByTestId('flagged-sites');
  await expect(flagged.getByText('用电量突增提醒')).toBeVisible();
  await expect(flagged.getByRole('row').nth(1)).toContainText(/\d{13}/);
  await expect(flagged.getByRole('row').nth(1)).toContainText(/\+\d+%/);
  await page.getByText('近24个月', { exact: true }).click();
  await expect(page.getByRole('radio', { name: '近24个月' })).toBeChecked();
  await expect(page.getByTestId('usage-compare-chart').locator('canvas')).toBeVisible();
  await expectTidyText(page);
  await page.screenshot({ path: `${SHOTS}/enterprise-usage.png`, fullPage: true });
});

test('the power liaison sees 用电分析 but 对账单 and 发票 refuse', async ({ browser }) => {
  const page = await enterpriseLogin(browser, 'ent_elec');
  await page.goto(`${URLS.web}/home/usage`);
  await expect(page.getByRole('heading', { name: '用电分析' })).toBeVisible();
  await expect(page.getByText('用电量突增提醒')).toBeVisible();
  await page.goto(`${URLS.web}/home/statements`);
  await expect(page.getByText(/无权/).first()).toBeVisible();
  await expect(page.getByRole('button', { name: /下载\s*PDF/ })).toHaveCount(0);
  await page.goto(`${URLS.web}/home/invoices`);
  await expect(page.getByText(/无权/).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/enterprise-statements-refused.png`, fullPage: true });
});

test('finance requests a 普票 for a paid bill, sees it listed once; 专票 is refused until the company’s fields are complete', async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await enterpriseLogin(browser, 'ent_finance');
  await page.goto(`${URLS.web}/home/invoices`);
  await expect(page.getByRole('heading', { name: '发票' })).toBeVisible();
  await expect(page.getByText('开票信息', { exact: true })).toBeVisible();
  await expect(page.getByText(ENTERPRISE).first()).toBeVisible();
  // The first paid bill not yet invoiced.
  const row = page.getByRole('row').filter({ hasText: '未开票' }).first();
  await expect(row).toBeVisible();
  const number = (await row.getByRole('cell').nth(1).textContent())?.trim() ?? '';
  expect(number).toMatch(/^\d{13}$/);
  await row.getByRole('checkbox').check();
  await page.getByText('增值税专用发票', { exact: true }).click();
  await page.getByRole('button', { name: /申请开票/ }).click();
  await expect(page.getByTestId('invoice-error')).toContainText(/缺少/);
  await page.getByText('增值税普通发票', { exact: true }).click();
  await page.getByRole('button', { name: /申请开票/ }).click();
  await expect(page.getByText(/发票已开具，发票号码 \d{20}/)).toBeVisible();
  // Listed once among the issued invoices, and the bill now shows its invoice number.
  const issued = page.getByRole('row').filter({ hasText: '增值税普通发票' });
  await expect(issued).toHaveCount(1);
  await expect(issued).toContainText('已开具');
  await expect(page.getByRole('row').filter({ hasText: number }).filter({ hasText: '已开票' }).first()).toBeVisible();
  const [pdf] = await Promise.all([page.waitForEvent('download'), issued.getByRole('button', { name: /下\s*载/ }).click()]);
  expect(pdf.suggestedFilename()).toMatch(/^增值税普通发票-\d{20}\.pdf$/);
  await expectTidyText(page);
  await page.screenshot({ path: `${SHOTS}/enterprise-invoices.png`, fullPage: true });
});
