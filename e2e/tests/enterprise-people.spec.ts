import { expect, type Browser, type Page } from '@playwright/test';
import { URLS, apiCall, test } from './env';
import { button, CTX, smsCode, staffLogin } from './portal';

/**
 * Issue 11, onboarding and people, as people see it: a new enterprise applies on the web with its business
 * licence, an account manager verifies it, its admin joins an account with the code sent to the phone on file
 * and invites a finance user and an electrician, who accept with the SMS code and a password; the
 * electrician's menu has no 合并缴费 and the page itself refuses them.
 */

// A valid unified social credit code (GB 32100: the 18th character is the check character of the first 17).
const CREDIT = `91430104MA4PQ8N7X${checkChar('91430104MA4PQ8N7X')}`;
const COMPANY = '长沙岳麓精密机械有限公司';
const ADMIN = { name: '周建华', phone: '13700001111', password: 'Qiye2026ok' };
const FINANCE = { name: '林会计', phone: '13700003333', password: 'Caiwu2026ok' };
const ELEC = { name: '邓电工', phone: '13700004444', password: 'Dianli2026ok' };
const JOIN_NUMBER = '3101000009001'; // api/src/seed/enterprise-people.seed.ts: no enterprise yet, phone on file
// A real 1×1 PNG: the API checks the bytes, not the name.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function checkChar(first17: string): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, c, i) => s + chars.indexOf(c) * w[i]!, 0);
  return chars[(31 - (sum % 31)) % 31]!;
}

