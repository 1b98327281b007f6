import { expect, type Browser, type Page } from '@playwright/test';
import { URLS, apiCall, pickOption, test } from './env';
import { button, pageWith, releaseSmsSlot, residentState, staffToken, type StorageState } from './portal';

/** The demo resident's accounts (api/src/seed/generate.ts DEMO.residentAccounts). */
const HOME = '3101000000002';
const PARENTS = '3101000000003';
const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let resident: StorageState;
let smsSentAt = 0;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  ({ state: resident, sentAt: smsSentAt } = await residentState(browser));
});
test.afterAll(async () => {
  await releaseSmsSlot(smsSentAt);
});

const residentPage = (browser: Browser) => pageWith(browser, resident);

/** The transformer area id of an account, found the way the public area filter finds it (by name). */
async function areaIdOf(number: string): Promise<string> {
  const info = await apiCall<{ transformerAreaName: string }>('query', 'outage.byAccountNumber', { number });
  for (const region of await apiCall<{ id: string }[]>('query', 'outage.areas', undefined)) {
    const nodes = await apiCall<{ id: string; name: string; kind: string }[]>('query', 'outage.areas', { regionId: region.id });
    const hit = nodes.find((n) => n.kind === 'transformer_area' && n.name === info.transformerAreaName);
    if (hit) return hit.id;
  }
  throw new Error(`no area for ${number}`);
}

/** Opens the 报修户号 selector and picks the account by the text of its option (number · holder · area). */
async function chooseAccount(page: Page, number: string) {
  await pickOption(page.getByLabel('报修户号'), new RegExp(`^${number} ·`));
}

test('the repair form tells of a known outage before filing, with its ETR, and links to it', async ({ browser }) => {
  const dispatcher = await staffToken('dispatcher01');
  const areaId = await areaIdOf(PARENTS);
  const { outage } = await apiCall<{ outage: { id: string; outageNo: string } }>(
    'mutation',
    'outage.publish',
    {
      kind: 'fault',
      scope: { feederIds: [], transformerAreaIds: [areaId] },
      startAt: new Date(Date.now() - 60_000).toISOString(),
      etr: new Date(Date.now() + 3 * 3600_000).toISOString(),
      reason: '台区变压器故障抢修',
    },
    dispatcher,
  );
  try {
    const page = await residentPage(browser);
    await page.goto(`${URLS.web}/home`);
    await page.getByRole('link', { name: /故障报修 家中停电/ }).click();
    await expect(page.getByRole('heading', { name: '故障报修' })).toBeVisible();
    await chooseAccount(page, PARENTS);
    const notice = page.getByRole('status').filter({ hasText: '您所在区域正在停电' });
    await expect(notice).toContainText(/预计\d{2}月\d{2}日\d{2}:\d{2}恢复送电/);
    await expect(notice).toContainText('提交的报修将自动并入本次停电抢修，无需重复报修');
    await expect(notice).toContainText(`停电编号 ${outage.outageNo}`);
    // The other account is not in the outage: nothing to tell.
    await chooseAccount(page, HOME);
    await expect(page.getByRole('status').filter({ hasText: '您所在区域正在停电' })).toHaveCount(0);
    await chooseAccount(page, PARENTS);
    await notice.getByRole('link', { name: /查看详情/ }).click();
    await expect(page).toHaveURL(new RegExp(`/outages/${outage.id}$`));
    await expect(page.getByRole('heading', { name: '停电详情' })).toBeVisible();
    await expect(page.getByText('停电中')).toBeVisible();
    await page.context().close();
  } finally {
    await apiCall('mutation', 'outage.restore', { outageId: outage.id }, dispatcher);
  }
});

