import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { DEMO, URLS, apiCall } from './env';

/**
 * Helpers for the customer web portal specs that act the way a person reads the screen: by role, label,
 * placeholder and visible text. Ant Design puts a space between the two characters of a two-character
 * button ("登 录"), hence the names written as /登\s*录/.
 */

export const CTX = { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' } as const;
export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** A button by its visible name, spaces between characters allowed (and an icon's name before it, e.g. "search 查 询"). */
export const button = (page: Page | Locator, name: string) =>
  page.getByRole('button', { name: new RegExp(`(?:^|\\s)${[...name].join('\\s*')}\\s*$`) });

/** The newest verification code sent to a phone after `after`, read from the development SMS outbox (codes only, not notices). */
export async function smsCode(phone: string, after: number): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const rows = await apiCall<{ text: string; createdAt: string }[]>('query', 'dev.smsOutbox', { phone });
    const code = rows.filter((m) => Date.parse(m.createdAt) >= after && /验证码/.test(m.text)).map((m) => m.text.match(/\d{6}/)?.[0])[0];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no SMS code for ${phone}`);
}

/**
 * Signs the demo resident in on /login with an SMS code. A code may be sent once per 60 s and other specs
 * sign the same resident in: on "请N秒后再试" it waits and tries again. Returns when the code was sent.
 */
export async function residentLogin(page: Page, phone = DEMO.residentPhone): Promise<number> {
  await page.goto(`${URLS.web}/login`);
  await page.getByPlaceholder('请输入 11 位手机号').fill(phone);
  let sentAt = 0;
  for (let attempt = 0; ; attempt++) {
    const after = Date.now() - 1000;
    await page.getByRole('button', { name: /获取验证码|重新获取/ }).click();
    const outcome = await Promise.race([
      page
        .getByText(/秒后再试/)
        .waitFor()
        .then(() => 'wait' as const),
      page
        .getByRole('button', { name: /秒后重发/ })
        .waitFor()
        .then(() => 'sent' as const),
    ]);
    if (outcome === 'sent') {
      sentAt = Date.now();
      await page.getByPlaceholder('请输入 6 位验证码').fill(await smsCode(phone, after));
      break;
    }
    const wait = Number((await page.getByText(/秒后再试/).innerText()).match(/(\d+)\s*秒后再试/)?.[1] ?? NaN);
    if (!Number.isFinite(wait) || attempt > 1) throw new Error(`cannot send a code to ${phone}`);
    await page.waitForTimeout((wait + 1) * 1000);
  }
  await button(page, '登录').click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole('heading', { name: /您好/ })).toBeVisible();
  return sentAt;
}

/** Signs the demo resident in once, in a context of its own; the state is reused by the spec's pages. */
export async function residentState(browser: Browser): Promise<{ state: StorageState; sentAt: number }> {
  const ctx = await browser.newContext(CTX);
  const sentAt = await residentLogin(await ctx.newPage());
  const state = await ctx.storageState();
  await ctx.close();
  return { state, sentAt };
}

export async function pageWith(browser: Browser, state: StorageState): Promise<Page> {
  return (await browser.newContext({ ...CTX, storageState: state })).newPage();
}

/** Staff sign-in on the console by label and button text, landing on `to`. */
export async function staffLogin(page: Page, username: string, to: string) {
  await page.goto(`${URLS.web}/staff/login?next=${encodeURIComponent(to)}`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO.password);
  await button(page, '登录').click();
  await expect(page).toHaveURL(new RegExp(`${to.replace(/\//g, '\\/')}$`));
}

/** A staff member's bearer token for API steps (dispatch, resolve) that stand in for the other end of the story. */
export async function staffToken(username: string): Promise<string> {
  const r = await apiCall<{ accessToken: string }>('mutation', 'auth.passwordLogin', { username, password: DEMO.password });
  return r.accessToken;
}

/** Leaves the next spec a free slot for its SMS code to the same phone (one code per 60 s). */
export async function releaseSmsSlot(sentAt: number) {
  const wait = sentAt + 61_000 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
