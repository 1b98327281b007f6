import { expect, test, type Page } from '@playwright/test';
import { DEMO, URLS, fillH5 as fill } from './env';

test('a resident logs into the mini-program through WeChat, binds an account after verification and sees it masked', async ({ page }) => {
  await page.goto(`${URLS.h5}/?simUser=e2e-resident-1#/pages/login/index`);
  await page.locator('#wx-login').click();
  await expect(page.locator('#home-empty')).toBeVisible();
  await page.locator('#home-bind').click();

  await fill(page, 'bind-number', '123');
  await page.locator('#bind-lookup').click();
  await expect(page.locator('#bind-number-error')).toContainText('13');

  await fill(page, 'bind-number', DEMO.bindable.number);
  await page.locator('#bind-lookup').click();
  await expect(page.locator('#bind-holder-masked')).toContainText(DEMO.bindable.masked);

  await fill(page, 'bind-holder', '张三');
  await page.locator('#bind-relation-self').click();
  await page.locator('#bind-submit').click();
  await expect(page.locator('#bind-error')).toContainText('户名与户号不匹配');

  await fill(page, 'bind-holder', DEMO.bindable.holderName);
  await page.locator('#bind-submit').click();
  const card = page.locator(`#account-card-${DEMO.bindable.number}`);
  await expect(card).toBeVisible();
  await expect(card).toContainText(DEMO.bindable.masked);
  await expect(page.locator('body')).not.toContainText(DEMO.bindable.holderName);

  // A reload keeps the session (tokens in storage) and the binding (in the database).
  await page.reload();
  await expect(page.locator(`#account-card-${DEMO.bindable.number}`)).toBeVisible();
});
