import { Image } from '@tarojs/components';
import fault from '@/assets/icons/fault.png';
import request from '@/assets/icons/request.png';
import orders from '@/assets/icons/orders.png';
import payFor from '@/assets/icons/payFor.png';
import outages from '@/assets/icons/outages.png';
import messages from '@/assets/icons/messages.png';
import bills from '@/assets/icons/bills.png';
import payments from '@/assets/icons/payments.png';
import bind from '@/assets/icons/bind.png';
import agreement from '@/assets/icons/agreement.png';
import shield from '@/assets/icons/shield.png';
import phone from '@/assets/icons/phone.png';
import logout from '@/assets/icons/logout.png';
import chart from '@/assets/icons/chart.png';
import bolt from '@/assets/icons/bolt.png';
import './ui.css';

/** The mini-program's line icons (scripts/icons.mjs draws them; local PNGs work on weapp and H5 alike). */
export const ICONS = {
  fault,
  request,
  orders,
  payFor,
  outages,
  messages,
  bills,
  payments,
  bind,
  agreement,
  shield,
  phone,
  logout,
  chart,
  bolt,
} as const;
export type IconName = keyof typeof ICONS;

/** A decorative icon: the text beside it says what it is, so it carries no label of its own. */
export function Icon({ name, className }: { name: IconName; className?: string }) {
  return <Image className={`ui-icon ${className ?? ''}`} src={ICONS[name] as string} mode="aspectFit" />;
}
