import { expect, test, type Browser, type Page } from '@playwright/test';
import { URLS, residentSmsLogin, staffLogin as loginOn } from './env';

/** Demo account bound to the demo resident (13800000001). */
const ACCOUNT = '3101000000002';
const CTX = { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' } as const;

let smsSentAt = 0;

test.describe.configure({ mode: 'serial' });

/** A code may be sent to a phone once per 60 s: leave the next spec a free slot. */
test.afterAll(async () => {
  const wait = smsSentAt + 61_000 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
});

/** Wall-clock parts of a date in China time (the browser contexts run in Asia/Shanghai). */
function shanghai(d: Date) {
  const s = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return { input: s.slice(0, 16), etrText: `${s.slice(5, 7)}月${s.slice(8, 10)}日${s.slice(11, 16)}` };
}
/** A whole minute `minutes` from now. */
const inMinutes = (minutes: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 + minutes * 60_000);

async function residentLogin(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext(CTX)).newPage();
  smsSentAt = await residentSmsLogin(page);
  return page;
}

async function staffLogin(browser: Browser, username: string, to: string): Promise<Page> {
  const page = await (await browser.newContext(CTX)).newPage();
  await loginOn(page, username, to);
  return page;
}

/** Picks a transformer area in the publish form's area selector by its exact name. */
async function pickArea(page: Page, name: string) {
  await page.getByTestId('publish-areas').locator('input').fill(name);
  await page.locator(`.ant-select-item-option[title="${name}"]`).click();
  await page.keyboard.press('Escape');
}

