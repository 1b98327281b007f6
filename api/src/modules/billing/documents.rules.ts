/**
 * Pure rules for receipts and e-invoices (no I/O): VAT split in integer fen, amounts in words (大写),
 * the buyer title with its unified social credit code, invoice numbers, file names.
 */
import { z } from 'zod';

/** VAT on electricity supply (电力 13%), in basis points. */
export const VAT_RATE_BP = 1300;

/**
 * Splits a tax-inclusive total into amount-excluding-tax and VAT with one rounding (half up on the
 * net amount); the tax is the remainder, so net + tax always equals the paid total.
 * 11300 fen at 13% → 10000 + 1300.
 */
export function splitVat(totalFen: number, rateBp = VAT_RATE_BP): { netFen: number; taxFen: number } {
  if (!Number.isSafeInteger(totalFen) || totalFen < 0) throw new RangeError(`totalFen must be a non-negative integer: ${totalFen}`);
  if (!Number.isInteger(rateBp) || rateBp < 0 || rateBp > 10_000) throw new RangeError(`rateBp out of range: ${rateBp}`);
  const d = 10_000 + rateBp;
  // net = round(total × 10000 / d), half up, integers only: floor((2·total·10000 + d) / (2d)).
  const netFen = Math.floor((2 * totalFen * 10_000 + d) / (2 * d));
  return { netFen, taxFen: totalFen - netFen };
}

