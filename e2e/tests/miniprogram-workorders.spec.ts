import { expect, test, type Page } from '@playwright/test';
import { DEMO, URLS, fillH5 as fill, fillH5Area as fillArea, apiCall as trpc } from './env';

/**
 * Fault report closed loop in the mini-program H5 build: a resident reports a fault, follows it in 我的工单,
 * staff dispatch → accept → arrive → resolve through the API, and the resident rates it 5 stars.
 * E2E_H5_URL / E2E_API_URL point the spec at another stack (defaults: the test stack of playwright.config.ts).
 */
const H5 = process.env.E2E_H5_URL ?? URLS.h5;

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function staffLogin(username: string): Promise<string> {
  const r = await trpc<{ accessToken: string }>('mutation', 'auth.passwordLogin', { username, password: DEMO.password });
  return r.accessToken;
}

interface OrderView {
  id: string;
  version: number;
  status: string;
  regionId: string | null;
}

/** Logs the resident in through the WeChat simulator and binds the demo account (once per simUser). */
async function loginAndBind(page: Page) {
  await page.goto(`${H5}/?simUser=e2e-mp-fault#/pages/login/index`);
  await page.locator('#wx-login').click();
  await expect(page.locator('#home-services')).toBeVisible();
  const card = page.locator(`#account-card-${DEMO.bindable.number}`);
  if (!(await card.isVisible())) {
    await page.locator('#home-bind').click();
    await fill(page, 'bind-number', DEMO.bindable.number);
    await page.locator('#bind-lookup').click();
    await fill(page, 'bind-holder', DEMO.bindable.holderName);
    await page.locator('#bind-submit').click();
    await expect(card).toBeVisible();
  }
}

/** Files a whole-house outage from home → 故障报修 and returns the order's number and id from the detail page. */
async function reportFault(page: Page, description: string, opts: { photo?: boolean } = {}) {
  await page.goto(`${H5}/#/pages/home/index`);
  await page.locator('#home-fault').click();
  await expect(page.locator('#fault-form')).toBeVisible();
  // The only bound account is preselected; the phone on file shows masked.
  await expect(page.locator('#fault-contact-masked')).toHaveText('139****0001');
  await page.locator('#fault-kind-whole_house_outage').click();
  await fillArea(page, 'fault-desc', description);
  if (opts.photo) {
    // Taro.chooseImage is a file chooser on H5; the photo is uploaded as a data URL right away.
    const chooser = page.waitForEvent('filechooser');
    await page.locator('#photo-add').click();
    await (await chooser).setFiles({ name: 'meter.png', mimeType: 'image/png', buffer: PNG });
    await expect(page.locator('#photo-item-0')).toBeVisible();
  }
  await page.locator('#fault-submit').click();
  await expect(page.locator('#order-detail')).toBeVisible();
  await expect(page.locator('#order-description')).toHaveText(description);
  const orderNo = (await page.locator('#order-no').textContent())!.trim();
  expect(orderNo).toMatch(/^GD\d{8}-\d{6}$/);
  const orderId = /[?&]id=([0-9a-f]{24})/.exec(page.url())?.[1];
  expect(orderId, page.url()).toBeTruthy();
  return { orderNo, orderId: orderId! };
}

