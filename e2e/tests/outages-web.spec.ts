import { expect, type Browser, type Page } from '@playwright/test';
import { URLS, staffLogin as loginOn, pickOptions, test } from './env';
import { button, CTX, releaseSmsSlot, residentLogin } from './portal';

/** Demo account bound to the demo resident (13800000001). */
const ACCOUNT = '3101000000002';

let smsSentAt = 0;

test.describe.configure({ mode: 'serial' });

/** A code may be sent to a phone once per 60 s: leave the next spec a free slot. */
test.afterAll(async () => {
  await releaseSmsSlot(smsSentAt);
});

/** Wall-clock parts of a date in China time (the browser contexts run in Asia/Shanghai). */
function shanghai(d: Date) {
  const s = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return { input: `${s.slice(0, 10)} ${s.slice(11, 16)}`, etrText: `${s.slice(5, 7)}月${s.slice(8, 10)}日${s.slice(11, 16)}` };
}
/** A whole minute `minutes` from now. */
const inMinutes = (minutes: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 + minutes * 60_000);

async function residentPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext(CTX)).newPage();
  smsSentAt = await residentLogin(page);
  return page;
}

async function staffLogin(browser: Browser, username: string, to: string): Promise<Page> {
  const page = await (await browser.newContext(CTX)).newPage();
  await loginOn(page, username, to);
  return page;
}

/** Picks a transformer area in the (staff) publish form's area selector by its exact name, as a person types it. */
async function pickArea(page: Page, name: string) {
  await pickOptions(page.getByLabel('台区', { exact: true }), [name], (area) => area);
}

/** Types a date-time into the console's picker (2026-12-01 18:59) by its label and commits it. */
async function pickDateTime(page: Page, label: string, value: string) {
  const input = page.getByLabel(label, { exact: true });
  // The previous field's panel may still be closing and swallow the first keystrokes: type again, as a person would.
  for (let attempt = 0; ; attempt++) {
    await input.click();
    await input.fill(value);
    await input.press('Enter');
    try {
      await expect(input).toHaveValue(value, { timeout: 3_000 });
      return;
    } catch (err) {
      if (attempt >= 2) throw err;
      await page.keyboard.press('Escape');
    }
  }
}

/** The staff outage list's row of an area (not a proposal's): it carries a TD number. */
const outageRow = (page: Page, area: string) =>
  page
    .getByRole('row')
    .filter({ hasText: area })
    .filter({ hasText: /TD\d{8}-\d{4}/ });
const outageNoOf = async (row: ReturnType<typeof outageRow>) => ((await row.innerText()).match(/TD\d{8}-\d{4}/) ?? [''])[0];
const OK = /^确\s*定$/;

/** The 停电查询 card of one of the resident's accounts. */
const accountCard = (page: Page) =>
  page
    .locator('.ant-card')
    .filter({ hasText: `户号 ${ACCOUNT}` })
    .first();
/** One outage in a list, by its number. */
const outageCard = (scope: Page | ReturnType<Page['locator']>, outageNo: string) =>
  scope.locator('.ant-card').filter({ hasText: `停电编号 ${outageNo}` });
/** A message of the message centre by what it says. */
const message = (page: Page, text: string | RegExp) => page.getByRole('listitem').filter({ hasText: text });

