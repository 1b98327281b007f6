/**
 * How fast anyone may guess. Account numbers are 13 digits and holder names are short, so every way of
 * asking "whose account is this?" is counted per person and per client address, in the database, so
 * that every API instance counts together. Pure: the limits and the window arithmetic, no I/O.
 */
export interface Limit {
  /** Counted per this subject. */
  per: 'user' | 'ip' | 'account';
  max: number;
  windowMs: number;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export const LIMITS = {
  /** account.lookup, billing.payFor, outage.byAccountNumber: reading anything by a bare account number. */
  numberLookup: [
    { per: 'user', max: 30, windowMs: HOUR },
    { per: 'user', max: 100, windowMs: DAY },
    { per: 'ip', max: 200, windowMs: HOUR },
    { per: 'ip', max: 1000, windowMs: DAY },
  ],
  /** Failed holder-name or code verifications when binding an account. */
  bindFailure: [
    { per: 'user', max: 5, windowMs: HOUR },
    { per: 'account', max: 5, windowMs: HOUR },
    { per: 'ip', max: 20, windowMs: HOUR },
  ],
  /** files.upload: documents (≤ 10 MB each) kept in the database. */
  documentUpload: [
    { per: 'user', max: 60, windowMs: HOUR },
    { per: 'user', max: 300, windowMs: DAY },
    { per: 'ip', max: 300, windowMs: HOUR },
  ],
} as const satisfies Record<string, readonly Limit[]>;
export type LimitName = keyof typeof LIMITS;

/** Fixed windows aligned to the epoch: the same key on every instance. */
export function windowKey(name: string, l: Limit, subject: string, nowMs: number): { key: string; resetsAt: number } {
  const start = Math.floor(nowMs / l.windowMs) * l.windowMs;
  return { key: `${name}:${l.per}:${l.windowMs}:${subject}:${start}`, resetsAt: start + l.windowMs };
}

/** A Chinese "try again in …" for the window that refused. */
export function retryMessage(resetsAt: number, nowMs: number): string {
  const min = Math.max(1, Math.ceil((resetsAt - nowMs) / 60_000));
  return min >= 120 ? '操作过于频繁，请明天再试' : `操作过于频繁，请${min}分钟后再试`;
}
