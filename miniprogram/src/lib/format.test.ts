import { describe, expect, it } from 'vitest';
import {
  accountMoney,
  formatFen,
  greetingKey,
  groupAccountNumber,
  maskName,
  maskPhone,
  normalizeAccountNumber,
  validateAccountNumber,
  validateHolderName,
  validatePhone,
  validateSmsCode,
} from './format';

describe('formatFen', () => {
  it('formats integer fen as yuan with two decimals', () => {
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(1)).toBe('¥0.01');
    expect(formatFen(10)).toBe('¥0.10');
    expect(formatFen(1234)).toBe('¥12.34');
    expect(formatFen(100)).toBe('¥1.00');
  });
  it('uses integer math (no float drift) and groups thousands', () => {
    expect(formatFen(1999)).toBe('¥19.99');
    expect(formatFen(123456789)).toBe('¥1,234,567.89');
    expect(formatFen(900719925474099)).toBe('¥9,007,199,254,740.99');
  });
  it('handles negatives and junk', () => {
    expect(formatFen(-1234)).toBe('-¥12.34');
    expect(formatFen(-5)).toBe('-¥0.05');
    expect(formatFen(Number.NaN)).toBe('¥0.00');
    expect(formatFen(12.9)).toBe('¥0.12');
  });
});

describe('masking', () => {
  it('masks holder names like the server does', () => {
    expect(maskName('张建国')).toBe('张*国');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('李')).toBe('李');
    expect(maskName('')).toBe('');
  });
  it('keeps already-masked names', () => {
    expect(maskName('张*国')).toBe('张*国');
  });
  it('masks phones', () => {
    expect(maskPhone('13900000001')).toBe('139****0001');
    expect(maskPhone('139****0001')).toBe('139****0001');
  });
});

describe('account numbers', () => {
  it('validates 13 digits', () => {
    expect(validateAccountNumber('3101000000001')).toBeNull();
    expect(validateAccountNumber('3101 0000 0000 1')).toBeNull();
    expect(validateAccountNumber('')).toBe('empty');
    expect(validateAccountNumber('   ')).toBe('empty');
    expect(validateAccountNumber('310100000000')).toBe('length');
    expect(validateAccountNumber('31010000000012')).toBe('length');
    expect(validateAccountNumber('31010000000a1')).toBe('digits');
  });
  it('normalizes input and groups for reading', () => {
    expect(normalizeAccountNumber('3101-0000 0000 1xyz99')).toBe('3101000000001');
    expect(groupAccountNumber('3101000000001')).toBe('3101 0000 0000 1');
  });
});

describe('other validators', () => {
  it('holder names', () => {
    expect(validateHolderName('张建国')).toBeNull();
    expect(validateHolderName(' ')).toBe('empty');
    expect(validateHolderName('张')).toBe('invalid');
    expect(validateHolderName('张*国')).toBe('invalid');
  });
  it('phones and sms codes', () => {
    expect(validatePhone('13900000001')).toBe(true);
    expect(validatePhone('2390000000')).toBe(false);
    expect(validateSmsCode('123456')).toBe(true);
    expect(validateSmsCode('12345')).toBe(false);
  });
});

describe('accountMoney', () => {
  it('shows balance when normal, arrears otherwise', () => {
    expect(accountMoney({ balanceFen: 5000, arrearsFen: 0, supplyState: 'normal' })).toEqual({
      kind: 'balance',
      text: '¥50.00',
    });
    expect(accountMoney({ balanceFen: 0, arrearsFen: 12345, supplyState: 'arrears' })).toEqual({
      kind: 'arrears',
      text: '¥123.45',
    });
    expect(accountMoney({ balanceFen: 0, arrearsFen: 800, supplyState: 'disconnected' }).kind).toBe('arrears');
  });
  it('greets by hour', () => {
    expect(greetingKey(8)).toBe('morning');
    expect(greetingKey(12)).toBe('noon');
    expect(greetingKey(15)).toBe('afternoon');
    expect(greetingKey(22)).toBe('evening');
    expect(greetingKey(2)).toBe('evening');
  });
});