/** The newest invitation code sent to a phone (the invitation SMS says 邀请码). */
async function inviteCode(phone: string, after: number): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const rows = await apiCall<{ text: string; createdAt: string }[]>('query', 'dev.smsOutbox', { phone });
    const code = rows.filter((m) => Date.parse(m.createdAt) >= after && /邀请码/.test(m.text)).map((m) => m.text.match(/\d{6}/)?.[0])[0];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no invitation for ${phone}`);
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext(CTX)).newPage();
}

async function acceptInvite(browser: Browser, who: typeof FINANCE, after: number): Promise<Page> {
  const page = await newPage(browser);
  await page.goto(`${URLS.web}/login/enterprise`);
  await page.getByRole('link', { name: '接受企业邀请' }).click();
  await expect(page.getByRole('heading', { name: '接受企业邀请' })).toBeVisible();
  await page.getByLabel('手机号').fill(who.phone);
  await page.getByLabel('邀请码').fill(await inviteCode(who.phone, after));
  await page.getByLabel('登录密码').fill(who.password);
  await page.getByLabel('确认密码').fill(who.password);
  await button(page, '加入企业').click();
  await expect(page).toHaveURL(/\/home$/);
  return page;
}

test('a new enterprise applies, is verified, joins an account and brings in its finance user and electrician', async ({ browser }) => {
  test.setTimeout(240_000);

  // ---- 1. Apply: the contact becomes the first admin; the licence is uploaded on the status page.
  const admin = await newPage(browser);
  await admin.goto(`${URLS.web}/`);
  await admin.getByRole('link', { name: '企业入驻申请' }).click();
  await expect(admin.getByRole('heading', { name: '企业入驻申请' })).toBeVisible();
  await admin.getByLabel('企业名称').fill(COMPANY);
  await admin.getByLabel('统一社会信用代码').fill(CREDIT);
  await admin.getByLabel('联系人姓名').fill(ADMIN.name);
  await admin.getByLabel('联系人手机号').fill(ADMIN.phone);
  const codeAfter = Date.now() - 1000;
  await admin.getByRole('button', { name: '获取验证码' }).click();
  await admin.getByLabel('短信验证码').fill(await smsCode(ADMIN.phone, codeAfter));
  await admin.getByLabel('登录密码').fill(ADMIN.password);
  await admin.getByLabel('确认密码').fill(ADMIN.password);
  await admin.getByRole('button', { name: '注册并继续' }).click();

  await expect(admin).toHaveURL(/\/enterprise\/status$/);
  await expect(admin.getByText('请上传营业执照', { exact: true })).toBeVisible();
  await expect(admin.getByText(COMPANY)).toBeVisible();
  await admin.getByLabel('营业执照').setInputFiles({ name: '营业执照.png', mimeType: 'image/png', buffer: PNG });
  await expect(admin.getByText(/已上传：营业执照\.png/)).toBeVisible();
  await admin.getByRole('button', { name: '提交审核' }).click();
  await expect(admin.getByText('资料已提交，等待审核')).toBeVisible();
  // No account data before verification: the portal sends the admin back to the status page.
  await admin.goto(`${URLS.web}/home`);
  await expect(admin).toHaveURL(/\/enterprise\/status$/);
  await admin.screenshot({ path: '/tmp/entpeople-shots/pending.png', fullPage: true });

  // ---- 2. The account manager verifies it, with the licence in front of them.
  const staff = await newPage(browser);
  await staffLogin(staff, 'manager01', '/staff/enterprises');
  await expect(staff.getByRole('heading', { name: '企业客户' })).toBeVisible();
  await staff.getByRole('button', { name: COMPANY }).click();
  const drawer = staff.getByRole('dialog');
  await expect(drawer.getByText(`企业认证：${COMPANY}`)).toBeVisible();
  await expect(drawer.getByRole('img', { name: /营业执照/ })).toBeVisible();
  await staff.screenshot({ path: '/tmp/entpeople-shots/review.png', fullPage: true });
  await button(drawer, '通过认证').click();
  await button(staff.getByRole('tooltip'), '确定').click();
  await expect(staff.getByText('已通过认证').first()).toBeVisible();

  // ---- 3. Verified: the admin joins an account with the code sent to the phone on file.
  await admin.goto(`${URLS.web}/enterprise/status`);
  await expect(admin.getByText('企业已通过认证')).toBeVisible();
  await admin.getByRole('button', { name: '进入企业服务' }).click();
  await expect(admin).toHaveURL(/\/home$/);
  const nav = admin.getByRole('navigation', { name: '企业服务菜单' });
  await expect(nav.getByRole('link', { name: '成员管理' })).toBeVisible();
  await expect(nav.getByText(COMPANY)).toBeVisible();

  await admin.goto(`${URLS.web}/home/sites/join`);
  await admin.getByLabel('用电户号').fill(JOIN_NUMBER);
  await button(admin, '查询').click();
  await expect(admin.getByText('预留手机验证', { exact: true })).toBeVisible();
  const joinAfter = Date.now() - 1000;
  await admin.getByRole('button', { name: '发送验证码' }).click();
  await expect(admin.getByText(/验证码已发送至 139\*\*\*\*9001/)).toBeVisible();
  await admin.getByLabel('验证码').fill(await smsCode('13900009001', joinAfter));
  await admin.getByRole('button', { name: '确认加入' }).click();
  await expect(admin.getByText(`户号 ${JOIN_NUMBER} 已加入本企业`)).toBeVisible();

  // ---- 4. Colleagues: a finance user and an electrician, invited by phone with a role.
  await admin.goto(`${URLS.web}/home/team`);
  await expect(admin.getByRole('heading', { name: '成员管理' })).toBeVisible();
  const inviteAfter = Date.now() - 1000;
  for (const [who, role] of [
    [FINANCE, '企业财务'],
    [ELEC, '电力信息员'],
  ] as const) {
    await admin.getByRole('button', { name: '邀请成员' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('姓名').fill(who.name);
    await dialog.getByLabel('手机号').fill(who.phone);
    await dialog.getByRole('radio', { name: role }).check();
    await dialog.getByRole('button', { name: '发送邀请' }).click();
    await expect(admin.getByText(`邀请短信已发送至 ${who.phone.slice(0, 3)}****${who.phone.slice(-4)}`)).toBeVisible();
    await expect(dialog).toBeHidden();
  }
  await expect(admin.getByRole('cell', { name: FINANCE.name })).toBeVisible();
  await admin.screenshot({ path: '/tmp/entpeople-shots/team.png', fullPage: true });

  // ---- 5. They accept with the SMS code and a password.
  const finance = await acceptInvite(browser, FINANCE, inviteAfter);
  await expect(finance.getByRole('navigation', { name: '企业服务菜单' }).getByRole('link', { name: '合并缴费' })).toBeVisible();

  const elec = await acceptInvite(browser, ELEC, inviteAfter);
  const elecNav = elec.getByRole('navigation', { name: '企业服务菜单' });
  await expect(elecNav.getByRole('link', { name: '故障报修' })).toBeVisible();
  await expect(elecNav.getByRole('link', { name: '合并缴费' })).toHaveCount(0);
  await expect(elecNav.getByRole('link', { name: '对账单' })).toHaveCount(0);
  await elec.goto(`${URLS.web}/home/batch-pay`);
  await expect(elec.getByText('无权访问此页面')).toBeVisible();
  await elec.screenshot({ path: '/tmp/entpeople-shots/elec-refused.png', fullPage: true });

  // The admin sees both as members now.
  await admin.reload();
  await expect(admin.getByRole('cell', { name: ELEC.name })).toBeVisible();
  await expect(admin.getByText('暂无待接受的邀请')).toBeVisible();

  // 企业信息: the company in full, its account manager with a work phone; finance reads the invoice title only.
  await admin.goto(`${URLS.web}/home/company`);
  await expect(admin.getByRole('heading', { name: '企业信息' })).toBeVisible();
  await expect(admin.getByText(CREDIT)).toBeVisible();
  await admin.getByLabel('开户银行').fill('中国工商银行长沙麓谷支行');
  await admin.getByRole('button', { name: '保存开票信息' }).click();
  await expect(admin.getByText('开票信息已保存')).toBeVisible();
  await admin.screenshot({ path: '/tmp/entpeople-shots/company.png', fullPage: true });
  await finance.goto(`${URLS.web}/home/company`);
  await expect(finance.getByText('中国工商银行长沙麓谷支行')).toBeVisible();
  await expect(finance.getByText('开票信息由企业管理员维护。')).toBeVisible();
  await expect(finance.getByRole('button', { name: '保存开票信息' })).toHaveCount(0);
});
