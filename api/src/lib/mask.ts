/** Display masking of personal data: staff see these unless they unmask with a reason (audited). */

export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const d = phone.replace(/\D/g, '');
  if (d.length < 7) return '*'.repeat(d.length);
  return `${d.slice(0, 3)}****${d.slice(-4)}`;
}

/** 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜; enterprise names keep head and tail. */
export function maskName(name: string | null | undefined): string {
  if (!name) return '';
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  if (chars.length <= 4) return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
  // Long names (enterprises): keep the first two and the last two characters.
  return `${chars.slice(0, 2).join('')}${'*'.repeat(Math.min(chars.length - 4, 6))}${chars.slice(-2).join('')}`;
}

/** Keeps the district and road, hides the house number: 长沙市岳麓区麓山路12号3栋 → 长沙市岳麓区麓山路**** */
export function maskAddress(address: string | null | undefined): string {
  if (!address) return '';
  const m = address.match(/^(.*?(?:路|街|大道|巷|村|镇|乡))/);
  const head = m ? m[1] : Array.from(address).slice(0, 6).join('');
  return `${head}****`;
}

export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return null;
  if (id.length < 8) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}********${id.slice(-4)}`;
}