test('a dispatcher publishes a fault outage, changes its ETR and restores power; the resident follows it on 停电查询 and in 消息中心, and sees a planned outage announced 8 days ahead', async ({
  browser,
}) => {
  test.setTimeout(240_000);

  // The resident finds the transformer area of their account and subscribes to its outage notices.
  const resident = await residentPage(browser);
  const homeCard = resident.locator('.ps-account-card', { hasText: ACCOUNT });
  const area = (await homeCard.getByText(/台区/).innerText()).trim();
  expect(area).toMatch(/台区/);
  await resident.getByRole('link', { name: /停电查询/ }).click();
  await expect(resident).toHaveURL(/\/home\/outages$/);
  const card = accountCard(resident);
  await expect(card).toContainText(area);
  const subscribe = card.getByRole('button', { name: /订阅停电通知/ });
  if (await subscribe.isVisible()) await subscribe.click();
  await expect(card.getByRole('button', { name: /取消订阅/ })).toBeVisible();

  // The dispatcher publishes a fault outage over that transformer area, from the staff menu.
  const staff = await staffLogin(browser, 'dispatcher01', '/staff');
  await staff.getByRole('link', { name: '停电信息' }).click();
  await expect(staff).toHaveURL(/\/staff\/outages$/);
  const etr1 = shanghai(inMinutes(180));
  await staff.getByRole('radiogroup').getByText('故障停电', { exact: true }).click();
  await expect(staff.getByRole('radio', { name: '故障停电' })).toBeChecked();
  await pickArea(staff, area);
  await pickDateTime(staff, '预计恢复送电', etr1.input);
  await staff.getByLabel('停电原因').fill('台区变压器故障，抢修人员正在处理');
  await staff.getByRole('button', { name: '发布停电信息' }).click();
  const row = outageRow(staff, area);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(etr1.etrText);
  const outageNo = await outageNoOf(row);
  expect(outageNo).toMatch(/^TD\d{8}-\d{4}$/);

  // The resident sees it on 停电查询 with the ETR, and it links to its own page.
  await resident.reload();
  const outage = outageCard(card, outageNo);
  await expect(outage).toBeVisible();
  await expect(outage.getByText('停电中')).toBeVisible();
  await expect(outage.getByText(`预计${etr1.etrText}恢复送电`)).toBeVisible();
  const outageHref = await outage.getByRole('link', { name: /查看详情/ }).getAttribute('href');
  expect(outageHref).toMatch(/^\/outages\/[0-9a-f]{24}$/);

  // The dispatcher moves the ETR, then restores power.
  const etr2 = shanghai(inMinutes(300));
  await row.getByRole('button', { name: '修改恢复时间' }).click();
  const etrDialog = staff.getByRole('dialog');
  await pickDateTime(staff, '新的预计恢复送电时间', etr2.input);
  await etrDialog.getByLabel('备注').fill('抢修难度较大，延长恢复时间');
  await etrDialog.getByRole('button', { name: OK }).click();
  await expect(etrDialog).toBeHidden();
  await expect(row).toContainText(etr2.etrText);

  await resident.reload();
  await expect(outage.getByText(`预计${etr2.etrText}恢复送电`)).toBeVisible();

  await row.getByRole('button', { name: '恢复送电' }).click();
  await staff.getByRole('tooltip').getByRole('button', { name: '恢复送电' }).click();
  await expect(staff.getByRole('row').filter({ hasText: outageNo })).toHaveCount(0);

  await resident.reload();
  await expect(outageCard(card, outageNo)).toHaveCount(0);

  // 消息中心: the ETR change and the restoration, with an unread count on /home.
  await resident.goto(`${URLS.web}/home`);
  const centre = resident.getByRole('link', { name: /消息中心/ });
  await expect(async () => {
    await resident.reload();
    await expect(centre).toContainText(/\d/, { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await centre.click();
  await expect(resident).toHaveURL(/\/home\/messages$/);
  const etrMsg = message(resident, '故障停电恢复时间调整').filter({ hasText: etr2.etrText });
  const restoredMsg = message(resident, '已恢复送电').filter({ hasText: area });
  await expect(async () => {
    await resident.reload();
    await expect(etrMsg).toHaveCount(1, { timeout: 2000 });
    await expect(restoredMsg).toHaveCount(1, { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(restoredMsg.getByText('未读', { exact: true })).toBeVisible();
  // Each outage notice leads to its outage.
  await expect(restoredMsg.getByRole('link', { name: /查看详情/ })).toHaveAttribute('href', outageHref!);
  await button(resident, '全部已读').click();
  await expect(restoredMsg.getByText('已读', { exact: true })).toBeVisible();
  await expect(resident.getByText('未读', { exact: true })).toHaveCount(0);

  // A planned outage only 3 days ahead is refused with the 7-day rule.
  await staff.getByRole('radiogroup').getByText('计划停电', { exact: true }).click();
  await expect(staff.getByRole('radio', { name: '计划停电' })).toBeChecked();
  await pickArea(staff, area);
  const start = shanghai(inMinutes(3 * 24 * 60));
  await pickDateTime(staff, '开始时间', start.input);
  await pickDateTime(staff, '预计恢复送电', shanghai(inMinutes(3 * 24 * 60 + 240)).input);
  await staff.getByLabel('停电原因').fill('10kV线路设备检修');
  await staff.getByRole('button', { name: '发布停电信息' }).click();
  const refusal = staff.getByRole('alert').filter({ hasText: '计划停电须至少提前7天发布' });
  await expect(refusal).toBeVisible();
  await expect(refusal).toContainText('临时检修');

  // 8 days ahead it is published as upcoming — and the resident sees it: on 停电查询, and in the notice, which leads to it.
  await pickDateTime(staff, '开始时间', shanghai(inMinutes(8 * 24 * 60)).input);
  await pickDateTime(staff, '预计恢复送电', shanghai(inMinutes(8 * 24 * 60 + 240)).input);
  await staff.getByRole('button', { name: '发布停电信息' }).click();
  const planned = outageRow(staff, area);
  await expect(planned).toHaveCount(1);
  await expect(planned).toContainText('即将停电');
  const plannedNo = await outageNoOf(planned);

  await resident.goto(`${URLS.web}/home/outages`);
  await expect(outageCard(accountCard(resident), plannedNo).getByText('即将停电')).toBeVisible();
  await resident.goto(`${URLS.web}/home/messages`);
  const plannedMsg = message(resident, '计划停电通知').filter({ hasText: '10kV线路设备检修' });
  await expect(async () => {
    await resident.reload();
    await expect(plannedMsg).toHaveCount(1, { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await plannedMsg.getByRole('link', { name: /查看详情/ }).click();
  await expect(resident).toHaveURL(/\/outages\/[0-9a-f]{24}$/);
  await expect(resident.getByRole('heading', { name: '停电详情' })).toBeVisible();
  await expect(resident.getByText(`停电编号 ${plannedNo}`)).toBeVisible();
  await expect(resident.getByText('即将停电')).toBeVisible();
  await expect(resident.locator('body')).not.toContainText('暂无停电安排');

  // Plans change and the dispatcher cancels it with a reason.
  await planned.getByRole('button', { name: '取消停电' }).click();
  const cancelDialog = staff.getByRole('dialog');
  await cancelDialog.getByRole('button', { name: '取消停电' }).click();
  await expect(cancelDialog.getByText('请填写取消原因')).toBeVisible();
  await cancelDialog.getByLabel('取消原因').fill('施工计划调整，改期另行通知');
  await cancelDialog.getByRole('button', { name: '取消停电' }).click();
  await expect(staff.getByRole('row').filter({ hasText: plannedNo })).toHaveCount(0);

  // The public page (no login) lists nothing for that account any more, and looks it up by number.
  const anon = await (await browser.newContext(CTX)).newPage();
  await anon.goto(URLS.web);
  await anon.getByRole('link', { name: /停电信息公告/ }).click();
  await expect(anon).toHaveURL(/\/outages$/);
  await anon.getByPlaceholder('请输入 13 位户号').fill(ACCOUNT);
  await button(anon, '查询').click();
  await expect(anon.getByText(`该户号所在台区：${area}`)).toBeVisible();
  await expect(anon.getByText('当前无停电计划，供电正常')).toBeVisible();
});
