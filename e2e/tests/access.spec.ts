import { expect, type Page } from '@playwright/test';
import { apiCall, DEMO, latestSmsCode, residentSmsLogin, staffLogin, URLS, test } from './env';

/**
 * Who may see what (SPEC §6a), the way two people sharing one account and a repair crew meet it:
 * the demo resident binds 张建国's account by name and reports a fault with a photo; a second resident
 * binds the same account by name only — bills yes, the first one's order no — then becomes 户主 with
 * the code sent to the phone on file, and still does not see it. A crew opens its assigned order and
 * gets the street address and a number to call; an order of another crew is not found.
 */

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const SECOND_RESIDENT = '13700000123';
const HOLDER_PHONE = '13900000001';
const NOT_FOUND = '工单不存在或无权访问';

async function bindByName(page: Page, relation: '本人' | '家属') {
  await page.goto(`${URLS.web}/home/bind`);
  await page.getByPlaceholder('请输入 13 位户号').fill(DEMO.bindable.number);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByText(DEMO.bindable.masked)).toBeVisible();
  await page.getByPlaceholder('请输入完整户名').fill(DEMO.bindable.holderName);
  await page.getByText(relation, { exact: true }).first().click();
  await page.getByRole('button', { name: '确认绑定' }).click();
  await expect(page).toHaveURL(/\/home$/);
}

const accountCard = (page: Page) => page.locator('.ps-account-card').filter({ hasText: DEMO.bindable.number });

test("a second resident on the same account sees its bills but never the first one's order, not even as 户主", async ({ page, browser }) => {
  test.setTimeout(180_000);

  // The first resident binds by name and reports a fault with a photo.
  await residentSmsLogin(page);
  if ((await accountCard(page).count()) === 0) await bindByName(page, '本人');
  await page.goto(`${URLS.web}/home/repair`);
  await page.getByLabel('报修户号').click();
  await page.getByText(new RegExp(`^${DEMO.bindable.number} · `)).click();
  await page.getByText('整户停电', { exact: true }).click();
  await page.getByPlaceholder(/请描述故障现象/).fill('整个屋子都没电了，邻居家有电，空开没有跳');
  await page.locator('input[type=file]').setInputFiles({ name: 'meter.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByRole('button', { name: /^提\s*交$/ })).toBeEnabled();
  await page.getByRole('button', { name: /^提\s*交$/ }).click();
  await page.waitForURL(/\/home\/orders\/[0-9a-f]{24}$/);
  const orderId = page.url().split('/').pop()!;
  await expect(page.getByText('整个屋子都没电了，邻居家有电，空开没有跳')).toBeVisible();

  // The second resident binds the same account by name only: they follow it.
  const other = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const second = await other.newPage();
  await residentSmsLogin(second, SECOND_RESIDENT);
  await bindByName(second, '家属');
  const card = accountCard(second);
  await expect(card.getByText('户名关注')).toBeVisible();
  await card.getByRole('link', { name: /账单/ }).click();
  await expect(second.getByText('账单列表')).toBeVisible();
  await expect(
    second
      .getByRole('row')
      .filter({ hasText: /\d{4}年\d{1,2}月/ })
      .first(),
  ).toBeVisible();

  // Not the first one's order: not in their list, and not by its address.
  await second.goto(`${URLS.web}/home/orders`);
  await expect(second.getByText('整个屋子都没电了')).toHaveCount(0);
  await second.goto(`${URLS.web}/home/orders/${orderId}`);
  await expect(second.getByText(NOT_FOUND)).toBeVisible();

  // 户主 with the code sent to the phone on file: possible, and still not the other's order.
  await second.goto(`${URLS.web}/home`);
  await accountCard(second).getByRole('link', { name: '升级为户主' }).click();
  await expect(second.getByText('升级为户主').first()).toBeVisible();
  const sentAfter = Date.now() - 1000;
  await second.getByRole('button', { name: '发送验证码到预留手机' }).click();
  await expect(second.getByText(/验证码已发送至 139\*\*\*\*0001/)).toBeVisible();
  await second.getByPlaceholder(/验证码/).fill(await latestSmsCode(HOLDER_PHONE, sentAfter));
  await second.getByRole('button', { name: '确认绑定' }).click();
  await expect(second.getByText('已验证为户主')).toBeVisible();
  await expect(accountCard(second).getByText('户主', { exact: true })).toBeVisible();
  await second.screenshot({ path: test.info().outputPath('second-resident-holder.png') });
  await second.goto(`${URLS.web}/home/orders/${orderId}`);
  await expect(second.getByText(NOT_FOUND)).toBeVisible();
  await other.close();

  // The dispatcher sends the first one's order to crew01's crew.
  const dispatcherToken = (
    await apiCall<{ accessToken: string }>('mutation', 'auth.passwordLogin', { username: 'dispatcher01', password: DEMO.password })
  ).accessToken;
  const crews = await apiCall<{ id: string; name: string }[]>('query', 'workorder.crews', {}, dispatcherToken);
  const crew = crews.find((c) => c.name === '岳麓区抢修1班')!;
  const order = await apiCall<{ orderNo: string; version: number }>('query', 'workorder.get', { orderId }, dispatcherToken);
  await apiCall('mutation', 'workorder.dispatch', { orderId, version: order.version, crewId: crew.id, overCapacity: true }, dispatcherToken);
  const queue = await apiCall<{ items: { id: string; assignee: { crewId: string | null } }[] }>(
    'query',
    'workorder.queue',
    { limit: 200 },
    dispatcherToken,
  );
  const notOurs = queue.items.find((o) => o.assignee.crewId !== crew.id && o.id !== orderId);

  // crew01 opens it: the street address in full and a number to call.
  const crewContext = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const crewPage = await crewContext.newPage();
  await staffLogin(crewPage, 'crew01', '/staff/crew');
  await crewPage.getByText(order.orderNo).click();
  const drawer = crewPage.getByRole('dialog');
  await expect(drawer.getByText('现场地址')).toBeVisible();
  const address = drawer.locator('tr, .ant-descriptions-row').filter({ hasText: '现场地址' });
  await expect(address).not.toContainText('*');
  await expect(drawer.getByRole('link', { name: /^1\d{10}$/ })).toHaveAttribute('href', /^tel:1\d{10}$/);
  await crewPage.screenshot({ path: test.info().outputPath('crew-drawer.png') });

  // An order that is not theirs is not found, even by its address.
  if (notOurs) {
    await crewPage.goto(`${URLS.web}/staff/crew?order=${notOurs.id}`);
    await expect(crewPage.getByText(NOT_FOUND)).toBeVisible();
  }
  await crewContext.close();
});
