import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config';
import { formatInvoiceNo, splitVat } from './documents.rules';
import { DocumentError, loadCjkFont, NO_FONT_MESSAGE, renderInvoice, renderReceipt } from './documents.pdf';

describe('CJK font and rendering', () => {
  const fontPath = loadConfig({ MONGODB_URI: 'mongodb://x', WECHAT_APP_SECRET: 'dev-x' }).RECEIPT_FONT_PATH;

  it('validates RECEIPT_FONT_PATH at start-up and names it', () => {
    const base = { MONGODB_URI: 'mongodb://x', WECHAT_APP_SECRET: 'dev-x' };
    expect(() => loadConfig({ ...base, RECEIPT_FONT_PATH: '/nonexistent/font.ttc' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, RECEIPT_FONT_PATH: '/etc/hostname' })).toThrow('RECEIPT_FONT_PATH');
    expect(() => loadConfig({ ...base, INVOICE_SELLER_TAX_ID: '123' })).toThrow('INVOICE_SELLER_TAX_ID');
  });

  it('refuses, in Chinese, when no font is configured or the font has no Chinese glyphs', () => {
    expect(() => loadCjkFont(undefined)).toThrow(NO_FONT_MESSAGE);
    expect(() => loadCjkFont('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf')).toThrow(DocumentError);
  });

  it.skipIf(!fontPath)('finds the installed CJK font by default and renders a receipt and an invoice', async () => {
    const font = loadCjkFont(fontPath);
    expect(font.postscriptName).toMatch(/SC|sc|Hei/);
    const receipt = {
      sellerName: '示范市供电有限公司',
      outTradeNo: 'PW260305003005123456789012',
      transactionId: '4200000000202603051234567890',
      paidAt: new Date('2026-03-04T16:30:05Z'),
      channel: 'native' as const,
      accountNumber: '3201000000001',
      holderNameMasked: '张*丰',
      addressMasked: '长沙市岳麓区麓山路****',
      onBehalf: true,
      lines: [{ label: '电费', period: '2026-02', kwh: 215, amountFen: 11200, lateFeeFen: 100 }],
      totalFen: 11300,
      refund: null,
      generatedAt: new Date(),
    };
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const pdf = await renderReceipt(font, receipt);
      times.push(performance.now() - t);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(5_000);
      expect(pdf.length).toBeLessThan(400_000);
    }
    const inv = await renderInvoice(font, {
      invoiceNo: formatInvoiceNo(2026, 7),
      issuedAt: new Date(),
      buyer: { type: 'company', name: '长沙星城制造有限公司', taxId: '91350100M000100Y43' },
      seller: { name: '示范市供电有限公司', taxId: '91430100MA4L00000F' },
      itemName: '*供电*电费',
      kwh: 215,
      ...splitVat(11300),
      totalFen: 11300,
      rateBp: 1300,
      remarks: ['户号：3201000000001'],
      refunded: false,
    });
    expect(inv.subarray(0, 5).toString()).toBe('%PDF-');
    console.info(
      `receipt render: first ${times[0]!.toFixed(0)} ms, then ${times
        .slice(1)
        .map((t) => t.toFixed(0))
        .join('/')} ms`,
    );
  });
});
