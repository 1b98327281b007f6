import { describe, expect, it } from 'vitest';
import { LIMITS, retryMessage, windowKey } from './rate-limit.rules';

describe('rate-limit windows', () => {
  const hour = LIMITS.numberLookup[0];
  it('puts every instance on the same fixed window, and a new window on the hour', () => {
    const t = Date.UTC(2026, 11, 1, 10, 59, 59);
    const a = windowKey('numberLookup', hour, 'u1', t);
    expect(windowKey('numberLookup', hour, 'u1', t - 30 * 60_000).key).toBe(a.key);
    expect(a.resetsAt).toBe(Date.UTC(2026, 11, 1, 11, 0, 0));
    expect(windowKey('numberLookup', hour, 'u1', t + 1000).key).not.toBe(a.key);
    // Subjects and limits never share a counter.
    expect(windowKey('numberLookup', hour, 'u2', t).key).not.toBe(a.key);
    expect(windowKey('numberLookup', LIMITS.numberLookup[1], 'u1', t).key).not.toBe(a.key);
  });

  it('says in Chinese when to try again', () => {
    expect(retryMessage(10 * 60_000, 0)).toBe('操作过于频繁，请10分钟后再试');
    expect(retryMessage(1000, 0)).toBe('操作过于频繁，请1分钟后再试');
    expect(retryMessage(20 * 3600_000, 0)).toBe('操作过于频繁，请明天再试');
  });

  it('stops a second user guessing the same account as soon as the first', () => {
    const perAccount = LIMITS.bindFailure.find((l) => l.per === 'account');
    expect(perAccount?.max).toBe(5);
  });
});
