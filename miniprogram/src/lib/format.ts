/** Pure display helpers (no Taro imports: unit-tested under vitest). */

/** Integer fen → "¥12.34" with integer math only (no floating point). Negative → "-¥12.34". */
export function formatFen(fen: number): string {
  if (!Number.isFinite(fen)) return '¥0.00';
  const n = Math.trunc(fen);
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  const yuanStr = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuanStr}.${cents < 10 ? '0' : ''}${cents}`;
}

/**
 * Masks a holder name for display: 张建国 → 张*国, 张三 → 张*, 欧阳娜娜 → 欧**娜.
 * Already-masked names (containing *) are returned unchanged.
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.includes('*')) return chars.join('');
  if (chars.length === 1) return chars[0]!;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** Masks a phone: 13900000001 → 139****0001. */
export function maskPhone(phone: string): string {
  const p = phone.trim();
  if (p.includes('*') || p.length < 7) return p;
  return `${p.slice(0, 3)}****${p.slice(-4)}`;
}

/** Groups a 13-digit account number for reading: 3101000000001 → "3101 0000 0000 1". */
export function groupAccountNumber(num: string): string {
  return num.replace(/\s+/g, '').replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** Keeps digits only and at most 13 of them. */
export function normalizeAccountNumber(input: string): string {
  return input.replace(/\D/g, '').slice(0, 13);
}

export type AccountNumberError = 'empty' | 'length' | 'digits' | null;

/** Validates a 13-digit account number (户号). */
export function validateAccountNumber(input: string): AccountNumberError {
  const v = input.replace(/\s+/g, '');
  if (!v) return 'empty';
  if (!/^\d+$/.test(v)) return 'digits';
  if (v.length !== 13) return 'length';
  return null;
}

/** Holder names: 2–20 chars of CJK, letters, middle dot or spaces. */
export function validateHolderName(input: string): 'empty' | 'invalid' | null {
  const v = input.trim();
  if (!v) return 'empty';
  if (v.length < 2 || v.length > 20 || /[\d*]/.test(v)) return 'invalid';
  return null;
}

export function validatePhone(input: string): boolean {
  return /^1\d{10}$/.test(input.trim());
}

export function validateSmsCode(input: string): boolean {
  return /^\d{6}$/.test(input.trim());
}

export type SupplyState = 'normal' | 'arrears' | 'disconnected';

export interface AccountMoneyInput {
  balanceFen: number;
  arrearsFen: number;
  supplyState: SupplyState;
}

/** What the account card shows as its headline money: arrears when owed, else balance. */
export function accountMoney(a: AccountMoneyInput): { kind: 'arrears' | 'balance'; text: string } {
  if (a.arrearsFen > 0 || a.supplyState !== 'normal') {
    return { kind: 'arrears', text: formatFen(Math.max(0, a.arrearsFen)) };
  }
  return { kind: 'balance', text: formatFen(a.balanceFen) };
}

/** 早上好 / 中午好 / 下午好 / 晚上好 key by hour. */
export function greetingKey(hour: number): 'morning' | 'noon' | 'afternoon' | 'evening' {
  if (hour >= 5 && hour < 11) return 'morning';
  if (hour >= 11 && hour < 13) return 'noon';
  if (hour >= 13 && hour < 18) return 'afternoon';
  return 'evening';
}
