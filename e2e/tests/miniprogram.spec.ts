import { expect } from '@playwright/test';
import { DEMO, fillH5 as fill, test } from './env';
import { accountCard, H5, openTab, PHONE, shown, tabItem, tap } from './mp';

test.use(PHONE);

test('before the first login the agreements can be read and must be agreed to; 不同意 logs nobody in', async ({ page }) => {
  await page.goto(`${H5}/?simUser=e2e-mp-consent#/pages/login/index`);
  await expect(shown(page, '登录')).toBeVisible();
  const check = page.getByRole('checkbox', { name: '同意协议' });
  await expect(check).toHaveAttribute('aria-checked', 'false');

  // The links open real pages with their text (not dead links).
  await tap(page, '《用户服务协议》');
  await expect(shown(page, '用户服务协议').first()).toBeVisible();
  await expect(page.getByText('三、户号绑定')).toBeVisible();
  await page.goBack();
  await tap(page, '《隐私政策》');
  await expect(page.getByText('一、我们收集的信息')).toBeVisible();
  await expect(page.getByText(/默认脱敏展示/)).toBeVisible();
  await page.goBack();

  // Logging in without agreeing asks first; 不同意 leaves the visitor on the login page.
  await tap(page, '微信一键登录');
  const dialog = page.getByRole('dialog', { name: '用户服务协议及隐私政策' });
  await expect(dialog).toBeVisible();
  await dialog.getByText('不同意').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('请先阅读并同意《用户服务协议》和《隐私政策》')).toBeVisible();
  await expect(tabItem(page, '首页')).toBeHidden();

  // 同意并登录: in, with the tab bar.
  await tap(page, '微信一键登录');
  await dialog.getByText('同意并登录').click();
  await expect(tabItem(page, '首页')).toBeVisible();
  await expect(page.getByText('您还没有绑定户号')).toBeVisible();
});

test('a resident logs in, binds an account after verification, is greeted by name and finds the four tabs with their titles', async ({ page }) => {
  await page.goto(`${H5}/?simUser=e2e-resident-1#/pages/login/index`);
  await page.getByRole('checkbox', { name: '同意协议' }).click();
  await tap(page, '微信一键登录');
  await expect(page.getByText('您还没有绑定户号')).toBeVisible();
  // No generic 微信用户 greeting.
  await expect(page.getByText(/^(早上好|中午好|下午好|晚上好)$/)).toBeVisible();
  await expect(page.getByText(/微信用户/)).toHaveCount(0);
  await tap(page, '绑定户号');

  await fill(page, 'bind-number', '123');
  await tap(page, '下一步');
  await expect(page.getByText('户号应为 13 位数字')).toBeVisible();
  await fill(page, 'bind-number', DEMO.bindable.number);
  await tap(page, '下一步');
  await expect(page.getByText(`户主：${DEMO.bindable.masked}`)).toBeVisible();

  await fill(page, 'bind-holder', '张三');
  await tap(page, '确认绑定');
  await expect(page.getByText(/户名与户号不匹配/)).toBeVisible();
  await fill(page, 'bind-holder', DEMO.bindable.holderName);
  await tap(page, '确认绑定');

  // 首页: greeted by the (masked) name of the account bound as 本人; the account's state in one honest line.
  const card = accountCard(page, DEMO.bindable.number);
  await expect(card).toBeVisible();
  await expect(page.getByText(new RegExp(`^(早上好|中午好|下午好|晚上好)，${DEMO.bindable.masked.replace('*', '\\*')}$`))).toBeVisible();
  await expect(card.getByText('户名关注', { exact: true })).toBeVisible();
  await expect(card.getByText('电费已缴清，当前无欠费')).toBeVisible();
  await expect(card).not.toContainText('¥0.00');
  await expect(card.getByText('上月用电')).toBeVisible();
  await expect(card.getByText(/^\d{4}年阶梯用电$/)).toBeVisible();
  await expect(page.locator('body')).not.toContainText(DEMO.bindable.holderName);
  await expect(shown(page, '首页').first()).toBeVisible();

  // The tab bar: 缴费 / 服务 / 我的, each with its own title.
  await openTab(page, '缴费');
  await expect(shown(page, '电费缴纳')).toBeVisible();
  await expect(shown(page, '代缴电费')).toBeVisible();
  await openTab(page, '服务');
  await expect(shown(page, '用电服务')).toBeVisible();
  for (const s of ['故障报修', '咨询/投诉/建议', '我的工单', '停电查询', '消息中心']) await expect(shown(page, s)).toBeVisible();
  await openTab(page, '我的');
  await expect(shown(page, DEMO.bindable.masked)).toBeVisible();
  await expect(shown(page, '验证户主')).toBeVisible();
  await tap(page, '隐私政策');
  await expect(page.getByText('一、我们收集的信息')).toBeVisible();
  await page.goBack();

  // A reload keeps the session (tokens in storage) and the binding (in the database).
  await page.reload();
  await openTab(page, '首页');
  await expect(accountCard(page, DEMO.bindable.number)).toBeVisible();
});
