/**
 * Receipt and e-invoice PDFs (pdfkit) with an embedded CJK font.
 *
 * The font is parsed once per process and handed to pdfkit as a fontkit object: parsing the 19 MB
 * Noto CJK collection for every document tripled the render time. pdfkit subsets it per document, so a
 * receipt is ~60 KB. Without a usable font we refuse with a Chinese message instead of printing boxes.
 */
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { fenInWords, fenToYuan, shanghaiDateTime, type InvoiceTitle } from './documents.rules';

export class DocumentError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const NO_FONT_MESSAGE = '服务器未安装中文字体，暂时无法生成 PDF 文件，请稍后再试或联系客服';

/** Characters every document prints: a font without them would render empty boxes. */
const PROBE = '电费缴纳凭证发票户号金额税额合计';

const fontCache = new Map<string, fontkit.Font>();

/** Loads (once) the configured CJK font; from a collection (.ttc) the Simplified Chinese face. */
export function loadCjkFont(path: string | undefined, family?: string): fontkit.Font {
  if (!path) throw new DocumentError(503, NO_FONT_MESSAGE);
  const key = `${path}#${family ?? ''}`;
  const hit = fontCache.get(key);
  if (hit) return hit;
  let font: fontkit.Font | null;
  try {
    const parsed = fontkit.create(readFileSync(path));
    if ('fonts' in parsed) {
      // Noto's collection holds JP, KR, SC, TC and HK faces; JP first would print Japanese glyph shapes.
      font = family ? parsed.getFont(family) : (parsed.fonts.find((f) => /CJKsc|SC\b|GB|Hans/.test(f.postscriptName)) ?? parsed.fonts[0] ?? null);
    } else font = parsed;
  } catch {
    throw new DocumentError(503, NO_FONT_MESSAGE);
  }
  if (!font || !Array.from(PROBE).every((c) => font!.hasGlyphForCodePoint(c.codePointAt(0)!))) throw new DocumentError(503, NO_FONT_MESSAGE);
  fontCache.set(key, font);
  return font;
}

// ---------------------------------------------------------------------------------------------
// Document data (assembled by documents.service from the payment, account, bill and invoice)

export interface ReceiptLine {
  label: string;
  period: string | null;
  kwh: number | null;
  amountFen: number;
  lateFeeFen: number;
}

export interface ReceiptData {
  sellerName: string;
  outTradeNo: string;
  transactionId: string;
  paidAt: Date;
  channel: 'jsapi' | 'native';
  accountNumber: string;
  holderNameMasked: string;
  addressMasked: string;
  onBehalf: boolean;
  lines: ReceiptLine[];
  totalFen: number;
  refund: { amountFen: number; at: Date | null } | null;
  generatedAt: Date;
}

export interface InvoiceData {
  invoiceNo: string;
  issuedAt: Date;
  buyer: InvoiceTitle;
  seller: { name: string; taxId: string };
  itemName: string;
  kwh: number | null;
  netFen: number;
  taxFen: number;
  totalFen: number;
  rateBp: number;
  remarks: string[];
  refunded: boolean;
  /** 专票 (增值税专用发票) prints the buyer's address/phone and bank/account; default 普票. */
  kind?: 'normal' | 'special';
  buyerExtra?: { addressPhone: string; bankAccount: string } | null;
}

const CHANNEL_LABELS = { jsapi: '微信支付（小程序）', native: '微信支付（扫码，网上营业厅）' } as const;
const GRAY = '#666666';
const LINE = '#999999';
const RED = '#b42318';

type Doc = PDFKit.PDFDocument;

function newDoc(font: fontkit.Font, title: string): Doc {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: title, Author: 'power-service-platform' }, lang: 'zh-CN' });
  // pdfkit accepts a fontkit font object at run time (see PDFFontFactory.open); its types only list files and buffers.
  doc.registerFont('cjk', font as unknown as Buffer);
  doc.font('cjk');
  return doc;
}

