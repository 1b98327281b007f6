import { expect, type Page } from '@playwright/test';
import { DEMO, fillH5 as fill, fillH5Area as fillArea, apiCall as trpc, test } from './env';
import { bindAccount, openPage, PHONE, shown, tap, wechatLogin } from './mp';

test.use(PHONE);

/**
 * Fault report closed loop in the mini-program H5 build: a resident reports a fault, follows it in 我的工单,
 * staff dispatch → accept → arrive → resolve through the API, and the resident rates it 5 stars.
 * E2E_H5_URL / E2E_API_URL point the spec at another stack (defaults: the test stack of playwright.config.ts).
 */

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

/** Logs the resident in through the WeChat simulator and binds the demo account by name (once per simUser). */
async function loginAndBind(page: Page) {
  await wechatLogin(page, 'e2e-mp-fault');
  await bindAccount(page, { number: DEMO.bindable.number, holderName: DEMO.bindable.holderName });
}

/** 服务 → 故障报修. */
async function openFaultForm(page: Page) {
  await openPage(page, `/pages/service/index`);
  await tap(page, '故障报修');
  await expect(shown(page, '报修户号')).toBeVisible();
}

/** Files a whole-house outage from 服务 → 故障报修 and returns the order's number and id from the detail page. */
async function reportFault(page: Page, description: string, opts: { photo?: boolean } = {}) {
  await openFaultForm(page);
  // The only bound account is preselected. A name-only binding shows no phone on file: the reporter gives one.
  await tap(page, '整户停电');
  await fillArea(page, 'fault-desc', description);
  const phoneInput = page.getByRole('spinbutton', { name: '请输入 11 位手机号' });
  await expect(phoneInput.or(shown(page, '户号预留手机')).first()).toBeVisible();
  if (await phoneInput.isVisible()) await phoneInput.fill('13900000001');
  if (opts.photo) {
    // Taro.chooseImage is a file chooser on H5; the photo is uploaded as a data URL right away.
    const chooser = page.waitForEvent('filechooser');
    await tap(page, '添加照片');
    await (await chooser).setFiles({ name: 'meter.png', mimeType: 'image/png', buffer: PNG });
    // The thumbnail has no words: found by its place.
    await expect(page.locator('#photo-item-0')).toBeVisible();
  }
  await tap(page, '提交报修');
  await expect(shown(page, description)).toBeVisible();
  const orderNo = (
    await shown(page, /^GD\d{8}-\d{6}$/)
      .first()
      .innerText()
  ).trim();
  expect(orderNo).toMatch(/^GD\d{8}-\d{6}$/);
  const orderId = /[?&]id=([0-9a-f]{24})/.exec(page.url())?.[1];
  expect(orderId, page.url()).toBeTruthy();
  return { orderNo, orderId: orderId! };
}

/**
 * The card of an order in 我的工单 (its number is the only text of its own). The detail page opened before may
 * still be in the document under the list: the list is the page on top, the last one.
 */
const orderItem = (page: Page, orderNo: string) => shown(page, orderNo).last().locator('xpath=../..');

test('a resident reports a fault in the mini-program and sees it in 我的工单 with status and timeline', async ({ page }) => {
  await loginAndBind(page);

  // Validation and the safety tip before the real report.
  await openFaultForm(page);
  await tap(page, '提交报修');
  await expect(page.getByText('请选择故障类型')).toBeVisible();
  await expect(page.getByText('请填写描述')).toBeVisible();
  await tap(page, '打火冒烟等危险');
  await expect(page.getByText('远离危险区域，勿触碰断落电线')).toBeVisible();
  await tap(page, '电压不稳/闪烁');
  await expect(page.getByText('远离危险区域，勿触碰断落电线')).toHaveCount(0);

  const { orderNo } = await reportFault(page, `家里整户停电，邻居家有电 e2e-${Date.now()}`, { photo: true });

  // Detail: where it stands (the customer's words for a new order: 已受理), its first step, its photo.
  // (The order page's own wording belongs to the timeline work: the words of either version are accepted.)
  await expect(shown(page, /^(已受理|待派单)$/).first()).toBeVisible();
  await expect(shown(page, /^(提交报修|提交工单)$/).first()).toBeVisible();
  await expect(shown(page, '已上传 1 张照片')).toBeVisible();

  // 服务 → 我的工单 lists it with its status.
  await openPage(page, `/pages/service/index`);
  await tap(page, '我的工单');
  const item = orderItem(page, orderNo);
  await expect(item).toBeVisible();
  await expect(item).toContainText(/已受理|待派单/);
  await expect(item).toContainText('整户停电');
  await item.click();
  await expect(shown(page, orderNo)).toBeVisible();
  await expect(shown(page, /^(提交报修|提交工单)$/).first()).toBeVisible();
});

test('staff dispatch, accept, arrive and resolve the fault through the API; the resident sees the steps and rates 5 stars', async ({ page }) => {
  test.setTimeout(120_000);
  await loginAndBind(page);
  const { orderNo, orderId } = await reportFault(page, `电表前空开跳闸后无法合上 e2e-${Date.now()}`);

  const dispatcher = await staffLogin('dispatcher01');
  let order = await trpc<OrderView>('query', 'workorder.get', { orderId }, dispatcher);
  expect(order.status).toBe('reported');
  const crews = await trpc<{ id: string; name: string; memberCount: number }[]>(
    'query',
    'workorder.crews',
    { regionId: order.regionId ?? undefined },
    dispatcher,
  );
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
  await expect(shown(page, /^(已修复|已处理)$/).first()).toBeVisible({ timeout: 15_000 });
  await expect(shown(page, /到达现场/).first()).toBeVisible();
  await expect(shown(page, /更换入户空开，已恢复供电/).first()).toBeVisible();

  await tap(page, '提交评价');
  await expect(page.getByText('请选择评分')).toBeVisible();
  // The stars are symbols with no words of their own: picked by their place.
  await page.locator('#rate-star-5').click();
  await fillArea(page, 'rate-comment', '师傅来得很快，谢谢');
  await tap(page, '提交评价');

  await expect(shown(page, /5 星/).first()).toBeVisible();
  await expect(shown(page, '师傅来得很快，谢谢').first()).toBeVisible();
  await expect(shown(page, /您的评价不满意/)).toHaveCount(0);

  await openPage(page, `/pkg-service/orders/index`);
  await expect(orderItem(page, orderNo)).toContainText(/已回访|已评价|已完成/);
});
