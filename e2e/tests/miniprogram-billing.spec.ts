import { expect, type Page } from '@playwright/test';
import { DEMO, fillH5 as fill, latestSmsCode, test } from './env';
import { accountCard, bindAccount, expectPdfDownload, openTab, PHONE, section, shown, tap, wechatLogin } from './mp';

test.use(PHONE);

/**
 * Bills and payment in the mini-program H5 build, read and tapped by what is on the screen.
 * 王桂英's account (api/src/modules/billing/seed.ts DEMO_UNPAID_ACCOUNT_2): 23 settled bills with their seeded
 * payments and the latest bill open. Bound here with the code to the phone on file, so she is its 户主.
 */
const WANG = { number: '3101000000004', holderName: '王桂英', masked: '王*英', phone: '13900000004' };

/** 2026年11月-style periods of the history list, top to bottom. */
async function historyPeriods(page: Page): Promise<string[]> {
  const texts = await section(page, '历史账单')
    .getByText(/^\d{4}年\d{1,2}月$/)
    .allInnerTexts();
  return texts.map((s) => s.trim());
}

test('a 户主 pays the open bill: cancel says so, a failure shows a way out, success gives the receipt and an e-invoice; 缴费记录 matches 已缴清', async ({
  page,
}) => {
  test.setTimeout(360_000);
  await wechatLogin(page, 'e2e-mp-bill');
  const card = await bindAccount(page, WANG, 'sms');
  await expect(card.getByText('户主', { exact: true })).toBeVisible();
  // One honest line: what is owed and by when (no 正常 badge beside the arrears, no balance of ¥0.00).
  const line = card.getByText(/^欠费 ¥[\d,]+\.\d{2}，请于 (\d{4}年)?\d{1,2}月\d{1,2}日前缴清$/);
  await expect(line, `the open bill of ${WANG.number} was already paid by an earlier spec`).toBeVisible();
  await expect(card).not.toContainText('正常');
  await expect(card).not.toContainText('账户余额');
  await expect(card.getByText('上月用电')).toBeVisible();
  await expect(card.getByText(/^20\d{2}年阶梯用电$/)).toBeVisible();
  await expect(card.getByText(/^第[一二三]档剩余 [\d,]+ kWh$|^已进入第三档$/)).toBeVisible();
  const owed = (await line.innerText()).match(/¥[\d,]+\.\d{2}/)![0];

  await card.getByText('立即缴费').click();
  await expect(page.getByText(`户号 ${WANG.number.replace(/(\d{4})(?=\d)/g, '$1 ')}`)).toBeVisible();
  await expect(page.getByText(`${WANG.masked} · 户主 · 后付费`)).toBeVisible();
  const open = section(page, '待缴账单');
  await expect(open.getByText('待缴', { exact: true })).toBeVisible();
  await expect(open.getByText(owed).first()).toBeVisible();

  // 1. The simulator's cashier stands where WeChat's would: amount, payee, item. Cancelling pays nothing.
  await tap(page, `微信支付 ${owed}`);
  const cashier = page.getByRole('dialog', { name: '微信支付' });
  await expect(cashier).toBeVisible();
  await expect(cashier.getByText(owed, { exact: true })).toBeVisible();
  await expect(cashier.getByText('收款方')).toBeVisible();
  await expect(cashier.getByText('示范市供电有限公司')).toBeVisible();
  await expect(cashier.getByText(new RegExp(`电费缴纳 · 户号 ${WANG.number} · \\d{4}-\\d{2}`))).toBeVisible();
  await cashier.getByRole('button', { name: '取消' }).click();
  await expect(cashier).toHaveCount(0);
  await expect(page.getByText('已取消支付，账单仍为待缴，可随时重新支付')).toBeVisible();
  await expect(open.getByText('待缴', { exact: true })).toBeVisible();
  await expect(page.getByText('缴费成功')).toHaveCount(0);

  // 2. WeChat refuses the payment: the page says what to do instead of leaving the payer stuck.
  await page.route('**/wxpaysim/sim/pay/**', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ code: 'SYSTEM_ERROR', message: '系统繁忙，请稍后再试' }),
        })
      : route.continue(),
  );
  await tap(page, `微信支付 ${owed}`);
  await cashier.getByRole('button', { name: '确认支付' }).click();
  await expect(page.getByText('支付未完成，请稍后重试')).toBeVisible();
  await expect(page.getByText(/如微信已扣款，请勿重复支付/)).toBeVisible();
  await expect(page.getByText('查看缴费记录', { exact: true })).toBeVisible();
  await page.unroute('**/wxpaysim/sim/pay/**');

  // 3. 重新支付 → confirmed at the cashier → settled by the notification (the page polls the API).
  await tap(page, '重新支付');
  await cashier.getByRole('button', { name: '确认支付' }).click();
  await expect(page.getByText('缴费成功')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(`已支付 ${owed}`)).toBeVisible();
  await expect(page.getByText('暂无待缴账单，电费已全部缴清')).toBeVisible();
  await expectPdfDownload(page, page.getByText('查看收据', { exact: true }));
  await tap(page, '开具发票');
  await expect(page.getByText('开具电子发票')).toBeVisible();
  await tap(page, '提交');
  await expect(page.getByText('请填写发票抬头（姓名，至少2个字）')).toBeVisible();
  await fill(page, 'invoice-name', WANG.holderName);
  await tap(page, '提交');
  await expect(page.getByText('发票已开具')).toBeVisible();
  await expectPdfDownload(page, page.getByText('下载发票', { exact: true }));
  await tap(page, '完成');

  // 4. Every bill 已缴清 now, and 缴费记录 has one paid payment for each (the seeded history included).
  const periods = await historyPeriods(page);
  expect(periods).toHaveLength(24);
  await expect(section(page, '历史账单').getByText('已缴清', { exact: true })).toHaveCount(24);
  await tap(page, '缴费记录 ›');
  await expect(page.getByText(`${WANG.masked} · 户主 · 共 24 笔`)).toBeVisible();
  await expect(shown(page, '支付成功')).toHaveCount(24);
  await expect(shown(page, '电费缴纳')).toHaveCount(24);
  // The one she paid here has its receipt and invoice; the seeded ones were paid before she bound the account.
  await expect(shown(page, '下载收据')).toHaveCount(1);
  await expect(shown(page, '下载发票')).toHaveCount(1);
  await expect(shown(page, '非本人缴费，收据和发票由缴费人查看')).toHaveCount(23);
  // Nothing is clipped above the screen: the title and the first payment are in view.
  await expect(shown(page, '缴费记录').first()).toBeInViewport();
  await expect(shown(page, '电费缴纳').first()).toBeInViewport();
  await page.goBack();

  // 5. Every bill opens — the history ones (id `<account>:<YYYY-MM>`) as well as the live one.
  for (const period of periods) {
    await section(page, '历史账单').getByText(period, { exact: true }).click();
    await expect(page.getByText(`${period}电费账单`)).toBeVisible();
    await expect(shown(page, '已缴清').first()).toBeVisible();
    await expect(shown(page, '计费明细')).toBeVisible();
    await expect(page.getByText('账单编号格式不正确')).toHaveCount(0);
    await expect(page.getByText('加载中…')).toHaveCount(0);
    await page.goBack();
    await expect(section(page, '历史账单')).toBeVisible();
  }

  // 首页 now says the account owes nothing.
  await page.goBack();
  await expect(accountCard(page, WANG.number).getByText('电费已缴清，当前无欠费')).toBeVisible();
});

