import { expect, type Browser, type Page } from '@playwright/test';
import { DEMO, URLS, apiCall, pickOption, staffLogin, test } from './env';

/**
 * The staff console as its people use it, found by what the screen says: the crew's page on a phone held in one
 * hand (address, a call button, pause and reason-code closes), the queue at 1280 px, screen-pop by customer with
 * the caller's orders, outages and last contacts, attaching a repeat call, and assigning by name with load.
 */
const CALLER = { phone: '13900000001', number: '3101000000001' };
const CREW01_CREW = '岳麓区抢修1班';
const SHOTS = process.env.E2E_SHOTS_DIR ?? '/tmp/e2e-shots';
const OK = /^确\s*定$/;

test.describe.configure({ mode: 'serial' });

async function token(username: string): Promise<string> {
  const r = await apiCall<{ accessToken: string }>('mutation', 'auth.passwordLogin', { username, password: DEMO.password });
  return r.accessToken;
}

type Customer = { id: string; accounts: { id: string; number: string; transformerAreaName: string }[] };
async function callerAccount(agentToken: string) {
  const r = await apiCall<{ customers: Customer[] }>('query', 'staff.findCustomer', { phone: CALLER.phone }, agentToken);
  const c = r.customers.find((x) => x.accounts.some((a) => a.number === CALLER.number))!;
  return { customerId: c.id, account: c.accounts.find((a) => a.number === CALLER.number)! };
}

async function open(browser: Browser, username: string, to: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport });
  const page = await ctx.newPage();
  await staffLogin(page, username, to);
  return page;
}

/** No ISO timestamp (2026-12-01T18:59:22.351Z) and no "NEW" anywhere on the page: one date format, Chinese. */
async function expectTidyText(page: Page) {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  expect(text).not.toMatch(/\bNEW\b/);
}

