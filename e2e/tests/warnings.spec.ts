import { expect, type Browser, type Page } from '@playwright/test';
import { apiCall, DEMO, staffLogin, test } from './env';

/**
 * Early warning and 督办 (issue 14), as the supervisor reads them: the warning board shows the seeded near-deadline
 * complaint with its countdown and the planted jump of fault reports with its evidence; the 督办 inbox holds the
 * seeded overdue escalation, which supervisor01 acknowledges and urges, and crew01 sees the urge on the crew page;
 * screen-pop shows the sensitive customer (api/src/seed/warnings.seed.ts).
 */
const SENSITIVE_PHONE = '13900000141';
const CREW01_CREW = '岳麓区抢修1班';
const SHOTS = process.env.E2E_SHOTS_DIR ?? '/tmp/e2e-shots';

test.describe.configure({ mode: 'serial' });

async function token(username: string): Promise<string> {
  return (await apiCall<{ accessToken: string }>('mutation', 'auth.passwordLogin', { username, password: DEMO.password })).accessToken;
}

async function open(browser: Browser, username: string, to: string): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1366, height: 900 } });
  const page = await ctx.newPage();
  await staffLogin(page, username, to);
  return page;
}

/** Waits until the warnings job has turned the seed's escalation into a 督办 item (it follows the event log). */
async function seededEscalation(supToken: string) {
  type Item = { id: string; orderId: string; orderNo: string; orderTypeLabel: string; deadlineLabel: string | null; source: string; state: string };
  let found: Item | undefined;
  await expect
    .poll(
      async () => {
        const r = await apiCall<{ items: Item[] }>('query', 'warnings.supervision', { state: 'all' }, supToken);
        const open = r.items.filter(
          (i) => i.source === 'sla' && i.orderTypeLabel === '故障报修' && i.deadlineLabel === '派单时限' && i.state === 'open',
        );
        // Other specs' fault reports may also have run past their dispatch deadline: the seed's is the one already with a crew.
        found = undefined;
        for (const i of open) {
          const o = await apiCall<{ assignee: { crewId: string | null } }>('query', 'workorder.get', { orderId: i.orderId }, supToken);
          if (o.assignee.crewId) {
            found = i;
            break;
          }
        }
        return !!found;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return found!;
}

test('the warning board shows the near-deadline complaint with its countdown and the planted jump with its evidence', async ({ browser }) => {
  const sup = await token('supervisor01');
  type Board = { nearDeadline: { orderNo: string; type: string }[]; anomalies: { areaName: string; count: number }[] };
  let board: Board | undefined;
  await expect
    .poll(
      async () => {
        board = await apiCall<Board>('query', 'warnings.board', undefined, sup);
        return board.nearDeadline.some((o) => o.type === 'complaint') && board.anomalies.length > 0;
      },
      { timeout: 90_000 },
    )
    .toBe(true);
  const complaint = board!.nearDeadline.find((o) => o.type === 'complaint')!;
  const jump = board!.anomalies.find((a) => a.count >= 6)!;

  const page = await open(browser, 'supervisor01', '/staff/warnings');
  await expect(page.getByRole('heading', { name: '预警看板' })).toBeVisible();
  const near = page.getByTestId('near-deadline').getByRole('row').filter({ hasText: complaint.orderNo });
  await expect(near).toContainText('投诉');
  await expect(near).toContainText('联系客户时限');
  await expect(near).toContainText(/剩余\s*\d/);
  // Before breach only: nothing on the list says 超时.
  await expect(page.getByTestId('near-deadline').getByText(/超时 \d/)).toHaveCount(0);

  const anomaly = page.getByTestId('anomalies').getByRole('row').filter({ hasText: jump.areaName });
  await expect(anomaly).toContainText('故障报修');
  await expect(anomaly).toContainText('泊松控制限');
  await expect(anomaly.getByRole('img', { name: `${jump.areaName} 近14天` })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: '常态日均（前28天）' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: '控制限' })).toBeVisible();
  // Backlog per region against crew capacity, and the weekly reports list.
  await expect(page.getByTestId('backlog').getByText('岳麓区供电所')).toBeVisible();
  const reports = page.getByTestId('weekly-reports');
  await expect(reports.getByText('服务质量周报', { exact: true })).toBeVisible();
  await expect(
    reports
      .getByRole('row')
      .filter({ hasText: '热线一班' })
      .getByRole('button', { name: /下载PDF/ }),
  ).toBeVisible();
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  await page.screenshot({ path: `${SHOTS}/warnings-board.png`, fullPage: true });

  // The supervisor's home: today's warnings and a few KPIs instead of company-wide account counts.
  await page.goto(page.url().replace(/\/staff\/warnings$/, '/staff'));
  await expect(page.getByTestId('card-supervision')).toContainText('待处理督办');
  await expect(page.getByTestId('card-near')).toContainText('临近超时工单');
  await expect(page.getByTestId('home-anomalies')).toContainText(jump.areaName);
  await expect(page.getByText('在册户号')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/warnings-home.png`, fullPage: true });
});

test('a supervisor acknowledges the overdue escalation in 督办 and urges the crew; crew01 sees the urge', async ({ browser }) => {
  const sup = await token('supervisor01');
  const item = await seededEscalation(sup);

  const page = await open(browser, 'supervisor01', '/staff/supervision');
  await expect(page.getByRole('heading', { name: '督办' })).toBeVisible();
  await expect(page.getByTestId('supervision-badge')).toContainText(/\d+/);
  // One card per 督办 item: a long run can also see the same order's arrival deadline pass (a second item).
  const card = page.getByTestId(`supervision-${item.id}`);
  await expect(card).toContainText(item.orderNo);
  await expect(card).toContainText('待处理');
  await expect(card).toContainText('超时自动督办');
  await expect(card).toContainText('派单时限');
  await card.getByRole('button', { name: /签\s*收/ }).click();
  // It moves to 已签收: open that tab and find it there, signed by 马值班长.
  await page.getByRole('tab', { name: /已签收/ }).click();
  const acked = page.getByTestId(`supervision-${item.id}`);
  await expect(acked).toContainText(/马值班长 于 .+ 签收/);

  await acked.getByRole('button', { name: /催\s*办/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('催办内容').fill('客户等待较久，请尽快到场处理');
  await dialog.getByRole('button', { name: /催\s*办/ }).click();
  // The urge writes a note on the order and a notice per crew member; on the shared embedded server it can queue
  // behind the roll-up jobs of a long run.
  await expect(page.getByText('已催办，处理人已收到通知')).toBeVisible({ timeout: 30_000 });
  await expect(acked).toContainText(`已催办：${CREW01_CREW}`);
  await expect(acked).toContainText('客户等待较久，请尽快到场处理');
  await page.screenshot({ path: `${SHOTS}/supervision.png`, fullPage: true });

  // The crew sees the urge on its page.
  const crew = await open(browser, 'crew01', '/staff/crew');
  const notice = crew.getByTestId('staff-notices');
  await expect(notice).toContainText(`督办催办：${item.orderNo}`);
  await expect(notice).toContainText('马值班长催办：客户等待较久，请尽快到场处理');
  await crew.screenshot({ path: `${SHOTS}/crew-urge.png`, fullPage: true });
});

test('screen-pop shows the sensitive customer with the reason', async ({ browser }) => {
  const page = await open(browser, 'agent01', '/staff/screen-pop');
  await page.getByPlaceholder('请输入来电手机号').fill(SENSITIVE_PHONE);
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await expect(page.getByText('敏感客户：12个月内投诉2次及以上')).toBeVisible({ timeout: 30_000 });
});
