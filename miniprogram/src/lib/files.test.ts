import { describe, expect, it } from 'vitest';
import { fileUrl } from './files';

describe('signed file URL', () => {
  it('is absolute against the API origin on weapp and same-origin on H5', () => {
    const path = '/files/billing/65f0a1b2c3d4e5f60718293a/receipt.pdf?token=a.b.c';
    expect(fileUrl('http://127.0.0.1:4000/trpc', path)).toBe(`http://127.0.0.1:4000${path}`);
    expect(fileUrl('https://api.example.cn/trpc/', path)).toBe(`https://api.example.cn${path}`);
    expect(fileUrl('/trpc', path)).toBe(path);
  });
});