test('a dispatcher publishes a fault outage, changes its ETR and restores power; the resident follows it on 停电查询 and in 消息中心', async ({ browser }) => {
  test.setTimeout(240_000);

  // The resident finds the transformer area of their account and subscribes to its outage notices.
  const resident = await residentLogin(browser);
  const area = (await resident.getByTestId(`account-row-${ACCOUNT}`).getByTestId('area').innerText()).trim();
  expect(area).toMatch(/台区/);
  await resident.getByTestId('service-outages').click();
  await expect(resident).toHaveURL(/\/home\/outages$/);
  const card = resident.getByTestId(`outage-account-${ACCOUNT}`);
  await expect(card.getByTestId('area')).toHaveText(area);
  if (await card.getByTestId(`subscribe-${ACCOUNT}`).isVisible()) await card.getByTestId(`subscribe-${ACCOUNT}`).click();
  await expect(card.getByTestId(`unsubscribe-${ACCOUNT}`)).toBeVisible();

  // The dispatcher publishes a fault outage over that transformer area, from the staff menu.
  const staff = await staffLogin(browser, 'dispatcher01', '/staff');
  await staff.getByTestId('menu-outages').click();
  await expect(staff).toHaveURL(/\/staff\/outages$/);
  const etr1 = shanghai(inMinutes(180));
  await staff.getByTestId('publish-kind-fault').click();
  await pickArea(staff, area);
  await staff.getByTestId('publish-etr').fill(etr1.input);
  await staff.getByTestId('publish-reason').fill('台区变压器故障，抢修人员正在处理');
  await staff.getByTestId('publish-submit').click();
  const row = staff.locator('[data-testid^="outage-row-"]', { hasText: area });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('row-etr')).toContainText(etr1.etrText);
  const outageNo = (await row.getAttribute('data-testid'))!.replace('outage-row-', '');
  expect(outageNo).toMatch(/^TD\d{8}-\d{4}$/);

  // The resident sees it on 停电查询 with the ETR.
  await resident.reload();
  const outage = card.getByTestId(`outage-${outageNo}`);
  await expect(outage).toBeVisible();
  const outageId = await outage.getAttribute('data-outage-id');
  await expect(outage.getByTestId('outage-phase')).toHaveText('停电中');
  await expect(outage.getByTestId('outage-etr')).toHaveText(`预计${etr1.etrText}恢复送电`);

  // The dispatcher moves the ETR, then restores power.
  const etr2 = shanghai(inMinutes(300));
  await row.getByTestId(`edit-etr-${outageNo}`).click();
  await staff.getByTestId('etr-input').fill(etr2.input);
  await staff.getByTestId('etr-note').fill('抢修难度较大，延长恢复时间');
  await staff.getByTestId('etr-save').click();
  await expect(row.getByTestId('row-etr')).toContainText(etr2.etrText);

  await resident.reload();
  await expect(outage.getByTestId('outage-etr')).toHaveText(`预计${etr2.etrText}恢复送电`);

  await row.getByTestId(`restore-${outageNo}`).click();
  await staff.getByTestId('restore-confirm').click();
  await expect(staff.getByTestId(`outage-row-${outageNo}`)).toHaveCount(0);

  await resident.reload();
  await expect(card.getByTestId(`outage-${outageNo}`)).toHaveCount(0);

  // 消息中心: the ETR change and the restoration, with an unread badge on /home.
  await resident.goto(`${URLS.web}/home`);
  await expect(async () => {
    await resident.reload();
    await expect(resident.getByTestId('unread-badge')).toContainText(/\d/, { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await resident.getByTestId('service-messages').click();
  await expect(resident).toHaveURL(/\/home\/messages$/);
  const etrMsg = resident.locator(`[data-outage-id="${outageId}"][data-kind="outage.etr_changed"]`, { hasText: etr2.etrText });
  const restoredMsg = resident.locator(`[data-outage-id="${outageId}"][data-kind="outage.restored"]`, { hasText: area });
  await expect(async () => {
    await resident.reload();
    await expect(etrMsg).toHaveCount(1, { timeout: 2000 });
    await expect(restoredMsg).toHaveCount(1, { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(etrMsg.getByTestId('message-title')).toHaveText('故障停电恢复时间调整');
  await expect(restoredMsg.getByTestId('message-title')).toHaveText('已恢复送电');
  await expect(restoredMsg).toHaveAttribute('data-read', 'false');
  await resident.getByTestId('messages-mark-all').click();
  await expect(restoredMsg).toHaveAttribute('data-read', 'true');
  await expect(resident.locator('[data-read="false"]')).toHaveCount(0);

  // A planned outage only 3 days ahead is refused with the 7-day rule.
  await staff.getByTestId('publish-kind-planned').click();
  await pickArea(staff, area);
  const start = shanghai(inMinutes(3 * 24 * 60));
  await staff.getByTestId('publish-start').fill(start.input);
  await staff.getByTestId('publish-etr').fill(shanghai(inMinutes(3 * 24 * 60 + 240)).input);
  await staff.getByTestId('publish-reason').fill('10kV线路设备检修');
  await staff.getByTestId('publish-submit').click();
  await expect(staff.getByTestId('publish-error')).toContainText('计划停电须至少提前7天发布');
  await expect(staff.getByTestId('publish-error')).toContainText('临时检修');

  // 8 days ahead it is published as upcoming; plans change and the dispatcher cancels it with a reason.
  await staff.getByTestId('publish-start').fill(shanghai(inMinutes(8 * 24 * 60)).input);
  await staff.getByTestId('publish-etr').fill(shanghai(inMinutes(8 * 24 * 60 + 240)).input);
  await staff.getByTestId('publish-submit').click();
  const planned = staff.locator('[data-testid^="outage-row-"]', { hasText: area });
  await expect(planned).toHaveCount(1);
  await expect(planned).toContainText('即将停电');
  const plannedNo = (await planned.getAttribute('data-testid'))!.replace('outage-row-', '');
  await planned.getByTestId(`cancel-outage-${plannedNo}`).click();
  await staff.getByTestId('cancel-outage-confirm').click();
  await expect(staff.getByText('请填写取消原因')).toBeVisible();
  await staff.getByTestId('cancel-outage-reason').fill('施工计划调整，改期另行通知');
  await staff.getByTestId('cancel-outage-confirm').click();
  await expect(staff.getByTestId(`outage-row-${plannedNo}`)).toHaveCount(0);

  // The public page (no login) lists nothing for that account any more, and looks it up by number.
  const anon = await (await browser.newContext(CTX)).newPage();
  await anon.goto(URLS.web);
  await anon.getByTestId('entry-outages').click();
  await expect(anon).toHaveURL(/\/outages$/);
  await anon.getByTestId('lookup-number').fill(ACCOUNT);
  await anon.getByTestId('lookup-submit').click();
  await expect(anon.getByTestId('lookup-result')).toContainText(area);
  await expect(anon.getByTestId('lookup-result').getByTestId('no-outage')).toBeVisible();
});
