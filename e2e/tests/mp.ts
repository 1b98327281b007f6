import fs from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import { fillH5, latestSmsCode, URLS } from './env';

/**
 * Mini-program (H5 build) steps the way a person takes them: by the words on the screen. Taro H5 renders its
 * components as custom elements (taro-view-core, taro-button-core…) without ARIA roles, so buttons are found
 * by their text; the app's own checkboxes and dialogs carry roles. Inputs are filled through env's fillH5.
 */
export const H5 = process.env.E2E_H5_URL ?? URLS.h5;

/** A phone-sized screen, as the mini-program is used (Taro's H5 sizes everything from the viewport width). */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/**
 * A tap on a text that stands alone on the screen (a button, a tab, a chip). Taro H5 keeps the tab pages
 * it has shown in the document (hidden): only what is on screen counts.
 */
export const shown = (page: Page | Locator, text: string | RegExp) =>
  page.getByText(text, { exact: typeof text === 'string' }).filter({ visible: true });
/**
 * Taps the first visible match. Each attempt finds the element again: a tab switch can replace a page instance after
 * the element was found, and a click on the old (now hidden) one would wait for it forever.
 */
export const tap = (page: Page | Locator, text: string | RegExp) =>
  expect(async () => {
    await shown(page, text).first().click({ timeout: 3000 });
  }).toPass({ timeout: 30_000 });

/** The tab bar at the bottom: 首页 / 缴费 / 服务 / 我的 (Taro H5 renders its items as links). */
export const tabItem = (page: Page, name: '首页' | '缴费' | '服务' | '我的') => page.getByRole('link', { name, exact: true });
export const openTab = (page: Page, name: '首页' | '缴费' | '服务' | '我的') => tabItem(page, name).click();

/** WeChat login through the simulator, agreeing to the 用户服务协议 and 隐私政策 when asked. */
export async function wechatLogin(page: Page, simUser: string) {
  await page.goto(`${H5}/?simUser=${simUser}#/pages/login/index`);
  await tap(page, '微信一键登录');
  const consent = page.getByRole('dialog', { name: '用户服务协议及隐私政策' });
  if (await consent.isVisible().catch(() => false)) await consent.getByText('同意并登录').click();
  await expect(tabItem(page, '首页')).toBeVisible();
}

/** An account card on 首页 (they all start with 户号). */
export const accountCard = (page: Page, number: string) =>
  page
    .locator('#account-list > *')
    .filter({ hasText: number.replace(/(\d{4})(?=\d)/g, '$1 ') })
    .filter({ visible: true });

/** Binds an account from 首页: by the holder's full name (户名关注), or with the code sent to the phone on file (户主). */
export async function bindAccount(page: Page, account: { number: string; holderName: string; phone?: string }, how: 'name' | 'sms' = 'name') {
  await openTab(page, '首页');
  const card = accountCard(page, account.number);
  // 首页 has loaded once it shows either its accounts or the invitation to bind one.
  await expect(page.getByText(/^(我的户号|您还没有绑定户号)/).first()).toBeVisible();
  if (await card.isVisible()) return card;
  await page
    .getByText(/^(\+ 绑定新户号|绑定户号)$/)
    .first()
    .click();
  await fillH5(page, 'bind-number', account.number);
  await tap(page, '下一步');
  if (how === 'sms') {
    await tap(page, '短信验证');
    const sentAfter = Date.now() - 1000;
    await tap(page, '获取验证码');
    await expect(page.getByText(/验证码已发送至 1\d{2}\*{4}\d{4}/)).toBeVisible();
    await fillH5(page, 'bind-code', await latestSmsCode(account.phone!, sentAfter));
  } else {
    await fillH5(page, 'bind-holder', account.holderName);
  }
  await tap(page, '确认绑定');
  await expect(card).toBeVisible();
  return card;
}

/** Clicks something that downloads a PDF and checks it is one. */
export async function expectPdfDownload(page: Page, target: Locator) {
  const [download] = await Promise.all([page.waitForEvent('download'), target.click()]);
  const bytes = fs.readFileSync(await download.path());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
}

/** The part of the page under a heading: the heading's own box (a card titled `title`). */
export const section = (page: Page, title: string) => shown(page, title).first().locator('xpath=..');

/**
 * Opens a page of the app by its path as a fresh start (like opening it from a share card): a bare change of the
 * hash would leave the pages opened before in the document, shown underneath.
 */
export async function openPage(page: Page, path: string) {
  await page.goto(`${H5}/#${path}`);
  await page.reload();
}