function finish(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

interface Col {
  title: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

/** A ruled table; returns the y below it. */
function table(doc: Doc, x: number, y: number, cols: Col[], rows: string[][], rowH = 22): number {
  const total = cols.reduce((s, c) => s + c.width, 0);
  const drawRow = (cells: string[], top: number, header: boolean) => {
    let cx = x;
    doc.fontSize(header ? 9.5 : 10).fillColor(header ? GRAY : 'black');
    cols.forEach((c, i) => {
      doc.text(cells[i] ?? '', cx + 4, top + 6, {
        width: c.width - 8,
        align: header ? 'center' : (c.align ?? 'left'),
        lineBreak: false,
        ellipsis: true,
      });
      cx += c.width;
    });
    doc
      .moveTo(x, top + rowH)
      .lineTo(x + total, top + rowH)
      .strokeColor(LINE)
      .lineWidth(0.5)
      .stroke();
  };
  doc
    .moveTo(x, y)
    .lineTo(x + total, y)
    .strokeColor(LINE)
    .lineWidth(0.5)
    .stroke();
  drawRow(
    cols.map((c) => c.title),
    y,
    true,
  );
  rows.forEach((r, i) => {
    drawRow(r, y + rowH * (i + 1), false);
  });
  return y + rowH * (rows.length + 1);
}

function keyValues(doc: Doc, x: number, y: number, rows: [string, string][], labelW = 120, width = 495): number {
  for (const [k, v] of rows) {
    doc.fontSize(10.5).fillColor(GRAY).text(k, x, y, { width: labelW, lineBreak: false });
    doc.fillColor('black').text(v, x + labelW, y, { width: width - labelW });
    y = Math.max(doc.y, y + 20) + 2;
  }
  return y;
}

function stamp(doc: Doc, text: string, x: number, y: number) {
  doc.save().rotate(-12, { origin: [x + 50, y + 18] });
  doc.roundedRect(x, y, 100, 36, 6).lineWidth(2).strokeColor(RED).stroke();
  doc
    .fontSize(18)
    .fillColor(RED)
    .text(text, x, y + 7, { width: 100, align: 'center', lineBreak: false });
  doc.restore();
}

const yuan = (fen: number) => `¥${fenToYuan(fen)}`;

/** 电费缴费凭证: proof of a paid (or refunded, then stamped 已退款) payment; not a tax document. */
export async function renderReceipt(font: fontkit.Font, r: ReceiptData): Promise<Buffer> {
  const doc = newDoc(font, `电费缴费凭证 ${r.outTradeNo}`);
  doc.fontSize(20).fillColor('black').text('电费缴费凭证', 50, 50, { width: 495, align: 'center' });
  doc.fontSize(10).fillColor(GRAY).text(`收款单位：${r.sellerName}`, 50, 80, { width: 495, align: 'center' });
  if (r.refund) stamp(doc, '已退款', 430, 40);
  else if (r.onBehalf) stamp(doc, '代  缴', 430, 40);

  let y = keyValues(doc, 50, 112, [
    ['商户订单号', r.outTradeNo],
    ['微信支付交易单号', r.transactionId],
    ['支付时间', `${shanghaiDateTime(r.paidAt)}（北京时间）`],
    ['支付渠道', CHANNEL_LABELS[r.channel]],
    ['户号', r.accountNumber],
    ['户名', r.holderNameMasked],
    ['用电地址', r.addressMasked],
    ['缴费方式', r.onBehalf ? '代缴（由他人代为缴纳）' : '本人缴费'],
  ]);

  y = table(
    doc,
    50,
    y + 10,
    [
      { title: '项目', width: 110 },
      { title: '账期', width: 80, align: 'center' },
      { title: '电量（kWh）', width: 75, align: 'right' },
      { title: '电费（元）', width: 80, align: 'right' },
      { title: '违约金（元）', width: 70, align: 'right' },
      { title: '小计（元）', width: 80, align: 'right' },
    ],
    r.lines.map((l) => [
      l.label,
      l.period ?? '—',
      l.kwh == null ? '—' : String(l.kwh),
      fenToYuan(l.amountFen),
      fenToYuan(l.lateFeeFen),
      fenToYuan(l.amountFen + l.lateFeeFen),
    ]),
  );
  doc
    .fontSize(11)
    .fillColor('black')
    .text(`合计（大写）${fenInWords(r.totalFen)}`, 50, y + 12, { width: 330, lineBreak: false });
  doc.text(`（小写）${yuan(r.totalFen)}`, 380, y + 12, { width: 165, align: 'right', lineBreak: false });
  y += 40;
  if (r.refund) {
    const when = r.refund.at ? `于 ${shanghaiDateTime(r.refund.at)} ` : '';
    doc
      .fontSize(10.5)
      .fillColor(RED)
      .text(`本笔款项已${when}退款 ${yuan(r.refund.amountFen)}，原路退回付款账户。`, 50, y, { width: 495 });
    y = doc.y + 8;
  }
  doc
    .fontSize(9)
    .fillColor(GRAY)
    .text('本凭证由系统根据微信支付结果自动生成，仅作缴费证明，不作为报销凭证；如需报销，请在缴费记录中申请电子发票。', 50, y + 10, { width: 495 })
    .text(`生成时间：${shanghaiDateTime(r.generatedAt)}（北京时间）`, { width: 495 });
  return finish(doc);
}

/** 电子发票（增值税普通发票）for one paid payment. */
export async function renderInvoice(font: fontkit.Font, v: InvoiceData): Promise<Buffer> {
  const doc = newDoc(font, `电子发票 ${v.invoiceNo}`);
  const special = v.kind === 'special';
  doc
    .fontSize(20)
    .fillColor(RED)
    .text(special ? '电子发票（增值税专用发票）' : '电子发票（普通发票）', 50, 50, { width: 495, align: 'center' });
  doc.moveTo(200, 78).lineTo(395, 78).moveTo(200, 81).lineTo(395, 81).strokeColor(RED).lineWidth(0.8).stroke();
  const d = shanghaiDateTime(v.issuedAt);
  doc.fontSize(10).fillColor('black').text(`发票号码：${v.invoiceNo}`, 345, 92, { width: 200, align: 'right' });
  doc.text(`开票日期：${d.slice(0, 4)}年${d.slice(5, 7)}月${d.slice(8, 10)}日`, 345, 108, { width: 200, align: 'right' });
  if (v.refunded) stamp(doc, '已退款', 60, 40);

  // Buyer | seller box.
  const top = 132;
  doc.rect(50, top, 495, 76).lineWidth(0.8).strokeColor(RED).stroke();
  doc
    .moveTo(297, top)
    .lineTo(297, top + 76)
    .stroke();
  const party = (x: number, label: string, name: string, taxId: string | null) => {
    doc
      .fontSize(10)
      .fillColor(RED)
      .text(label, x + 8, top + 8, { lineBreak: false });
    doc.fillColor('black').text(`名称：${name}`, x + 8, top + 26, { width: 230, lineBreak: false, ellipsis: true });
    doc
      .fontSize(9)
      .fillColor(GRAY)
      .text('统一社会信用代码/纳税人识别号：', x + 8, top + 44, { lineBreak: false });
    doc
      .fontSize(10)
      .fillColor('black')
      .text(taxId ?? '', x + 8, top + 58, { width: 230, lineBreak: false });
  };
  party(50, '购买方信息', v.buyer.name, v.buyer.type === 'company' ? v.buyer.taxId : null);
  party(297, '销售方信息', v.seller.name, v.seller.taxId);
  let boxBottom = top + 76;
  if (v.buyerExtra) {
    // 专票: the buyer's registered address and phone, bank and account, under the parties' box.
    doc.rect(50, boxBottom, 495, 40).lineWidth(0.8).strokeColor(RED).stroke();
    doc
      .fontSize(9)
      .fillColor('black')
      .text(`购买方地址、电话：${v.buyerExtra.addressPhone}`, 58, boxBottom + 7, { width: 480, lineBreak: false, ellipsis: true })
      .text(`购买方开户行及账号：${v.buyerExtra.bankAccount}`, 58, boxBottom + 23, { width: 480, lineBreak: false, ellipsis: true });
    boxBottom += 40;
  }

  const rate = `${v.rateBp / 100}%`;
  let y = table(
    doc,
    50,
    boxBottom + 14,
    [
      { title: '项目名称', width: 120 },
      { title: '单位', width: 45, align: 'center' },
      { title: '数量', width: 70, align: 'right' },
      { title: '金额（元）', width: 95, align: 'right' },
      { title: '税率/征收率', width: 70, align: 'center' },
      { title: '税额（元）', width: 95, align: 'right' },
    ],
    [
      [v.itemName, v.kwh == null ? '' : 'kWh', v.kwh == null ? '' : String(v.kwh), fenToYuan(v.netFen), rate, fenToYuan(v.taxFen)],
      ['合计', '', '', yuan(v.netFen), '', yuan(v.taxFen)],
    ],
  );
  doc
    .fontSize(11)
    .fillColor('black')
    .text(`价税合计（大写）${fenInWords(v.totalFen)}`, 50, y + 12, { width: 330, lineBreak: false });
  doc.text(`（小写）${yuan(v.totalFen)}`, 380, y + 12, { width: 165, align: 'right', lineBreak: false });
  y += 44;
  doc.fontSize(10).fillColor(GRAY).text('备注', 50, y, { lineBreak: false });
  doc.fillColor('black').text(v.remarks.join('\n'), 100, y, { width: 445 });
  y = doc.y + 16;
  if (v.refunded) {
    doc.fontSize(10).fillColor(RED).text('本发票对应的款项已退款。', 50, y, { width: 495 });
    y = doc.y + 8;
  }
  doc.fontSize(10).fillColor('black').text('开票人：系统自动开具', 50, y, { width: 495 });
  return finish(doc);
}

// ---------------------------------------------------------------------------------------------
// 合并缴费 receipt: one document for the whole payment, a line per bill (pages as needed)

export interface BatchReceiptLine {
  accountNumber: string;
  siteName: string;
  period: string;
  billFen: number;
  lateFeeFen: number;
  /** Paid elsewhere meanwhile, refunded (shown, not counted as paid). */
  refunded: boolean;
}

export interface BatchReceiptData {
  sellerName: string;
  payerName: string;
  outTradeNo: string;
  transactionId: string;
  paidAt: Date;
  lines: BatchReceiptLine[];
  totalFen: number;
  refund: { amountFen: number; at: Date | null; done: boolean } | null;
  generatedAt: Date;
}

/** 电费缴费凭证（合并缴费）: the payer, the order and a row per bill; the refunded part stamped and stated. */
export async function renderBatchReceipt(font: fontkit.Font, r: BatchReceiptData): Promise<Buffer> {
  const doc = newDoc(font, `电费缴费凭证（合并缴费） ${r.outTradeNo}`);
  doc.fontSize(20).fillColor('black').text('电费缴费凭证（合并缴费）', 50, 50, { width: 495, align: 'center' });
  doc.fontSize(10).fillColor(GRAY).text(`收款单位：${r.sellerName}`, 50, 80, { width: 495, align: 'center' });
  if (r.refund) stamp(doc, '部分退款', 430, 40);
  const paidLines = r.lines.filter((l) => !l.refunded);
  let y = keyValues(doc, 50, 112, [
    ['缴费单位', r.payerName],
    ['商户订单号', r.outTradeNo],
    ['微信支付交易单号', r.transactionId],
    ['支付时间', `${shanghaiDateTime(r.paidAt)}（北京时间）`],
    ['支付渠道', CHANNEL_LABELS.native],
    ['账单', `共${r.lines.length}张，涉及${new Set(r.lines.map((l) => l.accountNumber)).size}个户号；已结清${paidLines.length}张`],
  ]);
  const cols: Col[] = [
    { title: '户号', width: 88 },
    { title: '站点', width: 120 },
    { title: '账期', width: 52, align: 'center' },
    { title: '电费（元）', width: 70, align: 'right' },
    { title: '违约金（元）', width: 66, align: 'right' },
    { title: '状态', width: 99, align: 'center' },
  ];
  const fit = (text: string, max: number) =>
    Array.from(text).length > max
      ? `${Array.from(text)
          .slice(0, max - 1)
          .join('')}…`
      : text;
  const rows = r.lines.map((l) => [
    l.accountNumber,
    fit(l.siteName, 11),
    l.period,
    fenToYuan(l.billFen),
    fenToYuan(l.lateFeeFen),
    l.refunded ? '他人已缴，已退款' : '已结清',
  ]);
  const perPage = (top: number) => Math.max(1, Math.floor((780 - top) / 22) - 1);
  let start = 0;
  y += 10;
  while (start < rows.length) {
    const n = perPage(y);
    y = table(doc, 50, y, cols, rows.slice(start, start + n));
    start += n;
    if (start < rows.length) {
      doc.addPage();
      doc.font('cjk');
      y = 50;
    }
  }
  if (y > 700) {
    doc.addPage();
    doc.font('cjk');
    y = 50;
  }
  const paidFen = r.totalFen - (r.refund?.amountFen ?? 0);
  doc
    .fontSize(11)
    .fillColor('black')
    .text(`实缴合计（大写）${fenInWords(paidFen)}`, 50, y + 12, { width: 330, lineBreak: false });
  doc.text(`（小写）${yuan(paidFen)}`, 380, y + 12, { width: 165, align: 'right', lineBreak: false });
  y += 36;
  if (r.refund) {
    const when = r.refund.at ? `于 ${shanghaiDateTime(r.refund.at)} ` : '';
    doc
      .fontSize(10.5)
      .fillColor(RED)
      .text(
        `订单支付 ${yuan(r.totalFen)}，其中已由他人缴清的账单部分 ${yuan(r.refund.amountFen)} ${r.refund.done ? `已${when}` : '正在'}原路退回付款账户。`,
        50,
        y,
        { width: 495 },
      );
    y = doc.y + 8;
  }
  doc
    .fontSize(9)
    .fillColor(GRAY)
    .text('本凭证由系统根据微信支付结果自动生成，仅作缴费证明，不作为报销凭证。', 50, y + 10, { width: 495 })
    .text(`生成时间：${shanghaiDateTime(r.generatedAt)}（北京时间）`, { width: 495 });
  return finish(doc);
}
