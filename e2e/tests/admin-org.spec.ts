import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import { URLS, pickOption, staffLogin, test } from './env';

/**
 * Organisation and grid administration as admin01 does it, found by what the screen says: a new agent with a
 * one-time password who signs in and is shut out again the moment they are disabled, a crew's capacity (and a
 * refusal in words), a transformer area moved to another feeder in the tree, and agent01 kept out of it all.
 * Uses the last region (浏阳市) so the demo region other specs work in stays as it was.
 */
const SHOTS = process.env.E2E_SHOTS_DIR ?? '/tmp/e2e-shots';
const OK = /^确\s*定$/;
const NEW_USER = { username: `newagent${Date.now() % 100_000}`, name: '钱晓雯' };

test.describe.configure({ mode: 'serial' });

async function open(browser: Browser, username: string, to: string): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 860 } });
  const page = await ctx.newPage();
  await staffLogin(page, username, to);
  return page;
}

/** Chooses an option of the open antd Select by its text (the dropdown's items carry it as their title). */
/** Opens a tree node by clicking its name (a click during the previous node's unfolding may be lost: try again). */
async function expand(tree: Locator, name: string) {
  const item = tree.getByRole('treeitem').filter({ has: tree.page().getByText(name, { exact: true }) });
  await expect(async () => {
    if ((await item.getAttribute('aria-expanded')) !== 'true') await item.getByText(name, { exact: true }).click();
    await expect(item).toHaveAttribute('aria-expanded', 'true', { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

/** No raw ids, no ISO timestamps, no English words on screen. */
async function expectTidyText(page: Page) {
  const text = await page.locator('main, .ant-layout-content').first().innerText();
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  expect(text).not.toMatch(/\b[0-9a-f]{24}\b/);
  expect(text).not.toMatch(/\b(undefined|null|NaN|admin|agent|crew|supervisor|transformer_area|feeder)\b/);
}

test('admin01 creates an agent who signs in with the one-time password; disabling them refuses their open session', async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await open(browser, 'admin01', '/staff/admin/staff');
  await expect(admin.getByRole('heading', { name: '人员与角色' })).toBeVisible();
  await expect(admin.getByRole('row', { name: /agent01.*周晓燕.*坐席/ })).toBeVisible();

  await admin.getByRole('button', { name: '新建人员' }).click();
  const form = admin.getByRole('dialog', { name: '新建人员' });
  await form.getByLabel('用户名').fill(NEW_USER.username);
  await form.getByLabel('姓名').fill(NEW_USER.name);
  await form.getByLabel('手机号（选填）').fill('13912345678');
  await form.getByRole('checkbox', { name: '坐席' }).check();
  await pickOption(form.getByRole('combobox', { name: '所属区域' }), '岳麓区供电所');
  await form.getByRole('button', { name: OK }).click();

  const shown = admin.getByRole('dialog', { name: '初始密码（仅显示一次）' });
  await expect(shown).toBeVisible();
  await expect(shown.getByText(`${NEW_USER.name}（用户名 ${NEW_USER.username}）的初始密码：`)).toBeVisible();
  const password = (await shown.getByTestId('initial-password').innerText()).trim();
  expect(password).toMatch(/^[A-Za-z2-9]{12}$/);
  await admin.screenshot({ path: `${SHOTS}/org-admin-staff-password.png` });
  await shown.getByRole('button', { name: '我已记下' }).click();
  // Forty agents work the year of history: the admin finds the new one by name, as a person would.
  await admin.getByPlaceholder('搜索用户名或姓名').fill(NEW_USER.username);
  await admin.getByPlaceholder('搜索用户名或姓名').press('Enter');
  const row = admin.getByRole('row', { name: new RegExp(NEW_USER.username) });
  await expect(row).toContainText('139****5678');
  await expect(row).toContainText('坐席');
  await expect(row).toContainText('岳麓区供电所');
  await expect(row).toContainText('从未登录');
  await expect(row).not.toContainText('13912345678');

  // The same username again: refused in words, the dialog stays open.
  await admin.getByRole('button', { name: '新建人员' }).click();
  await form.getByLabel('用户名').fill(NEW_USER.username);
  await form.getByLabel('姓名').fill('重名者');
  await form.getByRole('checkbox', { name: '坐席' }).check();
  await form.getByRole('button', { name: OK }).click();
  await expect(admin.getByText(`用户名“${NEW_USER.username}”已被使用`)).toBeVisible();
  await form.getByRole('button', { name: /^取\s*消$/ }).click();
  await expect(form).toBeHidden();

  // The new agent signs in with the password they were given and reaches the queue.
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 800 } });
  const agent = await ctx.newPage();
  await agent.goto(`${URLS.web}/staff/login?next=${encodeURIComponent('/staff/queue')}`);
  await agent.getByPlaceholder('请输入用户名').fill(NEW_USER.username);
  await agent.getByPlaceholder('请输入密码').fill(password);
  await agent.getByRole('button', { name: /^登\s*录$/ }).click();
  await expect(agent).toHaveURL(/\/staff\/queue$/);
  await expect(agent.getByText(NEW_USER.name)).toBeVisible();
  await expect(agent.getByRole('link', { name: '工单队列' })).toBeVisible();

  // admin01 disables them; their next action finds the session gone and lands on the login page.
  await expect(row).toContainText('在用');
  await row.getByRole('button', { name: /^停\s*用$/ }).click();
  await expect(admin.getByText(`确认停用“${NEW_USER.name}”？其已登录的会话将立即失效。`)).toBeVisible();
  await admin.getByRole('button', { name: OK }).click();
  await expect(admin.getByText('已停用，该人员的登录已失效')).toBeVisible();
  await expect(admin.getByRole('row', { name: new RegExp(NEW_USER.username) })).toBeHidden();
  await admin.getByRole('switch', { name: '显示已停用' }).click();
  await expect(admin.getByRole('row', { name: new RegExp(NEW_USER.username) })).toContainText('已停用');
  await expectTidyText(admin);

  await agent.getByRole('link', { name: '来电弹屏' }).click();
  await agent.getByPlaceholder('请输入来电手机号').fill('13900000001');
  await agent.getByRole('button', { name: /^查\s*询$/ }).click();
  await expect(agent).toHaveURL(/\/staff\/login/, { timeout: 15_000 });
  // And the password no longer opens the door.
  await agent.getByPlaceholder('请输入用户名').fill(NEW_USER.username);
  await agent.getByPlaceholder('请输入密码').fill(password);
  await agent.getByRole('button', { name: /^登\s*录$/ }).click();
  await expect(agent.getByText('账号已停用，请联系管理员')).toBeVisible();
  await ctx.close();
  await admin.context().close();
});

test("admin01 changes a crew's capacity; an out-of-range capacity is refused in Chinese", async ({ browser }) => {
  const admin = await open(browser, 'admin01', '/staff/admin/crews');
  await expect(admin.getByRole('heading', { name: '区域与班组' })).toBeVisible();
  await expect(admin.getByRole('row', { name: /岳麓区供电所\s*城区\s*3\s*75/ })).toBeVisible();
  const row = admin.getByRole('row', { name: /浏阳市抢修2班/ });
  await expect(row).toContainText('浏阳市供电所');
  await expect(row).toContainText('0 / 6');
  await row.getByRole('button', { name: /^编\s*辑$/ }).click();
  const form = admin.getByRole('dialog', { name: '编辑班组 · 浏阳市抢修2班' });
  await form.getByLabel('容量（在途工单数）').fill('60');
  await form.getByRole('button', { name: OK }).click();
  await expect(form.getByText('班组容量须为1–50之间的整数')).toBeVisible();
  await form.getByLabel('容量（在途工单数）').fill('9');
  await form.getByRole('button', { name: OK }).click();
  await expect(form).toBeHidden();
  await expect(admin.getByText('已保存')).toBeVisible();
  await expect(row).toContainText('0 / 9');
  await admin.screenshot({ path: `${SHOTS}/org-admin-crews.png`, fullPage: true });
  await expectTidyText(admin);
  await admin.context().close();
});

test('admin01 moves a transformer area to another feeder in the tree and finds it under the new feeder', async ({ browser }) => {
  test.setTimeout(90_000);
  const admin = await open(browser, 'admin01', '/staff/admin/grid');
  await expect(admin.getByRole('heading', { name: '电网拓扑' })).toBeVisible();
  const tree = admin.getByRole('tree');
  for (const name of ['浏阳市供电所', '浏阳北110kV变电站', '10kV浏阳北5五线']) await expand(tree, name);
  const area = tree.getByText(/^浏阳.+355号台区$/);
  const areaName = (await area.innerText()).trim();
  await area.click();
  const panel = admin.locator('.ant-card').filter({ has: admin.getByRole('button', { name: '移到其他线路' }) });
  await expect(panel.getByText('浏阳市供电所 / 浏阳北110kV变电站 / 10kV浏阳北5五线')).toBeVisible();
  const accounts = (await panel.getByText(/^\d+户$/).innerText()).trim();
  await admin.screenshot({ path: `${SHOTS}/org-admin-grid-before.png`, fullPage: true });

  await panel.getByRole('button', { name: '移到其他线路' }).click();
  const form = admin.getByRole('dialog', { name: `移动台区 · ${areaName}` });
  await expect(form.getByText('10kV浏阳北5五线')).toBeVisible();
  // Fifteen feeders do not fit the list: type to narrow it, as a person would.
  await pickOption(form.getByRole('combobox', { name: '目标线路' }), '10kV浏阳北4四线', '浏阳北4');
  await expect(form).toContainText('10kV浏阳北4四线');
  await form.getByRole('button', { name: '确认移动' }).click();
  const confirm = admin.getByRole('dialog', { name: '确认移动台区' });
  await expect(
    confirm.getByText(
      `确认将台区“${areaName}”从“10kV浏阳北5五线”移到“10kV浏阳北4四线”？该台区下 ${accounts.replace('户', '')} 个户号的所属线路将随之变更。`,
    ),
  ).toBeVisible();
  await confirm.getByRole('button', { name: '确认移动' }).click();
  await expect(admin.getByText(`台区“${areaName}”已移到“10kV浏阳北4四线”`)).toBeVisible();

  // Under the new feeder now: its path says so, and the tree lists it right after that feeder's own areas.
  await expect(panel.getByText('浏阳市供电所 / 浏阳北110kV变电站 / 10kV浏阳北4四线')).toBeVisible();
  const items = await tree.getByRole('treeitem').allInnerTexts();
  const at = items.findIndex((t) => t.includes(areaName));
  const newFeeder = items.findIndex((t) => t.includes('10kV浏阳北4四线'));
  const oldFeeder = items.findIndex((t) => t.includes('10kV浏阳北5五线'));
  expect(newFeeder).toBeGreaterThanOrEqual(0);
  expect(at).toBeGreaterThan(newFeeder);
  expect(at).toBeLessThan(oldFeeder);
  await admin.screenshot({ path: `${SHOTS}/org-admin-grid-after.png`, fullPage: true });
  await expectTidyText(admin);
  await admin.context().close();
});

test('agent01 cannot reach the admin pages', async ({ browser }) => {
  const agent = await open(browser, 'agent01', '/staff/queue');
  await expect(agent.getByRole('link', { name: '系统管理' })).toHaveCount(0);
  for (const path of ['/staff/admin/staff', '/staff/admin/crews', '/staff/admin/grid']) {
    await agent.goto(`${URLS.web}${path}`);
    await expect(agent.getByText('无权访问')).toBeVisible();
    await expect(agent.getByText('人员与角色')).toHaveCount(0);
  }
  await agent.context().close();
});
