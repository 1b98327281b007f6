import { test as base, expect, type Locator, type Page } from '@playwright/test';

/**
 * Every spec's `test`. The worker's browser lives through the whole run, so a context a test opens with
 * `browser.newContext()` and does not close would keep its pages polling the stack (queues, notices, live updates)
 * for every spec after it: closed here when the test ends, after its failure screenshots and traces are taken.
 */
export const test = base.extend<{ closeOpenedContexts: void }>({
  closeOpenedContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use();
      const opened = browser.contexts().filter((c) => !before.has(c));
      await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
    },
    { auto: true },
  ],
});

/** An option of the antd select lists now open: by its exact title, or by a pattern over its text. */
function optionOf(page: Page, option: string | RegExp): Locator {
  // A closed list stays in the page, off screen, with the -hidden class (Playwright counts it as visible).
  const lists = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  return (typeof option === 'string' ? lists.getByTitle(option, { exact: true }) : lists.getByText(option)).first();
}

/**
 * Picks one option of a single antd select, as a person does: open the list, click the option, see it close.
 * On a busy run a click that lands during the list's opening animation is lost and the open list then covers what is
 * under it, so the pick repeats until the combobox says the list has closed (only `aria-expanded` tells).
 * `search` is typed first where the list is too long to show the option.
 */
export async function pickOption(combobox: Locator, option: string | RegExp, search?: string) {
  const page = combobox.page();
  await expect(async () => {
    if ((await combobox.getAttribute('aria-expanded')) !== 'true') await combobox.click({ timeout: 2_000 });
    if (search) await combobox.fill(search, { timeout: 2_000 });
    await optionOf(page, option).click({ timeout: 2_000 });
    await expect(combobox).toHaveAttribute('aria-expanded', 'false', { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

/**
 * Ticks options of a multiple antd select (typing `search` first where the list is long), then closes the list.
 * An option is clicked only while it is not ticked, since a second click would untick it.
 */
export async function pickOptions(combobox: Locator, options: string[], search?: (option: string) => string) {
  const page = combobox.page();
  for (const option of options) {
    await expect(async () => {
      if ((await combobox.getAttribute('aria-expanded')) !== 'true') await combobox.click({ timeout: 2_000 });
      if (search) await combobox.fill(search(option), { timeout: 2_000 });
      const item = optionOf(page, option);
      if (!/ant-select-item-option-selected/.test((await item.getAttribute('class', { timeout: 2_000 })) ?? '')) {
        await item.click({ timeout: 2_000 });
      }
      await expect(item).toHaveClass(/ant-select-item-option-selected/, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
  }
  await expect(async () => {
    if ((await combobox.getAttribute('aria-expanded')) === 'true') await combobox.press('Escape', { timeout: 2_000 });
    await expect(combobox).toHaveAttribute('aria-expanded', 'false', { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

/** The test stack's addresses (api/scripts/stack.ts --mode test) and helpers that read from it directly. */
export const URLS = {
  web: 'http://127.0.0.1:3100',
  h5: 'http://127.0.0.1:10186',
  api: 'http://127.0.0.1:4100',
  wechat: 'http://127.0.0.1:4110',
};

export const DEMO = {
  password: 'Demo@12345',
  residentPhone: '13800000001',
  bindable: { number: '3101000000001', holderName: '张建国', masked: '张*国' },
  /** Nobody's account with its latest bill open (api/src/modules/billing/seed.ts DEMO_PAYFOR_ACCOUNT). */
  payFor: { number: '3101000000005', holderName: '赵淑兰', masked: '赵*兰' },
  /** Disconnected for arrears, two bills open (DEMO_DISCONNECTED_ACCOUNT). */
  disconnected: { number: '3101000000006', holderName: '孙国强', masked: '孙*强' },
  /** Smart-prepaid, balance positive (DEMO_PREPAID_ACCOUNT). */
  prepaid: { number: '3101000000007', holderName: '周玉梅', masked: '周*梅' },
};

/** Logs a staff member in on the console and lands on `to`. */
export async function staffLogin(page: Page, username: string, to: string) {
  await page.goto(`${URLS.web}/staff/login?next=${encodeURIComponent(to)}`);
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(DEMO.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(new RegExp(`${to.replace(/\//g, '\\/')}$`));
}

/** The latest SMS code sent to a phone, read from the development outbox through the API. */
export async function latestSmsCode(phone: string, after = 0): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const input = encodeURIComponent(JSON.stringify({ phone }));
    const res = await fetch(`${process.env.E2E_API_URL ?? URLS.api}/trpc/dev.smsOutbox?input=${input}`);
    const body = (await res.json()) as { result: { data: { text: string; createdAt: string }[] } };
    const msg = body.result.data.find((m) => Date.parse(m.createdAt) >= after);
    const code = msg?.text.match(/\d{6}/)?.[0];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no SMS code for ${phone}`);
}

/**
 * SMS login of the demo resident on the web portal. A code may be sent to a phone once per 60 s and other
 * specs log the same resident in: on "发送过于频繁，请N秒后再试" wait N seconds and try again.
 * Returns when the code was sent, for specs that leave the next one room to send.
 */
export async function residentSmsLogin(page: Page, phone = DEMO.residentPhone): Promise<number> {
  let sentAt = 0;
  await page.goto(`${URLS.web}/login`);
  await page.getByTestId('phone').fill(phone);
  for (let attempt = 0; ; attempt++) {
    const sentAfter = Date.now() - 1000;
    await page.getByTestId('send-code').click();
    const outcome = await Promise.race([
      page
        .getByTestId('login-error')
        .waitFor()
        .then(() => 'error' as const),
      page
        .getByTestId('send-code')
        .filter({ hasText: '秒后重发' })
        .waitFor()
        .then(() => 'sent' as const),
    ]);
    if (outcome === 'sent') {
      sentAt = Date.now();
      await page.getByTestId('sms-code').fill(await latestSmsCode(phone, sentAfter));
      break;
    }
    const wait = Number((await page.getByTestId('login-error').innerText()).match(/(\d+)秒后再试/)?.[1] ?? NaN);
    if (!Number.isFinite(wait) || attempt > 1) throw new Error(await page.getByTestId('login-error').innerText());
    await page.waitForTimeout((wait + 1) * 1000);
  }
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/home/);
  if (phone === DEMO.residentPhone) await expect(page.getByTestId('account-list')).toBeVisible();
  return sentAt;
}

/** Taro's H5 build wraps native inputs and textareas in custom elements: fill the native one by the wrapper's id. */
export const fillH5 = (page: Page, id: string, value: string) => page.locator(`#${id} input`).fill(value);
export const fillH5Area = (page: Page, id: string, value: string) => page.locator(`#${id} textarea`).fill(value);

/** Calls one tRPC procedure of the test stack's API over fetch (no batching, no transformer): setup and staff steps. */
export async function apiCall<T>(kind: 'query' | 'mutation', path: string, input: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const url = `${process.env.E2E_API_URL ?? URLS.api}/trpc/${path}`;
  const res =
    kind === 'query'
      ? await fetch(input === undefined ? url : `${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
      : await fetch(url, { method: 'POST', headers, body: JSON.stringify(input ?? {}) });
  const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (body.error) throw new Error(`${path}: ${body.error.message}`);
  return body.result!.data;
}
