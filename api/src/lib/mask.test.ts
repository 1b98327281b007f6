import { describe, expect, it } from 'vitest';
import { maskAddress, maskIdNumber, maskName, maskPhone } from './mask';

describe('masking', () => {
  it('masks phone numbers as 138****1234', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone(null)).toBeNull();
  });
  it.each([
    ['张三', '张*'],
    ['张三丰', '张*丰'],
    ['欧阳娜娜', '欧**娜'],
    ['长沙星城制造有限公司', '长沙******公司'],
  ])('masks name %s as %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
  it('hides the house number of an address', () => {
    expect(maskAddress('长沙市岳麓区麓山路12号3栋')).toBe('长沙市岳麓区麓山路****');
  });
  it('masks ID numbers', () => {
    expect(maskIdNumber('430104199001011234')).toBe('430104********1234');
  });
});
