import { describe, expect, it } from 'vitest';
import { formatMessageTime, formatOutageWindow, isAccountNumber, phaseTone, relevantOutage, unreadBadge } from './outage';

describe('outage helpers', () => {
  it('formats the outage window in Beijing time', () => {
    expect(formatOutageWindow({ startAt: '2026-12-01T00:00:00Z', etr: '2026-12-01T10:00:00Z', restoredAt: null })).toBe('12-01 08:00 至 18:00');
    expect(formatOutageWindow({ startAt: '2026-12-01T00:00:00Z', etr: '2026-12-02T01:30:00Z', restoredAt: null })).toBe('12-01 08:00 至 12-02 09:30');
    expect(formatOutageWindow({ startAt: '2026-12-01T00:00:00Z', etr: null, restoredAt: null })).toBe('12-01 08:00 起');
    expect(formatOutageWindow({ startAt: '2026-12-01T00:00:00Z', etr: null, restoredAt: '2026-12-01T03:00:00Z' })).toBe('12-01 08:00 至 11:00');
  });

  it('maps phases to badge tones', () => {
    expect(phaseTone('active')).toBe('danger');
    expect(phaseTone('upcoming')).toBe('warn');
    expect(phaseTone('restored')).toBe('ok');
    expect(phaseTone('cancelled')).toBe('muted');
  });

  it('picks the active outage first, else the soonest upcoming one', () => {
    const up1 = { phase: 'upcoming', startAt: '2026-12-03T00:00:00Z' };
    const up2 = { phase: 'upcoming', startAt: '2026-12-02T00:00:00Z' };
    const act = { phase: 'active', startAt: '2026-11-30T00:00:00Z' };
    expect(relevantOutage([up1, up2, act])).toBe(act);
    expect(relevantOutage([up1, up2])).toBe(up2);
    expect(relevantOutage([{ phase: 'restored', startAt: '2026-12-01T00:00:00Z' }])).toBeNull();
  });

  it('formats the unread badge', () => {
    expect(unreadBadge(0)).toBeNull();
    expect(unreadBadge(undefined)).toBeNull();
    expect(unreadBadge(7)).toBe('7');
    expect(unreadBadge(120)).toBe('99+');
  });

  it('checks account numbers and message times', () => {
    expect(isAccountNumber(' 3101000000001 ')).toBe(true);
    expect(isAccountNumber('310100000000')).toBe(false);
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(formatMessageTime('2026-12-01T09:59:30Z', now)).toBe('刚刚');
    expect(formatMessageTime('2026-12-01T09:15:00Z', now)).toBe('45分钟前');
    expect(formatMessageTime('2026-12-01T07:00:00Z', now)).toBe('3小时前');
    expect(formatMessageTime('2026-11-28T02:00:00Z', now)).toBe('11-28 10:00');
  });
});
