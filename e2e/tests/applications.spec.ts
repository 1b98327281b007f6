import { expect, type Browser, type Page } from '@playwright/test';
import { DEMO, fillH5 as fill, fillH5Area as fillArea, URLS, apiCall as trpc, test } from './env';
import { bindAccount, openPage, PHONE, shown, tap, wechatLogin } from './mp';
import { button, CTX, staffToken } from './portal';

/**
 * Service applications (业务办理, issue 12) end to end: a resident applies for a meter check in the mini-program
 * with two photos; the business desk asks for one more document; the tracker says 待您补充资料 with the clock
 * paused; the resident uploads it; the desk finishes; every milestone shows done on time and the resident rates
 * it. Then the enterprise's power liaison applies for a 增容 on the web with a PDF licence, and the enterprise
 * admin follows the same tracker.
 */

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

interface AppView {
  id: string;
  version: number;
  phaseLabel: string;
}

/** A business-desk step through the API (the staff side of the story). */
async function desk(token: string, step: string, input: Record<string, unknown>): Promise<AppView> {
  const cur = await trpc<AppView>('query', 'application.get', { id: input.orderId }, token);
  return trpc<AppView>('mutation', `application.${step}`, { ...input, version: cur.version }, token);
}

/** No ISO timestamp and no raw id on the page. */
async function expectTidyText(page: Page) {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  expect(text).not.toMatch(/\b[0-9a-f]{24}\b/);
}

test.describe('mini-program', () => {
  test.use(PHONE);

  test('a resident applies for a meter check with two photos, supplies a requested document, and rates the finished application', async ({
    page,
  }) => {
    test.setTimeout(150_000);
    await wechatLogin(page, 'e2e-mp-apply');
    await bindAccount(page, { number: DEMO.bindable.number, holderName: DEMO.bindable.holderName });

    // 服务 → 业务办理 → 申请校表.
    await openPage(page, '/pages/service/index');
    await tap(page, '业务办理');
    await tap(page, '申请校表');
    await expect(shown(page, '校表申请')).toBeVisible();
    await page.locator(`#apply-account-${DEMO.bindable.number}`).click();
    await fillArea(page, 'apply-reason', '最近两个月电量明显偏高，怀疑电表走字偏快');
    await fill(page, 'apply-contact-name', '张建国');
    await fill(page, 'apply-contact-phone', '13900000012');
    // Submitting without the ID card is refused in words.
    await tap(page, '提交申请');
    await expect(shown(page, '请上传身份证')).toBeVisible();
    // Two photos of the ID card (Taro.chooseImage is a file chooser on H5).
    const chooser = page.waitForEvent('filechooser');
    await tap(page, '拍照上传身份证');
    await (await chooser).setFiles([
      { name: 'id-front.png', mimeType: 'image/png', buffer: PNG },
      { name: 'id-back.png', mimeType: 'image/png', buffer: PNG },
    ]);
    await expect(shown(page, '已上传 2 份')).toBeVisible();
    await tap(page, '提交申请');

    // The tracker: three milestones, the whole promise, the utility's turn.
    await expect(shown(page, '受理').first()).toBeVisible();
    await expect(shown(page, '现场校验').first()).toBeVisible();
    await expect(shown(page, '答复校验结果').first()).toBeVisible();
    await expect(shown(page, /承诺5个工作日内办结/)).toBeVisible();
    await expect(shown(page, '当前由供电公司办理')).toBeVisible();
    const id = /[?&]id=([0-9a-f]{24})/.exec(page.url())?.[1];
    expect(id, page.url()).toBeTruthy();

    // The business desk accepts it and asks for one more document.
    const agent = await staffToken('agent01');
    await desk(agent, 'claim', { orderId: id });
    await desk(agent, 'complete', { orderId: id });
    await desk(agent, 'requestDocs', { orderId: id, docKinds: ['property'], notes: '请补充房产证明或租赁合同。' });

    await page.reload();
    await expect(shown(page, '待您补充资料').first()).toBeVisible();
    await expect(shown(page, /补充前办理时限暂停计时/)).toBeVisible();
    await expect(shown(page, '计时暂停')).toBeVisible();
    await expect(shown(page, /计时已暂停/)).toBeVisible();
    await expect(shown(page, '当前由您办理')).toBeVisible();
    await page.screenshot({ path: '/tmp/applications-mp-waiting.png', fullPage: true });

    const chooser2 = page.waitForEvent('filechooser');
    await tap(page, '拍照上传房产证明或租赁合同');
    await (await chooser2).setFiles({ name: 'deed.png', mimeType: 'image/png', buffer: PNG });
    await expect(shown(page, '已上传 1 份')).toBeVisible();
    await tap(page, '提交补充资料');
    await expect(shown(page, '办理中').first()).toBeVisible();
    await expect(shown(page, '当前由供电公司办理')).toBeVisible();

    // The desk records the test and answers the result.
    await desk(agent, 'complete', { orderId: id, notes: '现场校验误差+0.3%，在允许范围内' });
    await desk(agent, 'complete', { orderId: id, notes: '电能表计量准确，无需退补电费' });
    await page.reload();
    await expect(shown(page, '已办结').first()).toBeVisible();
    await expect(shown(page, '各环节均按时完成')).toBeVisible();
    await expect(shown(page, '已按时完成')).toHaveCount(3);
    await expectTidyText(page);

    // The rating at the end (the return-visit path).
    await page.locator('#rate-star-5').click();
    await fillArea(page, 'rate-comment', '校表很及时');
    await tap(page, '提交评价');
    await expect(shown(page, '您的评价：5星')).toBeVisible();
    await page.screenshot({ path: '/tmp/applications-mp-rated.png', fullPage: true });
  });
});

