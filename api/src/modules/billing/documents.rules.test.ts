import { describe, expect, it } from 'vitest';
import {
  attachmentDisposition,
  fenInWords,
  fenToYuan,
  formatInvoiceNo,
  invoiceTitleSchema,
  isValidUscc,
  parseDocumentPath,
  shanghaiDateTime,
  splitVat,
  usccCheckChar,
} from './documents.rules';

describe('VAT split (13%, integer fen, one rounding)', () => {
  it.each([
    [11300, 10000, 1300],
    [0, 0, 0],
    [1, 1, 0], // 0.885 → 1
    [2, 2, 0], // 1.769… → 2
    [13, 12, 1], // 11.504… → 12
    [113, 100, 13],
    [100, 88, 12], // 88.495… → 88
    [12345, 10925, 1420], // 10924.77… → 10925
    [5_000_000, 4_424_779, 575_221],
  ])('%i fen → %i + %i', (total, net, tax) => {
    expect(splitVat(total)).toEqual({ netFen: net, taxFen: tax });
  });

  it('net + tax is always the paid total, and the net is the nearest fen to total / 1.13', () => {
    const bad: number[] = [];
    for (let total = 0; total <= 500_000; total++) {
      const { netFen, taxFen } = splitVat(total);
      if (netFen + taxFen !== total || Math.abs(netFen * 113 - total * 100) > 113 / 2) bad.push(total);
    }
    expect(bad).toEqual([]);
  });

  it('refuses fractions and negative totals', () => {
    expect(() => splitVat(10.5)).toThrow(RangeError);
    expect(() => splitVat(-1)).toThrow(RangeError);
  });
});

describe('amounts', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [123456, '1,234.56'],
    [-1050, '-10.50'],
  ])('%i fen → %s', (fen, s) => expect(fenToYuan(fen)).toBe(s));

  it.each([
    [0, '零元整'],
    [100, '壹元整'],
    [11300, '壹佰壹拾叁元整'],
    [1005, '壹拾元零伍分'],
    [1010, '壹拾元壹角'],
    [5, '伍分'],
    [50, '伍角'],
    [1234567, '壹万贰仟叁佰肆拾伍元陆角柒分'],
    [10000000, '壹拾万元整'],
    [10010000, '壹拾万零壹佰元整'],
    [100000100, '壹佰万零壹元整'],
    [1001000, '壹万零壹拾元整'],
    [11000000000, '壹亿壹仟万元整'],
    [10001000000, '壹亿零壹万元整'],
  ])('%i fen in words: %s', (fen, words) => expect(fenInWords(fen)).toBe(words));
});

describe('buyer title and unified social credit code', () => {
  it('accepts real codes and rejects a wrong check character', () => {
    for (const code of ['91350100M000100Y43', '9144030071526726XG', '91330100716105852F', '91430100MA4L00000F']) expect(isValidUscc(code)).toBe(true);
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
    expect(usccCheckChar('91330100716105852')).toBe('F');
  });

  it.each([
    [{ type: 'company', name: '长沙星城制造有限公司', taxId: '9143010' }, '统一社会信用代码应为 18 位数字或大写字母'],
    [{ type: 'company', name: '长沙星城制造有限公司', taxId: '91350100M000100Y44' }, '统一社会信用代码校验位不正确，请核对后重新填写'],
    [{ type: 'company', name: '长沙星城制造有限公司', taxId: '91350100M000100I43' }, '统一社会信用代码含有无效字符（不使用 I、O、Z、S、V）'],
    [{ type: 'company', name: '长沙星城制造有限公司' }, '请填写统一社会信用代码'],
    [{ type: 'company', name: '公司', taxId: '91350100M000100Y43' }, '单位名称至少 4 个字'],
    [{ type: 'personal', name: ' ' }, '发票抬头（姓名）至少 2 个字'],
    [{ type: 'other', name: '张三' }, '请选择抬头类型（个人或单位）'],
  ])('%o → %s', (input, message) => {
    const r = invoiceTitleSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe(message);
  });

  it('normalises a lower-case code and trims names', () => {
    expect(invoiceTitleSchema.parse({ type: 'company', name: ' 长沙星城制造有限公司 ', taxId: '91350100m000100y43' })).toEqual({
      type: 'company',
      name: '长沙星城制造有限公司',
      taxId: '91350100M000100Y43',
    });
  });
});

describe('numbers, times and paths', () => {
  it('formats 20-digit invoice numbers', () => {
    expect(formatInvoiceNo(2026, 1)).toBe('26430000000000000001');
    expect(formatInvoiceNo(2026, 1).length).toBe(20);
    expect(() => formatInvoiceNo(2026, 0)).toThrow(RangeError);
  });

  it('prints times in Asia/Shanghai', () => {
    expect(shanghaiDateTime(new Date('2026-03-04T16:30:05Z'))).toBe('2026-03-05 00:30:05');
  });

  it('encodes Chinese file names per RFC 5987 with an ASCII fallback', () => {
    expect(attachmentDisposition('电子发票-1.pdf', 'invoice-1.pdf')).toBe(
      `attachment; filename="invoice-1.pdf"; filename*=UTF-8''%E7%94%B5%E5%AD%90%E5%8F%91%E7%A5%A8-1.pdf`,
    );
  });

  it('parses only well-formed document paths', () => {
    expect(parseDocumentPath('/files/billing/65f0a1b2c3d4e5f60718293a/receipt.pdf')).toEqual({
      paymentId: '65f0a1b2c3d4e5f60718293a',
      kind: 'receipt',
    });
    expect(parseDocumentPath('/files/billing/65f0a1b2c3d4e5f60718293a/statement.pdf')).toBeNull();
    expect(parseDocumentPath('/files/billing/../receipt.pdf')).toBeNull();
  });
});