test('a resident reports a fault in the mini-program and sees it in 我的工单 with status and timeline', async ({ page }) => {
  await loginAndBind(page);

  // Validation and the safety tip before the real report.
  await page.locator('#home-fault').click();
  await expect(page.locator('#fault-form')).toBeVisible();
  await page.locator('#fault-submit').click();
  await expect(page.locator('#fault-kind-error')).toHaveText('请选择故障类型');
  await expect(page.locator('#fault-desc-error')).toHaveText('请填写描述');
  await page.locator('#fault-kind-sparking').click();
  await expect(page.locator('#fault-safety')).toContainText('远离危险区域，勿触碰断落电线');
  await page.locator('#fault-kind-flicker').click();
  await expect(page.locator('#fault-safety')).toHaveCount(0);

  const { orderNo } = await reportFault(page, `家里整户停电，邻居家有电 e2e-${Date.now()}`, { photo: true });

  // Detail: status, timeline and the countdown to dispatch (5 minutes).
  await expect(page.locator('#order-status')).toHaveText('待派单');
  await expect(page.locator('#order-timeline')).toContainText('提交工单');
  await expect(page.locator('#order-countdown-step')).toContainText('派单');
  await expect(page.locator('#order-countdown-time')).toContainText(/剩余\d+分\d{2}秒/);
  await expect(page.locator('#order-detail')).toContainText('已上传 1 张照片');

  // 我的工单 lists it with its status.
  await page.goto(`${H5}/#/pages/home/index`);
  await page.locator('#home-orders').click();
  const item = page.locator(`#order-item-${orderNo}`);
  await expect(item).toBeVisible();
  await expect(page.locator(`#order-item-status-${orderNo}`)).toHaveText('待派单');
  await expect(item).toContainText('整户停电');
  await item.click();
  await expect(page.locator('#order-no')).toHaveText(orderNo);
  await expect(page.locator('#order-timeline')).toContainText('提交工单');
});

test('staff dispatch, accept, arrive and resolve the fault through the API; the resident sees the steps and rates 5 stars', async ({ page }) => {
  test.setTimeout(120_000);
  await loginAndBind(page);
  const { orderNo, orderId } = await reportFault(page, `电表前空开跳闸后无法合上 e2e-${Date.now()}`);

  const dispatcher = await staffLogin('dispatcher01');
  let order = await trpc<OrderView>('query', 'workorder.get', { orderId }, dispatcher);
  expect(order.status).toBe('reported');
  const crews = await trpc<{ id: string; name: string; memberCount: number }[]>('query', 'workorder.crews', { regionId: order.regionId ?? undefined }, dispatcher);
  const crew = crews.find((c) => c.memberCount > 0);
  // Field steps need a member of the dispatched crew (crew01) or the region's area manager. The seed puts
  // crew01 and areamgr01 in the first region (岳麓区) while the bindable demo account lies elsewhere.
  test.skip(!crew, `no staffed crew covers the region of ${DEMO.bindable.number} (seed: crew01 is in 岳麓区抢修1班)`);

  order = await trpc<OrderView>('mutation', 'workorder.dispatch', { orderId, version: order.version, crewId: crew!.id }, dispatcher);
  expect(order.status).toBe('dispatched');
  const crewToken = await staffLogin('crew01');
  order = await trpc<OrderView>('mutation', 'workorder.accept', { orderId, version: order.version }, crewToken);
  order = await trpc<OrderView>('mutation', 'workorder.arrive', { orderId, version: order.version }, crewToken);
  order = await trpc<OrderView>('mutation', 'workorder.resolve', { orderId, version: order.version, notes: '更换入户空开，已恢复供电' }, crewToken);
  expect(order.status).toBe('resolved');

  // The open detail page polls every 10 s: the steps arrive without a reload.
  await expect(page.locator('#order-status')).toHaveText('已处理', { timeout: 15_000 });
  const timeline = page.locator('#order-timeline');
  for (const step of ['提交工单', '派单', '接单', '到达现场', '处理完成']) await expect(timeline).toContainText(step);
  await expect(timeline).toContainText(`已派单至${crew!.name}`);
  await expect(page.locator('#order-resolution')).toContainText('更换入户空开，已恢复供电');

  await page.locator('#rate-submit').click();
  await expect(page.locator('#rate-error')).toHaveText('请选择评分');
  await page.locator('#rate-star-5').click();
  await fillArea(page, 'rate-comment', '师傅来得很快，谢谢');
  await page.locator('#rate-submit').click();

  await expect(page.locator('#order-status')).toHaveText('已回访');
  await expect(page.locator('#order-rating-stars')).toContainText('5 星');
  await expect(page.locator('#order-rating')).toContainText('师傅来得很快，谢谢');
  await expect(timeline).toContainText('客户评价：5星');
  await expect(page.locator('#order-reopened')).toHaveCount(0);

  await page.goto(`${H5}/#/pkg-service/orders/index`);
  await expect(page.locator(`#order-item-status-${orderNo}`)).toHaveText('已回访');
});