async function enterpriseLogin(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext({ ...CTX, viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${URLS.web}/login/enterprise`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO.password);
  await button(page, '登录').click();
  await expect(page).toHaveURL(/\/home/);
  return page;
}

test('the power liaison applies for a 增容 on the web with a PDF licence, and the enterprise admin follows the same tracker', async ({ browser }) => {
  test.setTimeout(120_000);
  const stamp = `e2e-${Date.now()}`;
  const elec = await enterpriseLogin(browser, 'ent_elec');
  await elec.goto(`${URLS.web}/home/applications`);
  await expect(elec.getByRole('heading', { name: '业务办理' })).toBeVisible();
  await elec.getByText('申请增容/减容').click();
  await expect(elec.getByRole('heading', { name: '增容/减容申请' })).toBeVisible();

  // One of the liaison's sites (the API's own list, as the picker shows it), picked by typing its number.
  const elecToken = await staffToken('ent_elec');
  const sites = await trpc<{ id: string; number: string }[]>('query', 'account.list', undefined, elecToken);
  await elec.getByLabel('户号').fill(sites[0]!.number);
  await elec.keyboard.press('Enter');
  await elec.getByLabel('增容').check();
  await elec.getByLabel('申请容量（千伏安）').fill('630');
  await elec.getByLabel('申请说明').fill(`二号厂房新增注塑生产线 ${stamp}`);
  await elec.getByLabel('联系电话').fill('13900000035');
  for (const [label, name] of [
    ['上传营业执照', '营业执照.pdf'],
    ['上传授权委托书', '授权委托书.pdf'],
  ] as const) {
    const chooser = elec.waitForEvent('filechooser');
    await button(elec, label).click();
    await (await chooser).setFiles({ name, mimeType: 'application/pdf', buffer: PDF });
    await expect(elec.getByText(name)).toBeVisible();
  }
  await elec.screenshot({ path: '/tmp/applications-web-form.png', fullPage: true });
  await button(elec, '提交申请').click();

  await expect(elec).toHaveURL(/\/home\/applications\/[0-9a-f]{24}$/);
  await expect(elec.getByRole('heading', { name: '增容申请' })).toBeVisible();
  await expect(elec.getByText('承诺6个工作日内办结（各环节均须按时）')).toBeVisible();
  for (const m of ['受理', '现场勘查', '装表接电']) await expect(elec.getByText(m, { exact: true }).first()).toBeVisible();
  await expect(elec.getByText('当前由').first()).toBeVisible();
  await expect(elec.getByText('营业执照.pdf')).toBeVisible();
  await expectTidyText(elec);
  const url = elec.url();
  const orderNo = (
    await elec
      .getByText(/^GD\d{8}-\d{6}$/)
      .first()
      .innerText()
  ).trim();

  // The admin sees it in 业务办理 and opens the same tracker.
  const admin = await enterpriseLogin(browser, 'ent_admin');
  await admin.goto(`${URLS.web}/home/applications`);
  await expect(admin.getByRole('link', { name: new RegExp(orderNo) })).toBeVisible();
  await admin.screenshot({ path: '/tmp/applications-web-list.png', fullPage: true });
  await admin.getByRole('link', { name: new RegExp(orderNo) }).click();
  await expect(admin).toHaveURL(url);
  await expect(admin.getByRole('heading', { name: '增容申请' })).toBeVisible();
  await expect(admin.getByText(orderNo)).toBeVisible();
  for (const m of ['受理', '现场勘查', '装表接电']) await expect(admin.getByText(m, { exact: true }).first()).toBeVisible();
  await expect(admin.getByRole('link', { name: '查看' }).first()).toBeVisible();

  // The business desk accepts it: both see the next milestone running.
  const agent = await staffToken('agent01');
  const id = url.split('/').pop()!;
  await desk(agent, 'complete', { orderId: id, notes: '资料齐全，予以受理' });
  await admin.reload();
  await expect(admin.getByText('受理完成（受理通过）：资料齐全，予以受理').first()).toBeVisible();
  await admin.screenshot({ path: '/tmp/applications-web-tracker.png', fullPage: true });

  // The business desk's queue shows it.
  const staff = await (await browser.newContext({ ...CTX, viewport: { width: 1440, height: 900 } })).newPage();
  await staff.goto(`${URLS.web}/staff/login?next=${encodeURIComponent('/staff/applications')}`);
  await staff.getByLabel('用户名').fill('agent01');
  await staff.getByLabel('密码').fill(DEMO.password);
  await button(staff, '登录').click();
  await expect(staff.getByRole('heading', { name: /业务受理/ })).toBeVisible();
  await staff
    .getByRole('row')
    .filter({ hasText: orderNo })
    .getByRole('button', { name: /办\s*理/ })
    .click();
  await expect(staff.getByText(`业务申请 ${orderNo}`)).toBeVisible();
  await expect(staff.getByRole('button', { name: /勘查完成/ })).toBeVisible();
  await staff.screenshot({ path: '/tmp/applications-staff-drawer.png', fullPage: true });
});
