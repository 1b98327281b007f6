import { expect } from '@playwright/test';
import { apiCall, DEMO, URLS, test } from './env';
import { button, CTX, releaseSmsSlot, smsCode, staffLogin, staffToken } from './portal';

/**
 * 积分 (issue 14, SPEC §3.6): an agent handles a consultation the resident then rates 5 stars; the accrual job
 * picks the events up and the agent reads the new entries, with their reasons, on 我的积分. Then the agent's
 * supervisor scores the order in 质检 with one failed item, and the agent sees the error entry.
 */

let sentAt = 0;

async function residentToken(): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const after = Date.now() - 1000;
    try {
      await apiCall('mutation', 'auth.sendSmsCode', { phone: DEMO.residentPhone });
    } catch (err) {
      const wait = Number(String(err).match(/(\d+)\s*秒/)?.[1] ?? 61);
      await new Promise((r) => setTimeout(r, (wait + 1) * 1000));
      continue;
    }
    sentAt = Date.now();
    const code = await smsCode(DEMO.residentPhone, after);
    const r = await apiCall<{ accessToken: string }>('mutation', 'auth.smsLogin', { phone: DEMO.residentPhone, code });
    return r.accessToken;
  }
  throw new Error('resident could not sign in');
}

test.afterAll(async () => {
  if (sentAt) await releaseSmsSlot(sentAt);
});

test('a rated order shows in 我的积分 with its reason; a 质检 failure adds an error entry', async ({ browser }) => {
  test.setTimeout(420_000);
  const resident = await residentToken();
  const agent = await staffToken('agent01');

  // The resident asks a question; agent01 claims, answers and resolves it; the resident rates it 5 stars.
  const created = await apiCall<{ id: string; orderNo: string; version: number }>(
    'mutation',
    'workorder.create',
    { type: 'consultation', description: '请问阶梯电价第二档从多少度开始计算？', channel: 'web' },
    resident,
  );
  let v = (await apiCall<{ version: number }>('mutation', 'workorder.claim', { orderId: created.id, version: created.version }, agent)).version;
  v = (
    await apiCall<{ version: number }>(
      'mutation',
      'workorder.reply',
      { orderId: created.id, version: v, notes: '您好，年用电量超过2520千瓦时的部分按第二档电价计算。', visibility: 'customer' },
      agent,
    )
  ).version;
  v = (await apiCall<{ version: number }>('mutation', 'workorder.resolve', { orderId: created.id, version: v, notes: '已答复阶梯电价规则' }, agent))
    .version;
  await apiCall('mutation', 'workorder.rate', { orderId: created.id, version: v, stars: 5, comment: '解答很清楚' }, resident);

  // agent01 opens 积分 → 我的积分 and finds both new entries with their reasons.
  const agentPage = await (await browser.newContext(CTX)).newPage();
  await staffLogin(agentPage, 'agent01', '/staff/points');
  await expect(agentPage.getByRole('tab', { name: '我的积分' })).toBeVisible();
  await expect(agentPage.getByText('累计积分')).toBeVisible();
  await expect(agentPage.getByText(`客户评价5星，工单 ${created.orderNo} +3`)).toBeVisible({ timeout: 20_000 });
  await expect(agentPage.getByText(`处理咨询工单 ${created.orderNo} +2`)).toBeVisible();
  await agentPage.screenshot({ path: '/tmp/points-shots/points-mine.png', fullPage: true });

  // The leaderboard ranks every agent across teams with agent01's own row marked.
  await agentPage.getByRole('tab', { name: '积分排行' }).click();
  await expect(agentPage.getByText('跨专业大排名')).toBeVisible();
  await expect(agentPage.getByRole('row', { name: /周晓燕.*我/ })).toBeVisible();

  // supervisor01 (热线一班, agent01's team) scores the order in 质检: 规范用语使用 fails.
  const sup = await (await browser.newContext(CTX)).newPage();
  await staffLogin(sup, 'supervisor01', '/staff/quality-checks');
  await sup.getByPlaceholder('输入工单编号').fill(created.orderNo);
  await button(sup, '查找').click();
  await expect(sup.getByText('处理过程')).toBeVisible();
  const form = sup.getByRole('form', { name: '质检清单' });
  await form.getByRole('radiogroup', { name: '规范用语使用' }).getByText('不合格').click();
  for (const item of ['分类正确', '信息完整', '答复准确', '处理及时'])
    await form.getByRole('radiogroup', { name: item }).getByText('合格', { exact: true }).click();
  await form.getByLabel('质检意见').fill('答复时未使用“您好，请讲”等规范用语');
  await sup.screenshot({ path: '/tmp/points-shots/points-qc.png', fullPage: true });
  await button(sup, '提交质检').click();
  await expect(sup.getByText('质检已提交')).toBeVisible();
  await expect(sup.getByText('您已质检过该工单')).toBeVisible();

  // agent01 sees the error entry with its reason.
  await agentPage.getByRole('tab', { name: '我的积分' }).click();
  await expect(agentPage.getByText(`质检差错：规范用语使用不合格，工单 ${created.orderNo} −2`)).toBeVisible({ timeout: 20_000 });
  await agentPage.screenshot({ path: '/tmp/points-shots/points-error.png', fullPage: true });
  void URLS;
});