test('smart-prepaid alert thresholds: the same two-of-six choice; a name-only binding is refused in Chinese, the 户主 saves', async ({ page }) => {
  test.setTimeout(150_000);
  await wechatLogin(page, 'e2e-mp-prepaid');
  const card = await bindAccount(page, { number: DEMO.prepaid.number, holderName: DEMO.prepaid.holderName });
  await expect(card.getByText('户名关注', { exact: true })).toBeVisible();
  await expect(card.getByText(/^余额 ¥[\d,]+\.\d{2}(，预计可用 \d+ 天|，仅够用约 \d+ 天，请及时充值)?$/)).toBeVisible();
  await card.getByText('去充值').click();

  await expect(page.getByText('余额低于 30 元 或 10 元 时提醒您')).toBeVisible();
  await tap(page, '修改');
  await expect(page.getByText('余额低于以下金额时提醒您（请选择两个）')).toBeVisible();
  for (const y of [200, 120, 100, 50, 30, 10]) await expect(page.getByRole('checkbox', { name: `${y} 元` })).toBeVisible();
  await page.getByRole('checkbox', { name: '200 元' }).click();
  await page.getByRole('checkbox', { name: '100 元' }).click();
  await tap(page, '保存');
  await expect(page.getByText('此操作需户主验证：请用户主预留手机号接收验证码完成验证')).toBeVisible();

  // As 户主 (the code to the phone on file upgrades the binding) the same choice is saved.
  await page.goBack();
  await openTab(page, '我的');
  await expect(shown(page, '验证户主')).toBeVisible();
  await tap(page, '验证户主');
  await fill(page, 'bind-number', DEMO.prepaid.number);
  await tap(page, '下一步');
  await tap(page, '短信验证');
  const sentAfter = Date.now() - 1000;
  await tap(page, '获取验证码');
  await fill(page, 'bind-code', await latestSmsCode('13900000007', sentAfter));
  await tap(page, '确认绑定');
  await openTab(page, '首页');
  const holderCard = accountCard(page, DEMO.prepaid.number);
  await expect(holderCard.getByText('户主', { exact: true })).toBeVisible();
  await holderCard.getByText('去充值').click();
  await tap(page, '修改');
  await page.getByRole('checkbox', { name: '200 元' }).click();
  await page.getByRole('checkbox', { name: '100 元' }).click();
  await tap(page, '保存');
  await expect(page.getByText('余额低于 200 元 或 100 元 时提醒您')).toBeVisible();
  await page.reload();
  await expect(page.getByText('余额低于 200 元 或 100 元 时提醒您')).toBeVisible();
});

test('代缴: a resident looks up any account by number and sees the masked holder name before paying', async ({ page }) => {
  await wechatLogin(page, 'e2e-mp-payfor');
  await openTab(page, '缴费');
  await expect(shown(page, '电费缴纳')).toBeVisible();
  // The tab page takes the tap once it is shown: tap until the 代缴 page opens.
  await expect(async () => {
    await tap(page, '代缴电费');
    await expect(shown(page, '输入户号，核对户名后即可为他人缴费')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await fill(page, 'payfor-number', '12');
  await tap(page, '查询');
  await expect(page.getByText('户号应为 13 位数字')).toBeVisible();
  await fill(page, 'payfor-number', DEMO.bindable.number);
  await tap(page, '查询');
  await expect(page.getByText(DEMO.bindable.masked, { exact: true })).toBeVisible();
  await expect(page.locator('body')).not.toContainText(DEMO.bindable.holderName);
  // Every bill of the demo account is paid.
  await expect(page.getByText('该户号暂无待缴电费')).toBeVisible();
});
