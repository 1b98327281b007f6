/**
 * Work-order display and validation helpers (pure: no Taro imports, unit-tested under vitest).
 * Enum values mirror api/src/modules/workorders/workorder.rules.ts.
 */

export type FaultKind = 'whole_house_outage' | 'area_outage' | 'flicker' | 'sparking' | 'fallen_wire' | 'meter_problem';

/** The five kinds a resident picks from (SPEC 3.2), in the order shown. */
export const FAULT_KIND_OPTIONS: readonly FaultKind[] = ['whole_house_outage', 'area_outage', 'flicker', 'sparking', 'meter_problem'];

/** Kinds that put people at risk: the form shows the safety tip and the API raises the priority. */
export const DANGER_KINDS: readonly FaultKind[] = ['sparking', 'fallen_wire'];
export const isDangerKind = (k: FaultKind | null | undefined): boolean => !!k && DANGER_KINDS.includes(k);

/** Order types a resident files from the 咨询/投诉/建议 page. */
export type RequestType = 'consultation' | 'complaint' | 'report' | 'opinion' | 'praise';
export const REQUEST_TYPES: readonly RequestType[] = ['consultation', 'complaint', 'report', 'opinion', 'praise'];

export const DESCRIPTION_MIN = 5;
export const DESCRIPTION_MAX = 500;
export const MAX_PHOTOS = 3;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const PHOTO_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const;

export type DescriptionError = 'empty' | 'short' | 'long' | null;

export function validateDescription(input: string): DescriptionError {
  const n = Array.from(input.trim()).length;
  if (n === 0) return 'empty';
  if (n < DESCRIPTION_MIN) return 'short';
  if (n > DESCRIPTION_MAX) return 'long';
  return null;
}

export interface FaultFormValues {
  accountId: string | null;
  faultKind: FaultKind | null;
  description: string;
  /** null: keep the phone on file (shown masked); a string: the phone the resident typed. */
  contactPhone: string | null;
  /** Whether a phone is on file for the chosen account. */
  hasPhoneOnFile: boolean;
  uploading: boolean;
}

export type FaultField = 'account' | 'faultKind' | 'description' | 'contactPhone' | 'photos';

export type FaultFieldError =
  | 'accountMissing'
  | 'kindMissing'
  | 'descEmpty'
  | 'descShort'
  | 'descLong'
  | 'phoneMissing'
  | 'phoneInvalid'
  | 'photosUploading';

/** Validates the fault form; returns error keys by field (empty object when valid). */
export function validateFaultForm(v: FaultFormValues): Partial<Record<FaultField, FaultFieldError>> {
  const out: Partial<Record<FaultField, FaultFieldError>> = {};
  if (!v.accountId) out.account = 'accountMissing';
  if (!v.faultKind) out.faultKind = 'kindMissing';
  const d = validateDescription(v.description);
  if (d) out.description = d === 'empty' ? 'descEmpty' : d === 'short' ? 'descShort' : 'descLong';
  if (v.contactPhone !== null) {
    const p = v.contactPhone.trim();
    if (!p) out.contactPhone = 'phoneMissing';
    else if (!/^1\d{10}$/.test(p)) out.contactPhone = 'phoneInvalid';
  } else if (v.accountId && !v.hasPhoneOnFile) {
    out.contactPhone = 'phoneMissing';
  }
  if (v.uploading) out.photos = 'photosUploading';
  return out;
}

export type PhotoCheck = 'type' | 'size' | null;

/** Checks a picked image before it is read: PNG/JPEG/WebP, at most 5 MB. */
export function checkPhoto(p: { size: number; mime: string | null }): PhotoCheck {
  const mime = (p.mime ?? '').toLowerCase().replace('image/jpg', 'image/jpeg');
  if (!(PHOTO_MIMES as readonly string[]).includes(mime)) return 'type';
  if (!(p.size > 0) || p.size > MAX_PHOTO_BYTES) return 'size';
  return null;
}

/** Mime type from a file path's extension (weapp temp files carry no type). */
export function mimeFromPath(path: string): string | null {
  const m = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(path);
  const ext = m?.[1]?.toLowerCase();
  if (ext === 'jpg' || ext === 'jpeg') return 'image/jpeg';
  if (ext === 'png') return 'image/png';
  if (ext === 'webp') return 'image/webp';
  if (ext === 'gif') return 'image/gif';
  if (ext === 'heic') return 'image/heic';
  return null;
}

/**
 * A remaining time for the countdown: under an hour "12分05秒", under two days "3小时05分",
 * beyond that "3天4小时". Negative input is formatted by its absolute value (the caller says "超时").
 */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(Number.isFinite(ms) ? ms : 0) / 1000);
  const days = Math.floor(total / 86400);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  if (hours >= 48) return `${days}天${hours % 24}小时`;
  if (hours > 0) return `${hours}小时${pad(minutes)}分`;
  return `${minutes}分${pad(seconds)}秒`;
}

export interface CountdownView {
  overdue: boolean;
  text: string;
}

/** The countdown to a due date at `now` (both in ms since the epoch). */
export function countdownTo(dueAtMs: number, nowMs: number): CountdownView {
  const left = dueAtMs - nowMs;
  return { overdue: left < 0, text: formatDuration(left) };
}

export type StatusTone = 'wait' | 'active' | 'done' | 'closed';

/** Badge colour of an order status. */
export function statusTone(status: string): StatusTone {
  if (status === 'reported' || status === 'received') return 'wait';
  if (status === 'resolved' || status === 'visited') return 'done';
  if (status === 'closed') return 'closed';
  return 'active';
}

/** "2026-03-05T06:07:00Z" → "03-05 14:07" in Beijing time (the app's users are all in UTC+8). */
export function formatDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms + 8 * 3600_000);
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Stars at or below this mean "dissatisfied": the API reopens the order (DISSATISFIED_MAX_STARS). */
export const DISSATISFIED_MAX_STARS = 2;

/**
 * An id for one form's submission, sent with workorder.create: a resend after a lost reply returns the
 * order already filed. It only has to be unique per user, so time + Math.random is enough (weapp has no
 * synchronous crypto).
 */
export function newRequestId(now = Date.now(), random = Math.random): string {
  return `${now.toString(36)}-${Math.floor(random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0')}`;
}