/** 123456 → "1,234.56" (integer arithmetic, no float division). */
export function fenToYuan(fen: number): string {
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${neg ? '-' : ''}${String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${String(cents).padStart(2, '0')}`;
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const UNITS = ['', '拾', '佰', '仟'];
const GROUPS = ['', '万', '亿', '万亿'];

function integerInWords(n: number): string {
  if (n === 0) return '零';
  const s = String(n);
  let out = '';
  let pendingZero = false;
  for (let i = 0; i < s.length; i++) {
    const d = Number(s[i]);
    const pos = s.length - 1 - i;
    if (d === 0) pendingZero = out.length > 0;
    else {
      if (pendingZero) out += '零';
      pendingZero = false;
      out += DIGITS[d] + UNITS[pos % 4];
    }
    // End of a four-digit group: name it (万/亿) unless the whole group was zero.
    if (pos % 4 === 0 && pos > 0 && /[1-9]/.test(s.slice(Math.max(0, i - 3), i + 1))) out += GROUPS[pos / 4];
  }
  return out;
}

/** Amount in capital numerals as printed on invoices: 11300 → 壹佰壹拾叁元整, 1005 → 壹拾元零伍分. */
export function fenInWords(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`fen must be a non-negative integer: ${fen}`);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor((fen % 100) / 10);
  const f = fen % 10;
  if (jiao === 0 && f === 0) return `${integerInWords(yuan)}元整`;
  let out = yuan > 0 ? `${integerInWords(yuan)}元` : '';
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (yuan > 0) out += '零';
  if (f > 0) out += `${DIGITS[f]}分`;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Unified social credit code (统一社会信用代码, GB 32100-2015)

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The 18th character for the first 17 (null if a character is outside the code's alphabet). */
export function usccCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(first17[i] ?? '');
    if (v < 0) return null;
    sum += v * USCC_WEIGHTS[i]!;
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31]!;
}

export function isValidUscc(code: string): boolean {
  return /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code) && usccCheckChar(code.slice(0, 17)) === code[17];
}

export const usccSchema = z
  .string({ error: '请填写统一社会信用代码' })
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-Z]{18}$/, '统一社会信用代码应为 18 位数字或大写字母')
  .refine((v) => /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(v), '统一社会信用代码含有无效字符（不使用 I、O、Z、S、V）')
  .refine(isValidUscc, '统一社会信用代码校验位不正确，请核对后重新填写');

/** Buyer title (发票抬头): 个人 with a name, or 单位 with the company name and its credit code. */
export const invoiceTitleSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('personal'),
      name: z.string({ error: '请填写发票抬头（姓名）' }).trim().min(2, '发票抬头（姓名）至少 2 个字').max(50, '发票抬头不超过 50 个字'),
    }),
    z.object({
      type: z.literal('company'),
      name: z.string({ error: '请填写单位名称' }).trim().min(4, '单位名称至少 4 个字').max(100, '单位名称不超过 100 个字'),
      taxId: usccSchema,
    }),
  ],
  { error: '请选择抬头类型（个人或单位）' },
);
export type InvoiceTitle = z.infer<typeof invoiceTitleSchema>;

/** VAT invoice kinds for enterprises: 普票 (增值税普通发票) and 专票 (增值税专用发票). */
export const VAT_INVOICE_KINDS = ['normal', 'special'] as const;
export type VatInvoiceKind = (typeof VAT_INVOICE_KINDS)[number];

/** An enterprise's invoice title: 普票 needs name and tax id; 专票 also the registered address, phone, bank and account. */
export interface VatTitle {
  name: string;
  taxId: string;
  registeredAddress?: string | null;
  registeredPhone?: string | null;
  bankName?: string | null;
  bankAccount?: string | null;
}

const VAT_FIELD_LABELS = {
  name: '发票抬头',
  taxId: '纳税人识别号',
  registeredAddress: '注册地址',
  registeredPhone: '注册电话',
  bankName: '开户银行',
  bankAccount: '银行账号',
} as const;

/** The fields of the title still missing for an invoice of this kind, as Chinese labels (empty: complete). */
export function missingVatFields(title: Partial<VatTitle>, kind: VatInvoiceKind): string[] {
  const need: (keyof typeof VAT_FIELD_LABELS)[] =
    kind === 'special' ? ['name', 'taxId', 'registeredAddress', 'registeredPhone', 'bankName', 'bankAccount'] : ['name', 'taxId'];
  // The tax id itself was checked (GB 32100) where the enterprise entered it and staff verified it.
  return need.filter((k) => !String(title[k] ?? '').trim()).map((k) => VAT_FIELD_LABELS[k]);
}

/**
 * 20-digit invoice number (数电发票号码 style): 2-digit year, 2-digit region, 4 zeros, 12-digit sequence
 * from the year's counter.
 */
export function formatInvoiceNo(year: number, seq: number, region = '43'): string {
  if (!Number.isSafeInteger(seq) || seq < 1 || seq >= 1e12) throw new RangeError(`invoice sequence out of range: ${seq}`);
  return `${String(year % 100).padStart(2, '0')}${region}0000${String(seq).padStart(12, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Time and file names

/** "2026-03-05 14:07:09" in Asia/Shanghai (UTC+8 all year, no DST). */
export function shanghaiDateTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export function shanghaiYear(d: Date): number {
  return new Date(d.getTime() + 8 * 3600_000).getUTCFullYear();
}

/**
 * Content-Disposition for a download with a Chinese file name: an ASCII fallback plus the RFC 5987
 * `filename*=UTF-8''…` form that browsers and WeChat prefer.
 */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
  const safeAscii = asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${safeAscii}"; filename*=UTF-8''${encoded}`;
}

export type DocumentKind = 'receipt' | 'invoice';
export const DOCUMENT_KINDS = ['receipt', 'invoice'] as const;

/** Path of a document download (the token is appended as ?token=…). */
export function documentPath(paymentId: string, kind: DocumentKind): string {
  return `/files/billing/${paymentId}/${kind}.pdf`;
}

/** Parses /files/billing/<24 hex>/<kind>.pdf; null for anything else. */
export function parseDocumentPath(pathname: string): { paymentId: string; kind: DocumentKind } | null {
  const m = /^\/files\/billing\/([0-9a-f]{24})\/(receipt|invoice)\.pdf$/.exec(pathname);
  return m ? { paymentId: m[1]!, kind: m[2] as DocumentKind } : null;
}
