import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, URLS, fillH5 as fill } from './env';

/** Seeded demo account whose latest bill is open (api/src/modules/billing/seed.ts DEMO_UNPAID_ACCOUNT_2); bindable by its holder name. */
const UNPAID = { number: '3101000000004', holderName: '王桂英', masked: '王*英' };

async function loginAndBind(page: Page, simUser: string, account: { number: string; holderName: string }) {
  await page.goto(`${URLS.h5}/?simUser=${simUser}#/pages/login/index`);
  await page.locator('#wx-login').click();
  await expect(page.locator('#home-empty')).toBeVisible();
  await page.locator('#home-bind').click();
  await fill(page, 'bind-number', account.number);
  await page.locator('#bind-lookup').click();
  await fill(page, 'bind-holder', account.holderName);
  await page.locator('#bind-relation-family').click();
  await page.locator('#bind-submit').click();
  await expect(page.locator(`#account-card-${account.number}`)).toBeVisible();
}

async function expectPdfDownload(page: Page, selector: string) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  const bytes = fs.readFileSync(await download.path());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
}

test('a resident opens the bills of a bound account, sees the usage chart and pays the open bill with WeChat Pay', async ({ page }) => {
  await loginAndBind(page, 'e2e-mp-bill', UNPAID);
  await expect(page.locator(`#account-state-${UNPAID.number}`)).toBeVisible();
  await page.locator(`#account-bills-${UNPAID.number}`).click();

  await expect(page.locator('#bills-account')).toContainText(UNPAID.masked);
  // The 24-month chart is drawn (AntV F2 on a Canvas 2D context): the canvas has painted pixels.
  await expect(page.locator('#usage-chart')).toBeVisible();
  await expect(page.locator('#usage-summary')).toContainText('近 12 个月共');
  await expect
    .poll(() =>
      page.evaluate(() => {
        const c = document.querySelector('#usage-canvas canvas') as HTMLCanvasElement | null;
        if (!c || !c.width || !c.height) return 0;
        const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < px.length; i += 4 * 16) if (px[i]! > 0) painted++;
        return painted;
      }),
    )
    .toBeGreaterThan(100);

  // One unpaid bill (the latest month), selected by default. NB: this is the seed's only bindable account with an
  // open bill; a spec that pays it earlier in the same stack run (billing-web.spec.ts sorts first) leaves none.
  const unpaid = page.locator('#unpaid-list [id^="unpaid-bill-"]');
  await expect(unpaid, `the open bill of ${UNPAID.number} was already paid by an earlier spec`).toHaveCount(1);
  const period = ((await unpaid.getAttribute('id')) ?? '').replace('unpaid-bill-', '');
  expect(period).toMatch(/^\d{4}-\d{2}$/);
  await expect(page.locator(`#bill-item-status-${period}`)).toHaveText('待缴');
  await expect(page.locator('#unpaid-total')).not.toHaveText('¥0.00');

  // createPayment (jsapi) → the H5 adapter pays at the WeChat Pay simulator → the page polls paymentStatus.
  await page.locator('#unpaid-pay').click();
  await expect(page.locator('#pay-success')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#pay-success-amount')).toContainText('已支付 ¥');
  await expect(page.locator('#unpaid-empty')).toBeVisible();
  await expect(page.locator(`#bill-item-status-${period}`)).toHaveText('已缴清');

  // The detail agrees, and the account card no longer shows arrears.
  await page.locator(`#bill-item-${period}`).click();
  await expect(page.locator('#bill-status')).toHaveText('已缴清');
  await expect(page.locator('#bill-lines')).toContainText('kWh');
  // Its receipt downloads as a PDF (H5: a same-origin signed link; weapp: downloadFile + openDocument).
  await expectPdfDownload(page, '#bill-receipt');

  // 缴费记录 of the account lists the payment as paid, with its receipt.
  await page.goBack();
  await page.locator('#bills-payments').click();
  const row = page.locator('#payments-list [id^="payment-PW"]');
  await expect(row).toHaveCount(1);
  await expect(row.locator('[id^="payment-status-"]')).toHaveText('支付成功');
  await expect(row).toContainText('电费缴纳');
  await expectPdfDownload(page, '#payments-list [id^="payment-receipt-"]');
  // An e-invoice with a personal title: requested once, then it downloads too.
  await page.locator('#payments-list [id^="payment-invoice-request-"]').click();
  await page.locator('#invoice-submit').click();
  await expect(page.locator('#invoice-error')).toHaveText('请填写发票抬头（姓名，至少2个字）');
  await fill(page, 'invoice-name', UNPAID.holderName);
  await page.locator('#invoice-submit').click();
  await expect(page.locator('#invoice-form')).toHaveCount(0);
  await expect(page.locator('#payments-list [id^="payment-invoice-request-"]')).toHaveCount(0);
  await expectPdfDownload(page, '#payments-list [id^="payment-invoice-PW"]');
  await page.goto(`${URLS.h5}/#/pages/home/index`);
  await expect(page.locator(`#account-money-${UNPAID.number}`)).toHaveText('¥0.00');
});

test('代缴: a resident looks up any account by number and sees the masked holder name before paying', async ({ page }) => {
  await loginAndBind(page, 'e2e-mp-payfor', { number: DEMO.bindable.number, holderName: DEMO.bindable.holderName });
  await page.locator('#home-payFor').click();
  await fill(page, 'payfor-number', '12');
  await page.locator('#payfor-lookup').click();
  await expect(page.locator('#payfor-number-error')).toContainText('13');
  await fill(page, 'payfor-number', DEMO.bindable.number);
  await page.locator('#payfor-lookup').click();
  await expect(page.locator('#payfor-holder-masked')).toHaveText(DEMO.bindable.masked);
  await expect(page.locator('body')).not.toContainText(DEMO.bindable.holderName);
  // Every bill of the demo account is paid.
  await expect(page.locator('#payfor-nothing')).toBeVisible();
});
