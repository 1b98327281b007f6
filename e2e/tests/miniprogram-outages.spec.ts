import { expect } from '@playwright/test';
import { DEMO, fillH5 as fill, fillH5Area as fillArea, apiCall as trpc, test } from './env';
import { bindAccount, openPage, openTab, PHONE, section, shown, tap, wechatLogin } from './mp';

test.use(PHONE);

/**
 * Outages in the mini-program H5 build: a dispatcher publishes a fault outage through the API; the resident sees it in
 * 停电查询 with its ETR, subscribes, is told at once when reporting a fault that the report was linked to it, and after the
 * dispatcher restores power finds the restoration notice in 消息中心 (unread badge on the home entry).
 * E2E_H5_URL / E2E_API_URL point the spec at another stack (defaults: the test stack of playwright.config.ts).
 */
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
  const { accessToken: staff } = await trpc<{ accessToken: string }>('mutation', 'auth.passwordLogin', {
    username: 'dispatcher01',
    password: DEMO.password,
  });

  // 1. The dispatcher publishes a fault outage in progress on the account's transformer area.
  const areaId = await transformerAreaOf(number);
  const now = Date.now();
  const reason = `e2e 台区低压线路故障抢修 ${now}`;
  const { outage } = await trpc<{ outage: Outage }>(
    'mutation',
    'outage.publish',
    {
      kind: 'fault',
      scope: { transformerAreaIds: [areaId] },
      startAt: new Date(now - 60_000).toISOString(),
      etr: new Date(now + 3 * 3600_000).toISOString(),
      reason,
    },
    staff,
  );
  expect(outage.phase).toBe('active');
  expect(outage.etrText).toMatch(/^预计.+恢复送电$/);

  // 2. The resident logs in and binds the account (once per simUser).
  await wechatLogin(page, SIM_USER);
  await bindAccount(page, { number, holderName: DEMO.bindable.holderName });

  // 3. 停电查询: the bound account's outage with its ETR, the public list and the lookup by number; subscribe.
  await openTab(page, '服务');
  await tap(page, '停电查询');
  const mine = section(page, '我的户号');
  const mineOutage = mine.getByText(reason);
  await expect(mine).toContainText('故障停电');
  await expect(mine.getByText('停电中', { exact: true })).toBeVisible();
  await expect(mine.getByText(outage.etrText, { exact: true })).toBeVisible();
  await expect(mineOutage).toBeVisible();
  await expect(section(page, '停电公告（当前及未来 7 天）')).toContainText(reason);
  const subscribe = mine.getByText(/订阅停电通知$/);
  await expect(subscribe).toBeVisible();
  if ((await subscribe.innerText()).trim() === '订阅停电通知') await subscribe.click();
  await expect(mine.getByText('已订阅停电通知', { exact: true })).toBeVisible();
  await fill(page, 'outage-lookup-number', '123');
  await tap(page, '查询');
  await expect(page.getByText('户号为13位数字')).toBeVisible();
  await fill(page, 'outage-lookup-number', number);
  await tap(page, '查询');
  await expect(section(page, '按户号查询').getByText(outage.etrText, { exact: true })).toBeVisible();

  // 4. 故障报修: the outage shows before filing; after filing the detail says at once the report was linked.
  await openPage(page, `/pages/service/index`);
  await tap(page, '故障报修');
  await expect(page.getByText('您所在区域正在停电')).toBeVisible();
  await expect(shown(page, outage.etrText).first()).toBeVisible();
  await tap(page, '整户停电');
  await fillArea(page, 'fault-desc', `家里整户停电，楼里都没电 e2e-${now}`);
  const phoneInput = page.getByRole('spinbutton', { name: '请输入 11 位手机号' });
  await expect(phoneInput.or(shown(page, '户号预留手机')).first()).toBeVisible();
  if (await phoneInput.isVisible()) await phoneInput.fill('13900000001');
  await tap(page, '提交报修');
  await expect(shown(page, `您所在区域正在停电，${outage.etrText}，无需重复报修`)).toBeVisible();
  await expect(shown(page, '停电中').first()).toBeVisible();

  // 5. The dispatcher restores power; the resident (subscriber and reporter) gets one restoration notice.
  const orderUrl = page.url();
  await trpc('mutation', 'outage.restore', { outageId: outage.id, note: 'e2e 抢修完毕' }, staff);

  // Notices fan out right after the restoration: reload 首页 until the unread badge shows on 消息中心.
  await expect(async () => {
    await openPage(page, `/pages/home/index`);
    await expect(
      page
        .getByText(/^\d+$|^99\+$/)
        .filter({ visible: true })
        .first(),
    ).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await tap(page, '消息中心');
  // One row per message in the list; its unread dot has no words but says 未读 to assistive technology.
  const restored = page.locator('#messages-list > *').filter({ hasText: '已恢复送电' }).filter({ visible: true }).first();
  await expect(restored).toBeVisible();
  await expect(restored.getByRole('img', { name: '未读' })).toBeVisible();
  await restored.click();
  await expect(restored.getByRole('img', { name: '未读' })).toHaveCount(0);

  // The order detail now shows the outage as restored.
  await page.goto(orderUrl);
  await page.reload();
  await expect(shown(page, '已恢复送电').first()).toBeVisible();
});
