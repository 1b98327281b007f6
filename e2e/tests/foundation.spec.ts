import { expect } from '@playwright/test';
import { DEMO, URLS, test } from './env';
import { button, residentLogin, staffLogin } from './portal';

test('a resident logs into the web portal with an SMS code and sees their bound accounts masked', async ({ page }) => {
  await residentLogin(page);
  await expect(page.getByRole('link', { name: /户号 3101000000002/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /户号 3101000000003/ })).toBeVisible();
  await expect(page.getByText('李*英')).toBeVisible();
  await expect(page.locator('body')).not.toContainText('李秀英');
});

test("an enterprise user sees only their own enterprise's accounts", async ({ page }) => {
  await page.goto(`${URLS.web}/login/enterprise`);
  await page.getByLabel('用户名').fill('ent_finance');
  await page.getByLabel('密码').fill(DEMO.password);
  await button(page, '登录').click();
  await expect(page).toHaveURL(/\/home/);
  await expect(page.getByText('所属企业：长沙星城制造有限公司')).toBeVisible();
  // The portfolio lists the enterprise's 500 accounts; the other demo enterprise's (3300000000013…17) never show up.
  await page.goto(`${URLS.web}/home/sites`);
  await expect(page.getByText('共 500 个户号')).toBeVisible();
  await expect(page.getByText('3300000000013')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText('长沙麓谷电子科技有限公司');
});

test('an agent logs into the staff console after a wrong password is refused', async ({ page }) => {
  await page.goto(`${URLS.web}/staff/login`);
  await page.getByLabel('用户名').fill('agent01');
  await page.getByLabel('密码').fill('wrong-password');
  await button(page, '登录').click();
  await expect(page.getByText('用户名或密码错误')).toBeVisible();
  await page.getByLabel('密码').fill(DEMO.password);
  await button(page, '登录').click();
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByText('周晓燕').first()).toBeVisible();
  await expect(page.getByText('在册户号')).toBeVisible();
});

test('the public home page promises only what exists: every tile leads somewhere real', async ({ page }) => {
  await page.goto(URLS.web);
  for (const gone of ['新装', '增容', '过户', '合并缴费']) await expect(page.locator('body')).not.toContainText(gone);
  const tiles: [RegExp, string][] = [
    [/电费缴纳 在线缴费/, '/pay'],
    [/故障报修 一键报修/, '/home/repair'],
    [/停电信息 计划停电提前告知/, '/outages'],
    [/咨询投诉 咨询、投诉/, '/home/request'],
  ];
  for (const [name, href] of tiles) {
    await page.goto(URLS.web);
    const tile = page.getByRole('link', { name });
    await expect(tile).toHaveAttribute('href', href);
    await tile.click();
    // Signed out, pages behind sign-in send the visitor to log in first and come back after.
    await expect(page).toHaveURL(new RegExp(`${href.replace(/\//g, '\\/')}$|/login\\?next=${encodeURIComponent(href)}`));
    await expect(page.getByRole('heading').first()).toBeVisible();
  }
});
