/**
 * The statement PDF (A4 landscape, the CJK font of billing/documents.pdf): a header with the company's
 * full name and the period, totals and tariff components, then one line per account, paginated (the
 * column headings repeat on every page, "第 n 页 / 共 m 页" at the foot), readable at 500 accounts.
 */
import type * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { fenToYuan, shanghaiDateTime } from '../billing/documents.rules';
import { COMPONENTS, LINE_HEADERS, lineCells, periodLabel, type Component } from './statement.rules';
import type { StatementView } from './statement.service';

const GRAY = '#666666';
const LINE = '#999999';
const PAGE = { width: 841.89, height: 595.28, margin: 36 };
const ROW_H = 18;

type Doc = PDFKit.PDFDocument;

const COLS: { width: number; align: 'left' | 'right' }[] = [
  { width: 92, align: 'left' },
  { width: 250, align: 'left' },
  { width: 70, align: 'right' },
  { width: 75, align: 'right' },
  { width: 75, align: 'right' },
  { width: 65, align: 'right' },
  { width: 75, align: 'right' },
  { width: 68, align: 'right' },
];

function rule(doc: Doc, y: number, width: number) {
  doc
    .moveTo(PAGE.margin, y)
    .lineTo(PAGE.margin + width, y)
    .strokeColor(LINE)
    .lineWidth(0.5)
    .stroke();
}

function row(doc: Doc, cells: string[], y: number, header = false) {
  let x = PAGE.margin;
  doc.fontSize(header ? 8.5 : 9).fillColor(header ? GRAY : 'black');
  COLS.forEach((c, i) => {
    doc.text(cells[i] ?? '', x + 3, y + 5, { width: c.width - 6, align: header ? 'center' : c.align, lineBreak: false, ellipsis: true });
    x += c.width;
  });
  rule(
    doc,
    y + ROW_H,
    COLS.reduce((s, c) => s + c.width, 0),
  );
}

export async function renderStatementPdf(font: fontkit.Font, s: StatementView, labels: Record<Component, string>): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: PAGE.margin,
    bufferPages: true,
    info: { Title: `${s.enterpriseName} 电费对账单 ${s.monthLabel}`, Author: 'power-service-platform' },
    lang: 'zh-CN',
  });
  // pdfkit accepts a fontkit font object at run time (see documents.pdf.ts).
  doc.registerFont('cjk', font as unknown as Buffer);
  doc.font('cjk');
  const width = COLS.reduce((s, c) => s + c.width, 0);
  const bottom = PAGE.height - PAGE.margin - 20;

  // Header: the company's name in full, the period.
  doc.fontSize(18).fillColor('black').text(`${s.enterpriseName}`, PAGE.margin, PAGE.margin, { width, align: 'center' });
  doc.fontSize(14).text(`电费对账单（${s.monthLabel}）`, { width, align: 'center' });
  doc
    .fontSize(9.5)
    .fillColor(GRAY)
    .text(
      `统计期间：${s.fromDay} 至 ${s.toDay}（北京时间）　本期电费账期：${s.chargedPeriods.map(periodLabel).join('、') || '无'}　户数：${s.lines.length}　生成时间：${shanghaiDateTime(new Date(s.generatedAt))}`,
      PAGE.margin,
      doc.y + 4,
      { width, align: 'center' },
    );
  let y = doc.y + 10;

  // Totals and components.
  const t = s.totals;
  const summary: [string, string][] = [
    ['期初欠费', fenToYuan(t.openingFen)],
    ['本期电费', fenToYuan(t.chargesFen)],
    ['违约金', fenToYuan(t.lateFeeFen)],
    ['本期缴费', fenToYuan(t.paymentsFen)],
    ['期末欠费', fenToYuan(t.closingFen)],
  ];
  doc.fontSize(10).fillColor('black');
  summary.forEach(([k, v], i) => {
    doc.fillColor(GRAY).text(`${k}（元）`, PAGE.margin + i * 154, y, { width: 150, lineBreak: false });
    doc
      .fillColor('black')
      .fontSize(12)
      .text(v, PAGE.margin + i * 154, y + 14, { width: 150, lineBreak: false });
    doc.fontSize(10);
  });
  y += 36;
  const used = COMPONENTS.filter((c) => t.components[c].kwh > 0 || t.components[c].fen !== 0);
  const comp = used.map((c) => `${labels[c]} ${t.components[c].kwh} kWh / ${fenToYuan(t.components[c].fen)} 元`).join('；');
  doc
    .fontSize(9.5)
    .fillColor(GRAY)
    .text(`按电价构成：${comp || '本期无电费'}`, PAGE.margin, y, { width });
  y = doc.y + 4;
  if (s.prepaidAccounts > 0) {
    doc.text(`另有智能交费户 ${s.prepaidAccounts} 户按日结算，不在本对账单内。`, PAGE.margin, y, { width });
    y = doc.y + 4;
  }
  doc.text('期末欠费 = 期初欠费 + 本期电费 + 违约金 − 本期缴费；未缴账单的违约金按实际缴费日计算，不计入期末欠费。', PAGE.margin, y, { width });
  y = doc.y + 8;

  // One line per account, paginated; headings on every page.
  rule(doc, y, width);
  row(doc, LINE_HEADERS, y, true);
  y += ROW_H;
  for (const l of s.lines) {
    if (y + ROW_H > bottom) {
      doc.addPage();
      y = PAGE.margin;
      rule(doc, y, width);
      row(doc, LINE_HEADERS, y, true);
      y += ROW_H;
    }
    row(doc, lineCells(l), y);
    y += ROW_H;
  }
  if (y + ROW_H > bottom) {
    doc.addPage();
    y = PAGE.margin;
  }
  doc.font('cjk');
  row(doc, lineCells({ accountNumber: '合计', siteName: `${s.lines.length}户`, figures: s.totals }), y);

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    doc.page.margins.bottom = 0; // the footer sits in the margin: no new page for it
    doc
      .fontSize(8.5)
      .fillColor(GRAY)
      .text(`${s.enterpriseName} · ${s.monthLabel}对账单 · 第 ${i + 1} 页 / 共 ${range.count} 页`, PAGE.margin, PAGE.height - PAGE.margin - 10, {
        width,
        align: 'center',
        lineBreak: false,
      });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
