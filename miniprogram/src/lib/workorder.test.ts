import { describe, expect, it } from 'vitest';
import {
  checkPhoto,
  countdownTo,
  formatDateTime,
  formatDuration,
  isDangerKind,
  mimeFromPath,
  statusTone,
  validateDescription,
  validateFaultForm,
  newRequestId,
} from './workorder';

describe('formatDuration / countdownTo', () => {
  it('shows minutes and seconds under an hour', () => {
    expect(formatDuration(0)).toBe('0分00秒');
    expect(formatDuration(5_000)).toBe('0分05秒');
    expect(formatDuration(4 * 60_000 + 59_999)).toBe('4分59秒');
    expect(formatDuration(59 * 60_000 + 59_000)).toBe('59分59秒');
  });
  it('shows hours and minutes under two days, days and hours beyond', () => {
    expect(formatDuration(3600_000)).toBe('1小时00分');
    expect(formatDuration(3 * 3600_000 + 5 * 60_000 + 30_000)).toBe('3小时05分');
    expect(formatDuration(47 * 3600_000 + 59 * 60_000)).toBe('47小时59分');
    expect(formatDuration(48 * 3600_000)).toBe('2天0小时');
    expect(formatDuration(5 * 86400_000 + 7 * 3600_000)).toBe('5天7小时');
  });
  it('formats overdue time by its absolute value and flags it', () => {
    const now = Date.parse('2026-03-05T10:00:00Z');
    expect(countdownTo(now + 125_000, now)).toEqual({ overdue: false, text: '2分05秒' });
    expect(countdownTo(now - 61_000, now)).toEqual({ overdue: true, text: '1分01秒' });
    expect(formatDuration(Number.NaN)).toBe('0分00秒');
  });
});

describe('fault form validation', () => {
  const ok = {
    accountId: 'a1',
    faultKind: 'whole_house_outage' as const,
    description: '家里突然停电了',
    contactPhone: null,
    hasPhoneOnFile: true,
    uploading: false,
  };
  it('accepts a complete form using the phone on file', () => {
    expect(validateFaultForm(ok)).toEqual({});
  });
  it('names every missing field', () => {
    expect(validateFaultForm({ ...ok, accountId: null, faultKind: null, description: ' ' })).toEqual({
      account: 'accountMissing',
      faultKind: 'kindMissing',
      description: 'descEmpty',
    });
  });
  it('checks description length in characters, not bytes', () => {
    expect(validateDescription('停电了')).toBe('short');
    expect(validateDescription('整栋停电了')).toBeNull();
    expect(validateDescription('电'.repeat(501))).toBe('long');
  });
  it('requires a valid typed phone, or one when none is on file', () => {
    expect(validateFaultForm({ ...ok, contactPhone: '' }).contactPhone).toBe('phoneMissing');
    expect(validateFaultForm({ ...ok, contactPhone: '1380000' }).contactPhone).toBe('phoneInvalid');
    expect(validateFaultForm({ ...ok, contactPhone: '13800000009' }).contactPhone).toBeUndefined();
    expect(validateFaultForm({ ...ok, hasPhoneOnFile: false }).contactPhone).toBe('phoneMissing');
  });
  it('waits for uploads to finish', () => {
    expect(validateFaultForm({ ...ok, uploading: true }).photos).toBe('photosUploading');
  });
});

describe('photos and display helpers', () => {
  it('allows JPEG, PNG and WebP up to 5 MB', () => {
    expect(checkPhoto({ mime: 'image/jpeg', size: 1024 })).toBeNull();
    expect(checkPhoto({ mime: 'image/jpg', size: 1024 })).toBeNull();
    expect(checkPhoto({ mime: 'image/webp', size: 5 * 1024 * 1024 })).toBeNull();
    expect(checkPhoto({ mime: 'image/png', size: 5 * 1024 * 1024 + 1 })).toBe('size');
    expect(checkPhoto({ mime: 'image/gif', size: 10 })).toBe('type');
    expect(checkPhoto({ mime: null, size: 10 })).toBe('type');
  });
  it('guesses the mime type of weapp temp files', () => {
    expect(mimeFromPath('wxfile://tmp_abc.JPG')).toBe('image/jpeg');
    expect(mimeFromPath('http://tmp/x.png')).toBe('image/png');
    expect(mimeFromPath('http://tmp/x')).toBeNull();
  });
  it('marks danger kinds and status tones', () => {
    expect(isDangerKind('sparking')).toBe(true);
    expect(isDangerKind('flicker')).toBe(false);
    expect(statusTone('reported')).toBe('wait');
    expect(statusTone('dispatched')).toBe('active');
    expect(statusTone('resolved')).toBe('done');
    expect(statusTone('closed')).toBe('closed');
  });
  it('formats times in Beijing time', () => {
    expect(formatDateTime('2026-03-05T06:07:00.000Z')).toBe('03-05 14:07');
    expect(formatDateTime('nope')).toBe('');
  });
});

describe('newRequestId', () => {
  it('fits the API (8–64 of [A-Za-z0-9_-]) and differs between submissions', () => {
    const a = newRequestId(1_796_100_000_000, () => 0.123456);
    const b = newRequestId(1_796_100_000_000, () => 0.654321);
    expect(a).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(newRequestId(0, () => 0)).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(a).not.toBe(b);
    expect(newRequestId()).not.toBe(newRequestId());
  });
});
