import { expect, type Browser, type Page } from '@playwright/test';
import { DEMO, URLS, apiCall, staffLogin, test } from './env';

/**
 * Versioned settings as admin01 uses them, found by what the screen says: the 系统管理 landing links every admin
 * screen; an SLA rule (urban arrival time) changed on screen is followed by a NEW order while an order created
 * before keeps its own rule, even when its arrival deadline is computed after the change; the history shows the
 * version, who and why, its before/after, and a rollback (with a confirmation) restores the earlier value.
 * Invalid values are refused in Chinese (in the form, and by the API), and agent01 cannot reach the screens.
 * Restores the SLA rules at the end (rollback), so later specs run against the defaults.
 */
const SHOTS = process.env.E2E_SHOTS_DIR ?? '/tmp/e2e-shots';
const CALLER = { phone: '13900000001', number: '3101000000001' };
const CREW01_CREW = '岳麓区抢修1班';
const URBAN_ARRIVAL = '到达现场时限（城区）（分钟）';

test.describe.configure({ mode: 'serial' });

async function token(username: string): Promise<string> {
  return (await apiCall<{ accessToken: string }>('mutation', 'auth.passwordLogin', { username, password: DEMO.password })).accessToken;
}

async function open(browser: Browser, username: string, to: string): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await staffLogin(page, username, to);
  return page;
}

/** No raw ids, no ISO timestamps, no English enum words on screen. */
async function expectTidyText(page: Page) {
  const text = await page.locator('.ant-layout-content').first().innerText();
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  expect(text).not.toMatch(/\b[0-9a-f]{24}\b/);
  expect(text).not.toMatch(/\b(undefined|null|NaN|in_force|scheduled|superseded|sla|calendar|tariffs|late_fees|cluster|urban|rural)\b/);
  expect(text).not.toMatch(/1970-01-01/);
}

type Customer = { id: string; accounts: { id: string; number: string }[] };
async function fileFault(agentT: string, description: string) {
  const r = await apiCall<{ customers: Customer[] }>('query', 'staff.findCustomer', { phone: CALLER.phone }, agentT);
  const account = r.customers.flatMap((c) => c.accounts).find((a) => a.number === CALLER.number)!;
  return apiCall<{ id: string; orderNo: string; areaType: string }>(
    'mutation',
    'workorder.createForCaller',
    { type: 'fault_repair', accountId: account.id, faultKind: 'meter_problem', description, contactPhone: CALLER.phone },
    agentT,
  );
}

test('the 系统管理 landing links every admin screen', async ({ browser }) => {
  const page = await open(browser, 'admin01', '/staff/admin');
  await expect(page.getByRole('heading', { name: '系统管理' })).toBeVisible();
  for (const [name, href] of [
    ['SLA 规则与节假日', '/staff/admin/settings/sla'],
    ['电价与违约金', '/staff/admin/settings/tariffs'],
    ['聚类阈值', '/staff/admin/settings/cluster'],
    ['人员与角色', '/staff/admin/staff'],
    ['区域与班组', '/staff/admin/crews'],
    ['电网拓扑', '/staff/admin/grid'],
  ]) {
    await expect(page.getByRole('link', { name })).toHaveAttribute('href', href);
  }
  await expect(page.getByText(/SLA 时限规则 · 生效中：第\d+版/)).toBeVisible();
  await expectTidyText(page);
  await page.screenshot({ path: `${SHOTS}/admin-landing.png`, fullPage: true });
  await page.getByRole('link', { name: '电价与违约金' }).click();
  await expect(page.getByRole('heading', { name: '电价与违约金' })).toBeVisible();
  await expect(page.getByLabel('第1档电价（元/千瓦时）')).toHaveValue('0.5469');
  await expect(page.getByRole('row', { name: /^第1版/ })).toBeVisible();
  await expectTidyText(page);
  await page.screenshot({ path: `${SHOTS}/admin-tariffs.png`, fullPage: true });
  await page.goto(`${URLS.web}/staff/admin/settings/cluster`);
  await expect(page.getByLabel('台区报修阈值（起）')).toHaveValue('3');
  await expect(page.getByRole('row', { name: /^第1版/ })).toBeVisible();
  await expectTidyText(page);
  await page.screenshot({ path: `${SHOTS}/admin-cluster.png`, fullPage: true });
});

