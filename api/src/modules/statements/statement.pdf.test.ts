import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { loadCjkFont } from '../billing/documents.pdf';
import { TARIFF_BAND_LABELS } from '../../shared/labels';
import { renderStatementPdf } from './statement.pdf';
import { accountLedger, addFigures, allocateFen, zeroFigures, type Component } from './statement.rules';
import type { StatementView } from './statement.service';

const fontPath = loadConfig({ MONGODB_URI: 'mongodb://x', WECHAT_APP_SECRET: 'dev-x' }).RECEIPT_FONT_PATH;

describe('statement PDF', () => {
  it.skipIf(!fontPath)('paginates 500 accounts with the headings repeated, in seconds', async () => {
    const font = loadCjkFont(fontPath);
    let totals = zeroFigures();
    const lines = Array.from({ length: 500 }, (_, i) => {
      const amountFen = 100_000 + i * 37;
      const figures = accountLedger(
        [
          {
            accountId: String(i),
            period: '2026-10',
            kwh: 1000 + i,
            amountFen,
            lateFeePaidFen: 0,
            paidAt: new Date('2026-11-10T02:00:00Z'),
            paymentId: null,
            components: allocateFen([{ band: 'single' as Component, kwh: 1000 + i, amountMilliFen: amountFen * 1000 }], amountFen),
          },
        ],
        '2026-11',
      );
      totals = addFigures(totals, figures);
      return {
        accountId: String(i),
        accountNumber: `33${String(i).padStart(11, '0')}`,
        siteName: `长沙市岳麓区麓谷大道${i}号，${i % 7}号厂房`,
        figures,
      };
    });
    const s: StatementView = {
      month: '2026-11',
      monthLabel: '2026年11月',
      fromDay: '2026-11-01',
      toDay: '2026-11-30',
      enterpriseName: '长沙星城制造有限公司',
      generatedAt: new Date().toISOString(),
      chargedPeriods: ['2026-10'],
      lines,
      totals,
      prepaidAccounts: 3,
      payments: [],
      otherPaymentsFen: totals.paymentsFen,
      current: false,
    };
    const t0 = Date.now();
    const pdf = await renderStatementPdf(font, s, TARIFF_BAND_LABELS as Record<Component, string>);
    const ms = Date.now() - t0;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    // ~27 lines a page after the first: 500 lines on 18–22 pages, none blank.
    expect(pages).toBeGreaterThanOrEqual(17);
    expect(pages).toBeLessThanOrEqual(23);
    expect(ms).toBeLessThan(15_000);
  });
});