test("a repair filed with a photo: the customer follows it in plain words — crew, work phone and expected arrival, never the dispatcher's note or a staff deadline — and hears each step in 消息中心", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const page = await residentPage(browser);
  await page.goto(`${URLS.web}/home/repair`);
  await chooseAccount(page, HOME);
  await page.getByText('电压不稳/闪烁', { exact: true }).click();
  await page.getByPlaceholder(/请描述故障现象/).fill('家里灯一直闪，冰箱时开时停');

  // The photo picker is a button; the browser's own file control never shows.
  await expect(page.locator('input[type=file]')).toBeHidden();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: /添加照片/ }).click()]);
  await chooser.setFiles({ name: 'flicker.png', mimeType: 'image/png', buffer: PNG_1PX });
  await expect(page.getByRole('img', { name: '已选照片 1' })).toBeVisible();
  await expect(page.getByRole('button', { name: '删除第 1 张照片' })).toBeVisible();

  await button(page, '提交').click();
  await expect(page).toHaveURL(/\/home\/orders\/[0-9a-f]{24}$/);
  const orderId = page.url().split('/').pop()!;
  const progress = page.getByRole('region', { name: '当前进度' });
  await expect(progress).toContainText('已受理');
  await expect(progress).toContainText('正在为您安排抢修人员');
  for (const staffOnly of [/剩余/, /时限/, /派单给/]) await expect(page.locator('body')).not.toContainText(staffOnly);

  // The dispatcher sends a crew, with a note meant for the crew only.
  const dispatcher = await staffToken('dispatcher01');
  const order = await apiCall<{ regionId: string }>('query', 'workorder.get', { orderId }, dispatcher);
  const [crew] = await apiCall<{ id: string; name: string; available: number }[]>(
    'query',
    'workorder.crews',
    { regionId: order.regionId },
    dispatcher,
  );
  await apiCall('mutation', 'workorder.dispatch', { orderId, crewId: crew.id, notes: '从北门进小区，注意看门狗', overCapacity: true }, dispatcher);

  // The page follows by itself: 抢修人员已出发, the crew and its work phone, when they are expected.
  await expect(progress).toContainText('抢修人员已出发', { timeout: 15_000 });
  await expect(progress).toContainText(crew.name);
  await expect(progress.getByRole('link', { name: /^0731-\d{8}$/ })).toBeVisible();
  await expect(progress).toContainText(/预计到达现场\s*[:：]?\s*\d{2}月\d{2}日 \d{2}:\d{2}/);
  await expect(page.getByText(`由${crew.name}负责抢修`)).toBeVisible();
  await expect(page.getByText('已安排抢修班组')).toBeVisible();
  for (const staffOnly of [/北门/, /看门狗/, /剩余/, /时限/, /内部/]) await expect(page.locator('body')).not.toContainText(staffOnly);

  // 我的工单 says the same in the list.
  await page.goto(`${URLS.web}/home/orders`);
  const row = page
    .getByRole('link', { name: /故障报修/ })
    .filter({ hasText: '抢修人员已出发' })
    .first();
  await expect(row).toContainText(crew.name);
  await expect(row).toContainText('预计到达现场');

  // 消息中心: 报修已受理, then 已安排抢修人员 with the crew and its work phone, each leading to the order.
  await page.goto(`${URLS.web}/home/messages`);
  const sent = page.getByRole('listitem').filter({ hasText: '已安排抢修人员' }).first();
  await expect(sent).toContainText(crew.name);
  await expect(sent).toContainText(/工作电话0731-\d{8}/);
  await expect(sent).not.toContainText('北门');
  await expect(page.getByRole('listitem').filter({ hasText: '报修已受理' }).first()).toBeVisible();
  await sent.getByRole('link', { name: /查看详情/ }).click();
  await expect(page).toHaveURL(new RegExp(`/home/orders/${orderId}$`));
  await page.context().close();
});

test('停电查询 lists a planned outage announced 8 days ahead, and its notice leads to it — not to 暂无停电安排', async ({ browser }) => {
  const page = await residentPage(browser);
  await page.goto(`${URLS.web}/home/outages`);
  const card = page
    .locator('.ant-card')
    .filter({ hasText: `户号 ${PARENTS}` })
    .first();
  await expect(card.getByRole('button', { name: /订阅停电通知|取消订阅/ })).toBeVisible();
  const subscribe = card.getByRole('button', { name: /订阅停电通知/ });
  if (await subscribe.isVisible()) await subscribe.click();
  await expect(card.getByRole('button', { name: /取消订阅/ })).toBeVisible();

  const dispatcher = await staffToken('dispatcher01');
  const start = new Date(Date.now() + 8 * 86_400_000);
  const { outage } = await apiCall<{ outage: { id: string; outageNo: string } }>(
    'mutation',
    'outage.publish',
    {
      kind: 'planned',
      scope: { feederIds: [], transformerAreaIds: [await areaIdOf(PARENTS)] },
      startAt: start.toISOString(),
      etr: new Date(start.getTime() + 4 * 3600_000).toISOString(),
      reason: '10kV线路计划检修',
    },
    dispatcher,
  );
  try {
    await page.reload();
    const planned = card.locator('.ant-card').filter({ hasText: `停电编号 ${outage.outageNo}` });
    await expect(planned.getByText('即将停电')).toBeVisible();
    await expect(planned).toContainText('10kV线路计划检修');

    await page.goto(`${URLS.web}/home/messages`);
    const notice = page.getByRole('listitem').filter({ hasText: '计划停电通知' }).filter({ hasText: '10kV线路计划检修' });
    await expect(notice).toHaveCount(1);
    await notice.getByRole('link', { name: /查看详情/ }).click();
    await expect(page).toHaveURL(new RegExp(`/outages/${outage.id}$`));
    await expect(page.getByRole('heading', { name: '停电详情' })).toBeVisible();
    await expect(page.getByText(`停电编号 ${outage.outageNo}`)).toBeVisible();
    await expect(page.getByText('即将停电')).toBeVisible();
    await expect(page.locator('body')).not.toContainText('暂无停电');
  } finally {
    await apiCall('mutation', 'outage.cancel', { outageId: outage.id, reason: '测试结束，取消计划' }, dispatcher);
  }
  await page.context().close();
});