test('an SLA rule changed on screen: a new order follows it, an older order keeps its own; history, before/after and rollback', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const [agentT, dispatcherT] = await Promise.all([token('agent01'), token('dispatcher01')]);
  const before = await fileFault(agentT, '电表屏幕不亮，改规则前报修');
  expect(before.areaType).toBe('urban');
  const startVersion = (await apiCall<{ version: number }>('query', 'settings.current', { kind: 'sla' }, await token('admin01'))).version;

  const page = await open(browser, 'admin01', '/staff/admin');
  await page.getByRole('link', { name: 'SLA 规则与节假日' }).click();
  await expect(page.getByRole('heading', { name: 'SLA 规则与节假日' })).toBeVisible();
  const arrival = page.getByLabel(URBAN_ARRIVAL);
  await expect(arrival).toHaveValue('45');

  // Refused in the form, in Chinese, before anything is sent.
  await arrival.fill('0');
  await page.getByLabel('变更说明').fill('缩短城区到达现场时限');
  await page.getByRole('button', { name: /^发\s*布$/ }).click();
  await expect(page.getByText('到达现场时限（城区）须为1到1440分钟之间的整数')).toBeVisible();
  // Refused by the API (urban must not exceed rural), its message shown on the form.
  await arrival.fill('100');
  await page.getByRole('button', { name: /^发\s*布$/ }).click();
  await expect(page.getByRole('alert').filter({ hasText: '到达现场时限须满足 城区 ≤ 农村 ≤ 偏远地区' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/admin-sla-refused.png`, fullPage: true });

  // Published: urban arrival 45 → 20 minutes, in force now.
  await arrival.fill('20');
  await page.getByRole('button', { name: /^发\s*布$/ }).click();
  const v2 = startVersion + 1;
  await expect(page.getByText(`已发布第${v2}版`)).toBeVisible();
  await expect(page.getByText(new RegExp(`当前生效：第${v2}版`)).first()).toBeVisible();
  // Only the active tab (SLA rules) is on screen: its history is the one table with version rows.
  const history = page.locator('.ant-layout-content');
  const row2 = history.getByRole('row', { name: new RegExp(`^第${v2}版`) });
  await expect(row2).toContainText('生效中');
  await expect(row2).toContainText('系统管理员');
  await expect(row2).toContainText('缩短城区到达现场时限');
  await expect(row2).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  await expect(history.getByRole('row', { name: /^第1版/ })).toContainText('已被替代');

  // Its before/after.
  await row2.getByRole('button', { name: '查看变更' }).click();
  const changes = page.getByRole('dialog', { name: `SLA 时限规则 · 第${v2}版的变更` });
  await expect(changes.getByRole('row', { name: /到达现场时限（城区）\s*45分钟\s*20分钟/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/admin-sla-changes.png` });
  await changes.getByRole('button', { name: /关闭|Close/ }).click();
  await expect(changes).toBeHidden();
  await expectTidyText(page);
  await page.screenshot({ path: `${SHOTS}/admin-sla.png`, fullPage: true });

  // A new order follows v2; the older one keeps its own version, also for the arrival deadline computed now.
  const after = await fileFault(agentT, '电表屏幕不亮，改规则后报修');
  const crews = await apiCall<{ id: string; name: string }[]>('query', 'workorder.crews', undefined, dispatcherT);
  const crewId = crews.find((c) => c.name === CREW01_CREW)!.id;
  for (const o of [before, after]) await apiCall('mutation', 'workorder.dispatch', { orderId: o.id, crewId, overCapacity: true }, dispatcherT);
  const crew = await open(browser, 'crew01', '/staff/crew');
  await expect(crew.getByTestId(`crew-countdown-${after.orderNo}`)).toHaveText(/到达现场时限 · 剩余 1\d:\d\d/);
  await expect(crew.getByTestId(`crew-countdown-${before.orderNo}`)).toHaveText(/到达现场时限 · 剩余 4[0-4]:\d\d/);
  await crew.getByTestId(`crew-order-${after.orderNo}`).scrollIntoViewIfNeeded();
  await crew.screenshot({ path: `${SHOTS}/admin-sla-crew-deadlines.png`, fullPage: true });

  // Roll back to version 1, with a confirmation: a new version with the old value, in force at once.
  await history
    .getByRole('row', { name: /^第1版/ })
    .getByRole('button', { name: '回滚到此版本' })
    .click();
  const confirm = page.getByRole('dialog', { name: '回滚到第1版' });
  await expect(confirm.getByText(`将以第1版的内容发布为新的第${v2 + 1}版，立即生效。`)).toBeVisible();
  await confirm.getByRole('button', { name: '确认回滚' }).click();
  await expect(page.getByText(`已回滚到第1版的内容（新版本：第${v2 + 1}版）`)).toBeVisible();
  const row3 = history.getByRole('row', { name: new RegExp(`^第${v2 + 1}版`) });
  await expect(row3).toContainText('回滚自第1版');
  await expect(row3).toContainText('生效中');
  await expect(page.getByLabel(URBAN_ARRIVAL)).toHaveValue('45');
  await page.screenshot({ path: `${SHOTS}/admin-sla-rolled-back.png`, fullPage: true });

  // A new order after the rollback runs against 45 minutes again.
  const third = await fileFault(agentT, '电表屏幕不亮，回滚后报修');
  await apiCall('mutation', 'workorder.dispatch', { orderId: third.id, crewId, overCapacity: true }, dispatcherT);
  await crew.reload();
  await expect(crew.getByTestId(`crew-countdown-${third.orderNo}`)).toHaveText(/到达现场时限 · 剩余 4[0-4]:\d\d/);
  await expect(crew.getByTestId(`crew-countdown-${after.orderNo}`)).toHaveText(/到达现场时限 · 剩余 1\d:\d\d/);

  // Leave crew01's crew as other specs expect it.
  for (const o of [before, after, third]) {
    await apiCall(
      'mutation',
      'workorder.close',
      { orderId: o.id, reasonCode: 'customer_internal_fault', notes: '测试工单，按客户内部故障办结' },
      dispatcherT,
    ).catch(() => undefined);
  }
});

