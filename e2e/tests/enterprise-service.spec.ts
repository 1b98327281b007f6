import { expect, type Browser, type Page } from '@playwright/test';
import { apiCall, DEMO, URLS, test } from './env';
import { button, CTX, staffLogin } from './portal';

/**
 * Enterprise service and contact (issue 11), by what the screen says: the enterprise admin writes to the named
 * account manager; the manager finds it in 企业消息 and answers; the admin sees the answer arrive without
 * reloading. The power liaison reports a fault for one chosen site and never sees a pay button.
 */
const SHOTS = process.env.E2E_SHOTS_DIR ?? '/tmp/e2e-shots';
const ENTERPRISE = '长沙星城制造有限公司';

test.describe.configure({ mode: 'serial' });

async function enterpriseLogin(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext({ ...CTX, viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${URLS.web}/login/enterprise`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO.password);
  await button(page, '登录').click();
  await expect(page).toHaveURL(/\/home/);
  return page;
}

/** No ISO timestamp and no raw id on the page. */
async function expectTidyText(page: Page) {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  expect(text).not.toMatch(/\b[0-9a-f]{24}\b/);
}

test('the admin writes to the account manager; the manager answers from 企业消息; the answer appears without a reload', async ({ browser }) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36).slice(-5);
  const question = `二号厂房下周要加班生产，周六能否保证供电？（${stamp}）`;
  const answer = `周六该线路没有检修计划，可以正常供电（${stamp}）`;

  const admin = await enterpriseLogin(browser, 'ent_admin');
  await admin.goto(`${URLS.web}/home/manager`);
  await expect(admin.getByRole('heading', { name: '客户经理' })).toBeVisible();
  await expect(admin.getByText('何经理', { exact: true })).toBeVisible();
  await expect(admin.getByText('工作电话', { exact: true })).toBeVisible();
  await expect(admin.getByRole('link', { name: /^0731-\d{8}$/ })).toBeVisible();
  // The earlier conversation is there.
  await expect(admin.getByRole('log').getByText(/增容怎么办理/)).toBeVisible();
  await admin.getByLabel('留言内容').fill(question);
  await button(admin, '发送').click();
  await expect(admin.getByRole('log').getByText(question)).toBeVisible();
  await expectTidyText(admin);

  const manager = await (await browser.newContext({ ...CTX, viewport: { width: 1280, height: 900 } })).newPage();
  await staffLogin(manager, 'manager01', '/staff/inbox');
  await expect(manager.getByRole('heading', { name: '企业消息' })).toBeVisible();
  const row = manager.getByRole('row').filter({ hasText: ENTERPRISE });
  await expect(row).toContainText('待回复');
  await expect(row).toContainText(/已等待 \d+ 分钟/);
  await expect(row).toContainText(question.slice(0, 20));
  await manager.screenshot({ path: `${SHOTS}/enterprise-inbox.png`, fullPage: true });
  await row.getByRole('button', { name: /回\s*复/ }).click();
  const drawer = manager.getByRole('dialog', { name: `与 ${ENTERPRISE} 的会话` });
  await expect(drawer.getByRole('log').getByText(question)).toBeVisible();
  await drawer.getByLabel('留言内容').fill(answer);
  await button(drawer, '发送').click();
  await expect(drawer.getByRole('log').getByText(answer)).toBeVisible();
  await expectTidyText(manager);

  // The admin's page was never reloaded: the answer arrives over the live feed, and the question shows 已读.
  await expect(admin.getByRole('log').getByText(answer)).toBeVisible({ timeout: 15_000 });
  await expect(admin.getByRole('log').getByTestId('thread-message').filter({ hasText: question })).toContainText('已读');
  await admin.screenshot({ path: `${SHOTS}/enterprise-manager.png`, fullPage: true });

  // The inbox row is answered now.
  await manager.keyboard.press('Escape');
  await expect(manager.getByRole('row').filter({ hasText: ENTERPRISE })).toContainText('已回复');
  await admin.context().close();
  await manager.context().close();
});

test('the power liaison reports a fault for one chosen site, and sees no pay button', async ({ browser }) => {
  test.setTimeout(90_000);
  const elec = await enterpriseLogin(browser, 'ent_elec');
  await elec.goto(`${URLS.web}/home/repair`);
  await expect(elec.getByRole('heading', { name: '故障报修' })).toBeVisible();
  // One of the liaison's sites (the API's own list, as the picker shows it), picked by typing its number.
  const token = (await apiCall<{ accessToken: string }>('mutation', 'auth.passwordLogin', { username: 'ent_elec', password: DEMO.password }))
    .accessToken;
  const sites = await apiCall<{ id: string; number: string }[]>('query', 'account.list', undefined, token);
  const number = sites[1].number;
  await elec.getByLabel('报修户号').fill(number);
  await elec.keyboard.press('Enter');
  await expect(elec.getByTitle(new RegExp(`^${number} · `)).first()).toBeVisible();
  await elec.getByText('电压不稳/闪烁').click();
  await elec.getByLabel('问题描述').fill('三号车间配电柜电压表读数忽高忽低，设备频繁报警');
  await button(elec, '提交').click();
  await expect(elec).toHaveURL(/\/home\/orders\/[0-9a-f]{24}$/);
  await expect(elec.getByText(number).first()).toBeVisible();
  await expect(elec.getByText('故障报修').first()).toBeVisible();
  await elec.screenshot({ path: `${SHOTS}/enterprise-elec-fault.png`, fullPage: true });

  // Nowhere a pay button: not on the overview, not on the site's own page.
  for (const path of ['/home', '/home/outages']) {
    await elec.goto(`${URLS.web}${path}`);
    await expect(elec.locator('body')).toContainText(/停电|户号|概览/);
    await expect(elec.getByRole('button', { name: /缴\s*费|去缴费|合并缴费/ })).toHaveCount(0);
    await expect(elec.getByRole('link', { name: /去缴费|合并缴费/ })).toHaveCount(0);
  }
  await elec.context().close();
});

test('outages of every site in one list, with a subscription switch per site', async ({ browser }) => {
  test.setTimeout(60_000);
  const admin = await enterpriseLogin(browser, 'ent_admin');
  await admin.goto(`${URLS.web}/home/outages`);
  await expect(admin.getByRole('heading', { name: '停电通知' })).toBeVisible();
  await expect(admin.getByText(/当前及近期停电（\d+）/)).toBeVisible();
  const first = admin.getByRole('switch', { name: /订阅户号 \d{13} 的停电通知/ }).first();
  const before = await first.getAttribute('aria-checked');
  await first.click();
  await expect(admin.getByText('订阅已更新')).toBeVisible();
  await expect(first).toHaveAttribute('aria-checked', before === 'true' ? 'false' : 'true');
  await expect(admin.getByText(/已订阅 \d+ \/ \d+ 个户号/)).toBeVisible();
  await admin.screenshot({ path: `${SHOTS}/enterprise-outages.png`, fullPage: true });
  await expectTidyText(admin);
  await admin.context().close();
});
