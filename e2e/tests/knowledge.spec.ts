import { expect, type Page } from '@playwright/test';
import { URLS, apiCall, test } from './env';
import { CTX, pageWith, releaseSmsSlot, residentState, staffLogin, staffToken, type StorageState } from './portal';

/**
 * Knowledge base (issue 13), read the way a person reads the screen: a resident finds the answer while typing a
 * consultation and files nothing; an editor's revision stays private until a reviewer approves it; an agent
 * answers with an article and a standard phrase and is told that 抱歉 is not the house style.
 */

test.describe.configure({ mode: 'serial' });

let resident: { state: StorageState; sentAt: number };
test.beforeAll(async ({ browser }) => {
  resident = await residentState(browser);
});
test.afterAll(async () => {
  await releaseSmsSlot(resident.sentAt);
});

/** A tRPC call through the web origin with the page's own cookies (what the portal itself does). */
async function viaWeb<T>(page: Page, kind: 'query' | 'mutation', path: string, input: unknown): Promise<T> {
  const headers = { 'content-type': 'application/json' };
  const res =
    kind === 'query'
      ? await page.request.get(`${URLS.web}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
      : await page.request.post(`${URLS.web}/trpc/${path}`, { headers, data: input });
  const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (body.error) throw new Error(`${path}: ${body.error.message}`);
  return body.result!.data;
}

type DeflectionRow = { categoryName: string; views: number; pending: number; resolvedClicks: number };

test('a resident types 家里没电了, reads the 停电 article, says 问题已解决: nothing is filed, the deflection is counted', async ({ browser }) => {
  const page = await pageWith(browser, resident.state);
  const supervisor = await staffToken('supervisor01');
  const range = { from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(Date.now() + 3600_000).toISOString() };
  const outageRow = async () =>
    (await apiCall<DeflectionRow[]>('query', 'knowledge.deflection', range, supervisor)).find((r) => r.categoryName === '停电与抢修')!;
  const before = await outageRow();
  const ordersBefore = (await viaWeb<unknown[]>(page, 'query', 'workorder.mine', { state: 'all', limit: 100 })).length;

  await page.goto(`${URLS.web}/home/request`);
  await page.getByLabel('问题描述').fill('家里没电了');
  const suggestions = page.locator('.ant-card').filter({ hasText: '这些文章也许能解决您的问题' });
  // The hit's own button carries its title as its name (查看 <title>); the title link beside it reads the same.
  const title = suggestions.getByRole('button', { name: '查看 家里突然停电了怎么办？', exact: true });
  await expect(title).toBeVisible();
  await title.click();

  const dialog = page.getByRole('dialog').filter({ hasText: '家里突然停电了怎么办？' });
  await expect(dialog.getByText('先拔掉刚刚在用的大功率电器', { exact: false })).toBeVisible();
  await dialog.getByRole('button', { name: '问题已解决' }).click();
  await expect(page.getByText('很高兴帮您解决了问题，本次无需提交。')).toBeVisible();

  expect((await viaWeb<unknown[]>(page, 'query', 'workorder.mine', { state: 'all', limit: 100 })).length).toBe(ordersBefore);
  const after = await outageRow();
  expect(after.views).toBe(before.views + 1);
  expect(after.resolvedClicks).toBe(before.resolvedClicks + 1);
  // Within 24 h it is on watch (观察中); it becomes 自助解决 once the day passes with no order.
  expect(after.pending).toBe(before.pending + 1);

  // The supervisor reads the same figure in the console.
  const sup = await (await browser.newContext(CTX)).newPage();
  await staffLogin(sup, 'supervisor01', '/staff/knowledge');
  await sup.getByRole('tab', { name: '自助解决统计' }).click();
  const row = sup.getByRole('row').filter({ hasText: '停电与抢修' });
  await expect(row).toContainText(String(after.resolvedClicks));
});

test('an editor revises a published article; readers keep the old text until a reviewer approves', async ({ browser }) => {
  const marker = `温馨提示：开通缴费提醒可以避免逾期（${Date.now().toString(36)}）。`;
  const editor = await (await browser.newContext(CTX)).newPage();
  await staffLogin(editor, 'expert01', '/staff/knowledge');
  await editor.getByPlaceholder('按标题查找').fill('违约金');
  await editor.getByPlaceholder('按标题查找').press('Enter');
  await editor.getByRole('button', { name: '电费违约金是怎么计算的', exact: true }).click();
  const drawer = editor.getByRole('dialog').filter({ hasText: '电费违约金是怎么计算的' });
  const body = drawer.getByLabel('正文');
  await expect(body).toHaveValue(/电费违约金/);
  await body.fill(`${await body.inputValue()}\n\n${marker}`);
  await drawer.getByRole('button', { name: '保存草稿' }).click();
  await expect(editor.getByText('草稿已保存')).toBeVisible();
  await drawer.getByRole('button', { name: '提交审核' }).click();
  await expect(drawer.getByText('待审核', { exact: true })).toBeVisible();

  // Everybody still reads the published version.
  const id = (await apiCall<{ id: string; title: string }[]>('query', 'knowledge.search', { q: '电费违约金', limit: 5 })).find(
    (h) => h.title === '电费违约金是怎么计算的',
  )!.id;
  const reader = await (await browser.newContext(CTX)).newPage();
  await reader.goto(`${URLS.web}/knowledge/${id}`);
  await expect(reader.getByRole('heading', { name: '电费违约金是怎么计算的' })).toBeVisible();
  await expect(reader.getByText('居民生活用电', { exact: false }).first()).toBeVisible();
  await expect(reader.getByText(marker)).toHaveCount(0);

  // The reviewer sees the difference and approves.
  const reviewer = await (await browser.newContext(CTX)).newPage();
  await staffLogin(reviewer, 'supervisor01', '/staff/knowledge');
  await reviewer.getByText('待审核', { exact: true }).first().click();
  await reviewer.getByRole('button', { name: '电费违约金是怎么计算的', exact: true }).click();
  const review = reviewer.getByRole('dialog').filter({ hasText: '电费违约金是怎么计算的' });
  await review.getByRole('tab', { name: '修订对比' }).click();
  await expect(review.getByText(`+ ${marker}`)).toBeVisible();
  await review.getByRole('button', { name: '审核通过并发布' }).click();
  await expect(reviewer.getByText('已发布', { exact: true }).first()).toBeVisible();

  await reader.reload();
  await expect(reader.getByText(marker)).toBeVisible();
  await review.getByRole('tab', { name: '修改历史' }).click();
  await expect(review.getByText('审核通过并发布').last()).toBeVisible();
  await expect(review.getByText('马值班长').first()).toBeVisible();
});

test('an agent inserts an article and a standard phrase into a reply and is warned about 抱歉', async ({ browser }) => {
  const page = await pageWith(browser, resident.state);
  const created = await viaWeb<{ id: string; orderNo: string }>(page, 'mutation', 'workorder.create', {
    type: 'consultation',
    category: '电费电价',
    description: '电费逾期几天了，违约金是怎么算的？',
    channel: 'web',
  });

  const agent = await (await browser.newContext(CTX)).newPage();
  await staffLogin(agent, 'agent01', '/staff/queue');
  const row = agent.getByRole('row').filter({ hasText: created.orderNo });
  await expect(row).toBeVisible({ timeout: 10_000 });
  await row.getByRole('button', { name: /认\s*领/ }).click();
  await expect(row.getByText('已受理', { exact: true })).toBeVisible();
  await row.click();
  const drawer = agent.getByRole('dialog').filter({ hasText: `工单 ${created.orderNo}` });
  const reply = drawer.getByPlaceholder('答复内容将展示给客户');

  await drawer.getByPlaceholder('搜索知识库，例如：违约金').fill('违约金');
  await drawer.getByPlaceholder('搜索知识库，例如：违约金').press('Enter');
  await drawer.getByRole('button', { name: '插入摘要 电费违约金是怎么计算的', exact: true }).click();
  await expect(reply).toHaveValue(/详见知识库文章《电费违约金是怎么计算的》/);

  await drawer.getByRole('tab', { name: '规范用语' }).click();
  await drawer.getByRole('tab', { name: '致歉' }).click();
  await drawer.getByRole('button', { name: '对不起，让您久等了，感谢您的耐心。' }).click();
  await expect(reply).toHaveValue(/对不起，让您久等了/);

  await reply.fill(`很抱歉回复晚了。${await reply.inputValue()}`);
  await drawer.getByRole('button', { name: '发送答复' }).click();
  await expect(drawer.getByText('发送前请注意规范用语')).toBeVisible();
  await expect(drawer.getByText('“抱歉”建议改为“对不起”', { exact: false })).toBeVisible();
  await drawer.getByRole('button', { name: '仍然发送' }).click();
  await expect(drawer.getByText('已答复', { exact: true }).first()).toBeVisible();
});
