import { readFile } from 'node:fs/promises';
import { expect, type Browser, type Page } from '@playwright/test';
import { apiCall, pickOption, test } from './env';
import { button, CTX, staffLogin, staffToken } from './portal';

/**
 * 质量报表 (issue 14), the way a supervisor uses it: supervisor01 (热线一班, regions 岳麓区…开福区) opens the
 * dashboard, narrows it to one region and last week (a full past week of the seeded history), clicks the on-time
 * figure, reads the orders behind it and exports them; the CSV holds exactly the rows of the table. A region outside
 * the supervisor's teams is not offered and the API refuses it; admin sees every region (管理层视图).
 */

const MY_REGION = '岳麓区供电所';
const OTHER_REGION = '雨花区供电所';

/** Last week, Monday to Sunday in China time (UTC+8 all year), as 'YYYY-MM-DD' days. */
function lastWeek(now = Date.now()): { from: string; to: string } {
  const day = new Date(now + 8 * 3_600_000);
  const today = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * 86_400_000 - 7 * 86_400_000;
  const ymd = (t: number) => new Date(t).toISOString().slice(0, 10);
  return { from: ymd(monday), to: ymd(monday + 6 * 86_400_000) };
}

async function open(browser: Browser, username: string, width = 1280): Promise<Page> {
  const ctx = await browser.newContext({ ...CTX, viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await ctx.newPage();
  await staffLogin(page, username, '/staff');
  return page;
}

/** Minimal CSV reader (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

test('a supervisor narrows the dashboard to one region and last week, drills into the on-time rate and exports exactly those orders', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const page = await open(browser, 'supervisor01');
  await page.getByRole('menuitem', { name: /质量报表/ }).click();
  await expect(page).toHaveURL(/\/staff\/reports/);
  await expect(page.getByRole('heading', { name: '质量报表' })).toBeVisible();
  await expect(page.getByText('班组：热线一班')).toBeVisible();

  // Narrow: one region of the supervisor's, last week (Monday–Sunday, China time), by day.
  // Each pick is read back from the URL; a pick lost to a re-render of the filter bar (a busy run) is picked again.
  const pickUntil = (combobox: string, option: string, url: RegExp) =>
    expect(async () => {
      await pickOption(page.getByRole('combobox', { name: combobox }), option);
      await expect(page).toHaveURL(url, { timeout: 3_000 });
    }).toPass({ timeout: 30_000 });
  await pickUntil('统计周期', '本月', /period=this_month/);
  await pickUntil('统计周期', '上周', /period=last_week/);
  await pickUntil('区域', MY_REGION, /regionId=/);
  await expect(page).toHaveURL(/period=last_week/);
  await expect(page).toHaveURL(/regionId=/);
  await expect(page.getByText(/至/).first()).toBeVisible();

  // The region is not a raw id anywhere; no ISO timestamps on the page.
  const body = await page.locator('body').innerText();
  expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  expect(body).not.toMatch(/\b[0-9a-f]{24}\b/);

  // The on-time figure opens the orders behind it.
  const onTime = page.getByRole('button', { name: /^及时率 \d/ }).first();
  await expect(onTime).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: '/tmp/reports-1280.png', fullPage: true });
  const onTimeText = (await onTime.getAttribute('aria-label')) ?? '';
  await onTime.click();
  const drawer = page.getByRole('dialog').filter({ hasText: '明细工单' });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByText(/共 \d+ 单/).first()).toBeVisible();
  await expect(drawer.getByRole('columnheader', { name: '工单编号' })).toBeVisible();
  await expect(drawer.getByRole('cell', { name: /^(全部达标|有超时)$/ }).first()).toBeVisible();
  await page.screenshot({ path: '/tmp/reports-drill-1280.png' });

  // Every row of every page of the table (100 a page), cell by cell.
  const total = Number(
    (
      await drawer
        .getByText(/^共 \d+ 单$/)
        .first()
        .innerText()
    ).match(/\d+/)![0],
  );
  expect(total).toBeGreaterThan(0);
  await drawer.locator('.ant-pagination-options').getByRole('combobox').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('100 条/页', { exact: true }).click();
  const headers = (await drawer.locator('.ant-table-thead th').allInnerTexts()).map((h) => h.trim()).filter(Boolean);
  const seen: string[][] = [];
  const rows = drawer.locator('.ant-table-tbody tr.ant-table-row');
  for (let p = 1; ; p++) {
    await expect(rows.first()).toBeVisible();
    await expect(drawer.locator('.ant-spin-spinning')).toHaveCount(0);
    for (const tr of await rows.all()) seen.push((await tr.locator('td').allInnerTexts()).map((c) => c.trim()));
    const next = drawer.locator('.ant-pagination-next');
    if (seen.length >= total || (await next.getAttribute('aria-disabled')) === 'true') break;
    const first = (await rows.first().locator('td').first().innerText()).trim();
    await next.click();
    await expect(rows.first().locator('td').first()).not.toHaveText(first);
  }
  expect(seen.length).toBe(total);
  expect(new Set(seen.map((r) => r[0])).size).toBe(total);

  // 导出 CSV: the same rows, row for row, under the same headers.
  const [download] = await Promise.all([page.waitForEvent('download'), drawer.getByRole('button', { name: /导出 CSV/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const raw = await readFile((await download.path())!, 'utf8');
  expect(raw.charCodeAt(0)).toBe(0xfeff);
  const csv = parseCsv(raw.slice(1)).filter((r) => r.some((c) => c !== ''));
  expect(csv[0]).toEqual(headers);
  const csvRows = csv.slice(1);
  expect(csvRows.length).toBe(total);
  const key = (r: string[]) => r.join('|');
  expect(csvRows.map(key).sort()).toEqual(seen.map(key).sort());
  expect(raw).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  test.info().annotations.push({ type: 'on-time', description: `${onTimeText}; ${total} rows` });
  await page.context().close();
});

test('a supervisor cannot pick a region outside their teams and the API refuses it; admin sees every region', async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await open(browser, 'supervisor01');
  await page.goto(`${page.url().replace(/\/staff.*$/, '')}/staff/reports`);
  await expect(page.getByRole('heading', { name: '质量报表' })).toBeVisible();
  await page.getByRole('combobox', { name: '区域' }).click();
  const dropdown = page.locator('.ant-select-dropdown:visible');
  await expect(dropdown.getByTitle(MY_REGION, { exact: true })).toBeVisible();
  await expect(dropdown.getByTitle(OTHER_REGION, { exact: true })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await page.context().close();

  // The API refuses the region even when asked directly.
  const adminScope = await apiCall<{ regions: { id: string; name: string }[] }>('query', 'quality.scope', undefined, await staffToken('admin01'));
  const other = adminScope.regions.find((r) => r.name === OTHER_REGION)!;
  expect(other).toBeTruthy();
  const sup = await staffToken('supervisor01');
  const week = lastWeek();
  await expect(apiCall('query', 'quality.dashboard', { ...week, filters: { regionIds: [other.id] } }, sup)).rejects.toThrow(/不在您负责/);
  await expect(
    apiCall('query', 'quality.drill', { metric: 'on_time', kind: 'all', part: 'denominator', ...week, filters: { regionIds: [other.id] } }, sup),
  ).rejects.toThrow(/不在您负责/);

  // Admin: the management view over every region.
  const admin = await open(browser, 'admin01', 1920);
  await admin.getByRole('menuitem', { name: /质量报表/ }).click();
  await expect(admin.getByText('管理层视图', { exact: true })).toBeVisible();
  await expect(admin.getByRole('combobox', { name: '区域' })).toBeVisible();
  await expect(admin.getByText('全部区域').first()).toBeVisible();
  await admin.getByRole('combobox', { name: '区域' }).click();
  const all = admin.locator('.ant-select-dropdown:visible');
  await expect(all.getByTitle(OTHER_REGION, { exact: true })).toBeVisible();
  await expect(all.getByTitle(MY_REGION, { exact: true })).toBeVisible();
  await admin.keyboard.press('Escape');
  await expect(admin.getByRole('button', { name: /^及时率 \d/ }).first()).toBeVisible({ timeout: 30_000 });
  await admin.screenshot({ path: '/tmp/reports-1920.png', fullPage: true });
  await expect(button(admin, '重置筛选')).toBeVisible();
  await admin.context().close();
});