test('the holiday calendar: a date added on screen is published as a new version; a weekday is refused as a makeup workday', async ({ browser }) => {
  const page = await open(browser, 'admin01', '/staff/admin/settings/sla');
  await page.getByRole('tab', { name: '节假日日历' }).click();
  await expect(page.getByText('2027-10-07', { exact: true })).toBeVisible();
  await page.getByLabel('选择调休上班日').click();
  await page.getByLabel('选择调休上班日').fill('2027-02-03');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: '添加调休上班日' }).click();
  await expect(page.getByText('调休上班日须为周六或周日')).toBeVisible();

  // A holiday added on screen and published: a new calendar version, its before/after says which day.
  const start = (await apiCall<{ version: number }>('query', 'settings.current', { kind: 'calendar' }, await token('admin01'))).version;
  await page.getByLabel('选择节假日').click();
  await page.getByLabel('选择节假日').fill('2027-06-11');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: '添加节假日' }).click();
  await expect(page.getByText('2027-06-11', { exact: true })).toBeVisible();
  // Each tab keeps its own form (an edit survives a tab switch): act inside the calendar's tab.
  const panel = page.getByRole('tabpanel', { name: '节假日日历' });
  await panel.getByLabel('变更说明').fill('端午节调休安排');
  await panel.getByRole('button', { name: /^发\s*布$/ }).click();
  await expect(page.getByText(`已发布第${start + 1}版`)).toBeVisible();
  const row = page.getByRole('row', { name: new RegExp(`^第${start + 1}版`) });
  await expect(row).toContainText('端午节调休安排');
  await row.getByRole('button', { name: '查看变更' }).click();
  const changes = page.getByRole('dialog', { name: `工作日历（节假日） · 第${start + 1}版的变更` });
  await expect(changes.getByRole('row', { name: /节假日\s*—\s*2027-06-11/ })).toBeVisible();
  await expectTidyText(page);
  await page.screenshot({ path: `${SHOTS}/admin-calendar.png`, fullPage: true });
  await changes.getByRole('button', { name: /关闭|Close/ }).click();
  // Back to the calendar other specs run against.
  await page
    .getByRole('row', { name: /^第1版/ })
    .getByRole('button', { name: '回滚到此版本' })
    .click();
  await page.getByRole('dialog', { name: '回滚到第1版' }).getByRole('button', { name: '确认回滚' }).click();
  await expect(page.getByText(`已回滚到第1版的内容（新版本：第${start + 2}版）`)).toBeVisible();
  await expect(page.getByText('2027-06-11', { exact: true })).toHaveCount(0);
});

test('agent01 cannot reach the settings screens, nor change a setting through the API', async ({ browser }) => {
  const page = await open(browser, 'agent01', '/staff/queue');
  await expect(page.getByRole('link', { name: '系统管理' })).toHaveCount(0);
  await page.goto(`${URLS.web}/staff/admin/settings/sla`);
  await expect(page.getByTestId('forbidden')).toBeVisible();
  await expect(page.getByLabel(URBAN_ARRIVAL)).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/admin-settings-agent-forbidden.png` });
  await expect(
    apiCall(
      'mutation',
      'settings.publish',
      { kind: 'cluster', value: { areaThreshold: 2, windowMs: 600000, feederMinAreas: 2, feederSharePct: 2, baselineDays: 28 } },
      await token('agent01'),
    ),
  ).rejects.toThrow('无权执行此操作');
});

test('supervisor01 reads the settings (read-only) but not the people, crews and grid screens', async ({ browser }) => {
  const page = await open(browser, 'supervisor01', '/staff/queue');
  await page.getByRole('link', { name: '系统管理' }).click();
  await expect(page.getByRole('heading', { name: '系统管理' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'SLA 规则与节假日' })).toBeVisible();
  await expect(page.getByRole('link', { name: '人员与角色' })).toHaveCount(0);
  await page.getByRole('link', { name: 'SLA 规则与节假日' }).click();
  await expect(page.getByText('您可以查看设置和历史版本；修改需系统管理员权限。')).toBeVisible();
  await page.goto(`${URLS.web}/staff/admin/staff`);
  await expect(page.getByTestId('forbidden')).toBeVisible();
});
