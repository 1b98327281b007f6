import { expect, test, type Page } from '@playwright/test';
import { DEMO, URLS, fillH5 as fill, fillH5Area as fillArea, apiCall as trpc } from './env';

/**
 * Outages in the mini-program H5 build: a dispatcher publishes a fault outage through the API; the resident sees it in
 * 停电查询 with its ETR, subscribes, is told at once when reporting a fault that the report was linked to it, and after the
 * dispatcher restores power finds the restoration notice in 消息中心 (unread badge on the home entry).
 * E2E_H5_URL / E2E_API_URL point the spec at another stack (defaults: the test stack of playwright.config.ts).
 */
const H5 = process.env.E2E_H5_URL ?? URLS.h5;
const SIM_USER = 'e2e-mp-outage';

interface Area {
  id: string;
  name: string;
  kind: 'region' | 'feeder' | 'transformer_area';
}
interface Outage {
  id: string;
  outageNo: string;
  version: number;
  etrText: string;
  phase: string;
}

/** The transformer area (台区) id of an account: its name from outage.byAccountNumber, its id from the area tree. */
async function transformerAreaOf(number: string): Promise<string> {
  const { transformerAreaName } = await trpc<{ transformerAreaName: string }>('query', 'outage.byAccountNumber', { number });
  const regions = await trpc<Area[]>('query', 'outage.areas', undefined);
  for (const r of regions) {
    const areas = await trpc<Area[]>('query', 'outage.areas', { regionId: r.id });
    const hit = areas.find((a) => a.kind === 'transformer_area' && a.name === transformerAreaName);
    if (hit) return hit.id;
  }
  throw new Error(`transformer area ${transformerAreaName} not found`);
}

test('a resident sees a fault outage with its ETR, is told at once when reporting, and gets the restoration notice', async ({ page }) => {
  const number = DEMO.bindable.number;
  const { accessToken: staff } = await trpc<{ accessToken: string }>('mutation', 'auth.passwordLogin', { username: 'dispatcher01', password: DEMO.password });

  // 1. The dispatcher publishes a fault outage in progress on the account's transformer area.
  const areaId = await transformerAreaOf(number);
  const now = Date.now();
  const { outage } = await trpc<{ outage: Outage }>(
    'mutation',
    'outage.publish',
    {
      kind: 'fault',
      scope: { transformerAreaIds: [areaId] },
      startAt: new Date(now - 60_000).toISOString(),
      etr: new Date(now + 3 * 3600_000).toISOString(),
      reason: `e2e 台区低压线路故障抢修 ${now}`,
    },
    staff,
  );
  expect(outage.phase).toBe('active');
  expect(outage.etrText).toMatch(/^预计.+恢复送电$/);

  // 2. The resident logs in and binds the account (once per simUser).
  await page.goto(`${H5}/?simUser=${SIM_USER}#/pages/login/index`);
  await page.locator('#wx-login').click();
  await expect(page.locator('#home-services')).toBeVisible();
  const card = page.locator(`#account-card-${number}`);
  if (!(await card.isVisible())) {
    await page.locator('#home-bind').click();
    await fill(page, 'bind-number', number);
    await page.locator('#bind-lookup').click();
    await fill(page, 'bind-holder', DEMO.bindable.holderName);
    await page.locator('#bind-submit').click();
    await expect(card).toBeVisible();
  }

  // 3. 停电查询: the bound account's outage with its ETR, the public list and the lookup by number; subscribe.
  await page.locator('#home-outages').click();
  const mine = page.locator(`#mine-${number}-outage-${outage.outageNo}`);
  await expect(mine).toBeVisible();
  await expect(mine).toContainText('故障停电');
  await expect(page.locator(`#mine-${number}-outage-${outage.outageNo}-phase`)).toHaveText('停电中');
  await expect(page.locator(`#mine-${number}-outage-${outage.outageNo}-etr`)).toHaveText(outage.etrText);
  await expect(page.locator(`#list-outage-${outage.outageNo}`)).toBeVisible();
  const subscribe = page.locator(`#outage-subscribe-${number}`);
  await expect(subscribe).toHaveText(/订阅停电通知/);
  if ((await subscribe.textContent())?.trim() === '订阅停电通知') await subscribe.click();
  await expect(subscribe).toHaveText('已订阅停电通知');
  await fill(page, 'outage-lookup-number', '123');
  await page.locator('#outage-lookup').click();
  await expect(page.locator('#outage-lookup-error')).toHaveText('户号为13位数字');
  await fill(page, 'outage-lookup-number', number);
  await page.locator('#outage-lookup').click();
  await expect(page.locator(`#lookup-outage-${outage.outageNo}-etr`)).toHaveText(outage.etrText);

  // 4. 故障报修: the outage shows before filing; after filing the detail says at once the report was linked.
  await page.goto(`${H5}/#/pages/home/index`);
  await page.locator('#home-fault').click();
  await expect(page.locator('#fault-form')).toBeVisible();
  await page.locator(`#fault-account-${number}`).click();
  await expect(page.locator('#fault-outage')).toContainText('您所在区域正在停电');
  await expect(page.locator('#fault-outage-etr')).toHaveText(outage.etrText);
  await page.locator('#fault-kind-whole_house_outage').click();
  await fillArea(page, 'fault-desc', `家里整户停电，楼里都没电 e2e-${now}`);
  await page.locator('#fault-submit').click();
  await expect(page.locator('#order-detail')).toBeVisible();
  await expect(page.locator('#order-outage-linked')).toHaveText(`您所在区域正在停电，${outage.etrText}，无需重复报修`);
  await expect(page.locator('#order-outage-phase')).toHaveText('停电中');

  // 5. The dispatcher restores power; the resident (subscriber and reporter) gets one restoration notice.
  const orderUrl = page.url();
  await trpc('mutation', 'outage.restore', { outageId: outage.id, note: 'e2e 抢修完毕' }, staff);

  // Notices fan out right after the restoration: reload home until the unread badge shows.
  await expect(async () => {
    await page.goto(`${H5}/#/pages/home/index`);
    await expect(page.locator('#home-messages-badge')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await page.locator('#home-messages').click();
  const restored = page.locator('#messages-list .og-msg-unread', { hasText: '已恢复送电' }).first();
  await expect(restored).toBeVisible();
  await expect(restored).toContainText('恢复送电');
  const msgId = (await restored.getAttribute('id'))!.replace(/^message-/, '');
  await restored.click();
  await expect(page.locator(`#message-unread-${msgId}`)).toHaveCount(0);

  // The order detail now shows the outage as restored.
  await page.goto(orderUrl);
  await expect(page.locator('#order-outage-phase')).toHaveText('已恢复送电');
});