test("crew01's page on a phone: the address and a call button on the card, pause shown on the countdown, a reason-code close", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const [agentT, dispatcherT] = await Promise.all([token('agent01'), token('dispatcher01')]);
  const { account } = await callerAccount(agentT);
  const order = await apiCall<{ id: string; orderNo: string; version: number }>(
    'mutation',
    'workorder.createForCaller',
    { type: 'fault_repair', accountId: account.id, faultKind: 'flicker', description: '家里灯一直闪，电压忽高忽低', contactPhone: CALLER.phone },
    agentT,
  );
  const crews = await apiCall<{ id: string; name: string }[]>('query', 'workorder.crews', undefined, dispatcherT);
  await apiCall(
    'mutation',
    'workorder.dispatch',
    { orderId: order.id, crewId: crews.find((c) => c.name === CREW01_CREW)!.id, overCapacity: true },
    dispatcherT,
  );

  const page = await open(browser, 'crew01', '/staff/crew', { width: 390, height: 844 });
  const card = page.getByTestId(`crew-order-${order.orderNo}`);
  await expect(card.getByText('已派单', { exact: true })).toBeVisible();
  // Where to go and whom to call, on the card itself.
  await expect(card.getByText(/长沙市.+/).first()).toBeVisible();
  const call = card.getByRole('link', { name: new RegExp(`拨打电话 ${CALLER.phone}`) });
  await expect(call).toHaveAttribute('href', `tel:${CALLER.phone}`);
  await expect(card.getByText('地址和电话仅向派单班组显示，查看留痕')).toBeVisible();
  // Made for 390 px: nothing runs off the side of the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/crew-390.png`, fullPage: true });

  // Waiting for the customer: pause, and the countdown says the clock stands still.
  await card.getByRole('button', { name: '挂起等待客户' }).click();
  const pause = page.getByRole('dialog');
  // The form is mounted (and the dialog done opening) before OK is pressed on an empty note.
  await expect(pause.getByLabel('挂起说明')).toBeVisible();
  await expect(pause.getByRole('button', { name: OK })).toBeEnabled();
  await pause.getByRole('button', { name: OK }).click();
  await expect(pause.getByText('请填写挂起说明')).toBeVisible();
  await pause.getByLabel('挂起说明').fill('客户不在家，约定下午三点上门');
  await pause.getByRole('button', { name: OK }).click();
  await expect(pause).toBeHidden();
  await expect(card.getByText(/已挂起（计时暂停）/)).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/crew-390-paused.png`, fullPage: true });
  await card.getByRole('button', { name: '恢复处理' }).click();
  await expect(card.getByText(/剩余/)).toBeVisible();

  // On site the fault is behind the meter: close with the reason, the customer is told to call an electrician.
  await card.getByRole('button', { name: '按原因办结' }).click();
  const close = page.getByRole('dialog');
  await close.getByText('客户内部故障').click();
  await expect(close.getByText(/建议客户联系专业电工处理/)).toBeVisible();
  await close.getByLabel('给客户的说明').fill('户内空调回路短路导致电压波动，请联系电工检修');
  await close.getByRole('button', { name: OK }).click();
  await expect(card).toHaveCount(0);
  // The order shows the reason on the desk's drawer.
  const d = await apiCall<{ status: string; reasonCode: string }>('query', 'workorder.get', { orderId: order.id }, agentT);
  expect(d).toMatchObject({ status: 'closed', reasonCode: 'customer_internal_fault' });
  await expectTidyText(page);
});

test('the queue fits 1280 px without a sideways scroll; dates in one format; the admin header names the person once', async ({ browser }) => {
  const agentT = await token('agent01');
  const { account } = await callerAccount(agentT);
  const o = await apiCall<{ orderNo: string }>(
    'mutation',
    'workorder.createForCaller',
    { type: 'consultation', accountId: account.id, description: '咨询峰谷分时电价的办理条件', contactPhone: CALLER.phone },
    agentT,
  );
  const page = await open(browser, 'agent01', '/staff/queue');
  const row = page.getByRole('row').filter({ hasText: o.orderNo });
  await expect(row).toBeVisible();
  await expect(row).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  const table = page.getByRole('table').first();
  const fits = await table.evaluate((el) => el.scrollWidth <= (el.closest('.ant-table-wrapper') as HTMLElement).clientWidth + 1);
  expect(fits, 'every queue column is on screen at 1280 px').toBe(true);
  // The row may sit below older orders (the demo applications): scrolled to, its last column is on screen without a sideways scroll.
  await row.scrollIntoViewIfNeeded();
  await expect(row.getByRole('button', { name: /认\s*领/ })).toBeInViewport();
  await page.screenshot({ path: `${SHOTS}/queue-1280.png` });
  await expectTidyText(page);

  // The drawer offers the pause (waiting for the customer); the pause shows on its countdown and is kept.
  await row.click();
  const drawer = page.getByRole('dialog').filter({ hasText: `工单 ${o.orderNo}` });
  await expect(drawer.getByRole('button', { name: '挂起等待客户' })).toBeVisible();
  await drawer.getByRole('button', { name: '挂起等待客户' }).click();
  const pause = page.getByRole('dialog').filter({ hasText: '挂起工单（等待客户）' });
  await pause.getByLabel('挂起说明').fill('客户需核对家中电器后回电');
  await pause.getByRole('button', { name: OK }).click();
  await expect(drawer.getByText(/等待客户中，.+起计时暂停/)).toBeVisible();
  await expect(drawer.getByText(/已挂起（计时暂停）/)).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/drawer-paused.png` });
  await drawer.getByRole('button', { name: '恢复处理' }).click();
  await expect(drawer.getByText(/挂起记录/)).toBeVisible();

  const admin = await open(browser, 'admin01', '/staff');
  await expect(admin.getByRole('banner').getByText('系统管理员', { exact: true })).toHaveCount(1);

  // Crew loads read "· 1人" (or 暂无成员), never "0人数".
  const dispatcher = await open(browser, 'dispatcher01', '/staff/dispatch');
  await expect(dispatcher.getByText(`${'岳麓区抢修1班'} · 1人`)).toBeVisible();
  await expect(dispatcher.locator('body')).not.toContainText('人数');
  const outages = await open(browser, 'dispatcher01', '/staff/outages');
  await outages.getByLabel('预计恢复送电', { exact: true }).click();
  await expect(outages.getByText('此刻', { exact: true })).toBeVisible();
  await outages.screenshot({ path: `${SHOTS}/outages-picker.png` });
});

