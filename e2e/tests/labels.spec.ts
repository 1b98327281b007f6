import { expect } from '@playwright/test';
import { FAULT_KIND_LABELS, ORDER_TYPE_LABELS, PAYMENT_MODE_LABELS } from '@power/api/labels';
import { DEMO, staffLogin, test } from './env';
import { bindAccount, openPage, PHONE, shown, tap, wechatLogin } from './mp';

/**
 * Enum labels from one source (api/src/shared/labels.ts): the mini-program's fault form and account card and the
 * staff console's order show the same words for the same values — 整户停电 everywhere, never 家中无电.
 */
const SHOTS = '/tmp/e2e-shots';

test('the mini-program and the staff console name a fault kind with the same words', async ({ browser }) => {
  const mp = await (await browser.newContext({ ...PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage();
  await wechatLogin(mp, `e2e-labels-${Date.now()}`);
  await bindAccount(mp, { number: DEMO.prepaid.number, holderName: DEMO.prepaid.holderName });
  // The account card: the payment mode in the domain's word (智能交费).
  await expect(shown(mp, new RegExp(PAYMENT_MODE_LABELS.prepaid)).first()).toBeVisible();
  await openPage(mp, '/pages/service/index');
  await tap(mp, ORDER_TYPE_LABELS.fault_repair);
  for (const k of ['whole_house_outage', 'area_outage', 'flicker', 'sparking', 'meter_problem'] as const) {
    await expect(shown(mp, FAULT_KIND_LABELS[k]).first()).toBeVisible();
  }
  await expect(shown(mp, '家中无电')).toHaveCount(0);
  await mp.screenshot({ path: `${SHOTS}/labels-mp-fault-form.png`, fullPage: true });

  // File a whole-house report; the dispatcher sees it under the same name.
  await tap(mp, FAULT_KIND_LABELS.whole_house_outage);
  await mp.locator('#fault-desc textarea').fill(`家里整户没电了 e2e-labels-${Date.now()}`);
  const phoneInput = mp.getByRole('spinbutton', { name: '请输入 11 位手机号' });
  await expect(phoneInput.or(shown(mp, '户号预留手机')).first()).toBeVisible();
  if (await phoneInput.isVisible()) await phoneInput.fill('13900000007');
  await tap(mp, '提交报修');
  await expect(shown(mp, /^GD\d{8}-\d{6}$/).first()).toBeVisible();

  const staff = await (await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 800 } })).newPage();
  await staffLogin(staff, 'dispatcher01', '/staff/dispatch');
  await expect(staff.getByText(FAULT_KIND_LABELS.whole_house_outage).first()).toBeVisible();
  await expect(staff.getByText('家中无电')).toHaveCount(0);
  await staff.screenshot({ path: `${SHOTS}/labels-staff-dispatch.png`, fullPage: true });
});
