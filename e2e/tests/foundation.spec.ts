import { expect, test } from '@playwright/test';
import { DEMO, URLS, latestSmsCode } from './env';

test('a resident logs into the web portal with an SMS code and sees their bound accounts masked', async ({ page }) => {
  await page.goto(`${URLS.web}/login`);
  await page.getByTestId('phone').fill(DEMO.residentPhone);
  const sentAfter = Date.now() - 1000;
  await page.getByTestId('send-code').click();
  const code = await latestSmsCode(DEMO.residentPhone, sentAfter);
  await page.getByTestId('sms-code').fill(code);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/home/);
  await expect(page.getByTestId('account-row-3101000000002')).toBeVisible();
  await expect(page.getByTestId('account-row-3101000000003')).toBeVisible();
  await expect(page.getByTestId('account-row-3101000000002')).toContainText('李*英');
  await expect(page.locator('body')).not.toContainText('李秀英');
});

test('an enterprise user sees only their own enterprise\'s accounts', async ({ page }) => {
  await page.goto(`${URLS.web}/login/enterprise`);
  await page.getByTestId('username').fill('ent_finance');
  await page.getByTestId('password').fill(DEMO.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/home/);
  await expect(page.getByTestId('enterprise-name')).toContainText('长沙星城制造有限公司');
  const rows = page.locator('[data-testid^="account-row-"]');
  await expect(rows).toHaveCount(12);
  // The other demo enterprise's accounts (3300000000013…17) never show up.
  await expect(page.getByTestId('account-row-3300000000013')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText('长沙麓谷电子科技有限公司');
});

test('an agent logs into the staff console after a wrong password is refused', async ({ page }) => {
  await page.goto(`${URLS.web}/staff/login`);
  await page.getByTestId('username').fill('agent01');
  await page.getByTestId('password').fill('wrong-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByText('用户名或密码错误')).toBeVisible();
  await page.getByTestId('password').fill(DEMO.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByTestId('staff-name')).toHaveText('周晓燕');
  await expect(page.getByTestId('card-accounts')).toBeVisible();
});