test("screen-pop: the caller's orders by customer, outages on their areas, last contacts; a repeat fault call is added to the open order", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const [agentT, dispatcherT] = await Promise.all([token('agent01'), token('dispatcher01')]);
  const { account } = await callerAccount(agentT);
  const fault = await apiCall<{ id: string; orderNo: string }>(
    'mutation',
    'workorder.createForCaller',
    {
      type: 'fault_repair',
      accountId: account.id,
      faultKind: 'meter_problem',
      description: '电表屏幕不亮，无法查看读数',
      contactPhone: CALLER.phone,
    },
    agentT,
  );
  // An upcoming maintenance outage on the caller's transformer area (cancelled again at the end).
  const areas = await apiCall<{ id: string; name: string; kind: string }[]>('query', 'outage.areas', {
    regionId: (await apiCall<{ regionId: string }>('query', 'workorder.get', { orderId: fault.id }, agentT)).regionId,
  });
  const area = areas.find((a) => a.kind === 'transformer_area' && a.name === account.transformerAreaName)!;
  const start = new Date(Date.now() + 6 * 3600_000);
  const outage = await apiCall<{ outage: { id: string; outageNo: string; version: number } }>(
    'mutation',
    'outage.publish',
    {
      kind: 'temporary',
      scope: { feederIds: [], transformerAreaIds: [area.id] },
      startAt: start.toISOString(),
      etr: new Date(start.getTime() + 3 * 3600_000).toISOString(),
      reason: '配电变压器预防性试验',
    },
    dispatcherT,
  );

  try {
    const page = await open(browser, 'agent01', '/staff/screen-pop');
    await page.getByPlaceholder('请输入来电手机号').fill(CALLER.phone);
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await expect(page.getByText('影响该客户的停电')).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: '配电变压器预防性试验' })).toContainText(`涉及户号 ${CALLER.number}`);
    await expect(page.getByRole('tab', { name: /在途（\d+）/ })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: fault.orderNo })).toBeVisible();
    // Last contact in every channel: the phone call just filed is the latest 95598 one.
    const contacts = page.getByTestId('last-contacts').getByText('95598电话', { exact: true }).locator('..');
    await expect(contacts).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} · 故障报修/);
    await page.screenshot({ path: `${SHOTS}/screen-pop.png`, fullPage: true });
    await expectTidyText(page);

    // The caller reports the same fault again: the form says there is an open fault order and offers to add to it.
    await page.getByRole('button', { name: '为来电客户建单' }).click();
    const dialog = page.getByRole('dialog');
    // One account: it is chosen already; with several, the agent picks it.
    if (await dialog.getByText('不关联户号').isVisible()) {
      await dialog.getByLabel('户号').click();
      await page
        .locator('.ant-select-dropdown')
        .getByTitle(new RegExp(`^${CALLER.number}`))
        .click();
    }
    await expect(dialog.getByText(`该户号已有在途故障报修 ${fault.orderNo}`)).toBeVisible();
    await dialog.getByLabel('来电内容').fill('客户再次来电催促，电表仍然不亮');
    await dialog.getByRole('button', { name: '补充到该工单' }).click();
    await expect(page.getByText(`已补充到工单 ${fault.orderNo}`)).toBeVisible();
    const d = await apiCall<{ timeline: { note: string | null }[] }>('query', 'workorder.get', { orderId: fault.id }, agentT);
    expect(d.timeline.some((e) => e.note?.includes('客户再次来电催促'))).toBe(true);
  } finally {
    await apiCall('mutation', 'outage.cancel', { outageId: outage.outage.id, reason: '测试结束，取消检修' }, dispatcherT);
  }
});

test('a supervisor assigns an order by picking an agent by name, with their current load', async ({ browser }) => {
  const agentT = await token('agent01');
  const { account } = await callerAccount(agentT);
  const o = await apiCall<{ id: string; orderNo: string }>(
    'mutation',
    'workorder.createForCaller',
    { type: 'consultation', accountId: account.id, description: '咨询电费发票如何开具', contactPhone: CALLER.phone },
    agentT,
  );
  const page = await open(browser, 'supervisor01', '/staff/queue');
  const row = page.getByRole('row').filter({ hasText: o.orderNo });
  await row.getByRole('button', { name: /指\s*派/ }).click();
  const dialog = page.getByRole('dialog');
  const assignee = dialog.getByLabel('处理人');
  await assignee.click();
  await expect(
    page
      .locator('.ant-select-dropdown')
      .getByText(/在办 \d+ 单/)
      .first(),
  ).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/assign.png` });
  await pickOption(assignee, /在办 \d+ 单/);
  await dialog.getByRole('button', { name: OK }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText('已受理', { exact: true })).toBeVisible();
});
