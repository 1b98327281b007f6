/** Pure helpers for outages (停电信息) and the message centre, mirroring api/docs/outages.md. */
import { formatDateTime } from './workorder';

export type OutagePhase = 'upcoming' | 'active' | 'restored' | 'cancelled';

/** The customer-visible shape of an outage (OutageBrief in the API). */
export interface OutageBriefLike {
  id: string;
  outageNo: string;
  kind: string;
  kindLabel: string;
  phase: OutagePhase | string;
  phaseLabel: string;
  areaText: string;
  reason: string;
  startAt: string;
  etr: string | null;
  etrText: string;
  restoredAt: string | null;
  areaNames?: string[];
}

/** Badge tone of a phase (app.css badge-*). */
export function phaseTone(phase: string): 'danger' | 'warn' | 'ok' | 'muted' {
  if (phase === 'active') return 'danger';
  if (phase === 'upcoming') return 'warn';
  if (phase === 'restored') return 'ok';
  return 'muted';
}

/** "12-01 08:00 至 12-01 18:00" (Beijing time); open-ended fault outages: "12-01 08:00 起". */
export function formatOutageWindow(o: Pick<OutageBriefLike, 'startAt' | 'etr' | 'restoredAt'>): string {
  const start = formatDateTime(o.startAt);
  const end = o.restoredAt ?? o.etr;
  if (!end) return `${start} 起`;
  const endText = formatDateTime(end);
  // Same day: only the time after the start.
  return endText.slice(0, 5) === start.slice(0, 5) ? `${start} 至 ${endText.slice(6)}` : `${start} 至 ${endText}`;
}

/** The outage that matters for a fault report: an active one first, else the soonest upcoming one. */
export function relevantOutage<T extends Pick<OutageBriefLike, 'phase' | 'startAt'>>(outages: readonly T[]): T | null {
  const active = outages.find((o) => o.phase === 'active');
  if (active) return active;
  const upcoming = outages.filter((o) => o.phase === 'upcoming').sort((a, b) => Date.parse(a.startAt) - Date.parse(b.startAt));
  return upcoming[0] ?? null;
}

/** The unread badge text: none for 0, "99+" above 99. */
export function unreadBadge(count: number | null | undefined): string | null {
  if (!count || count <= 0) return null;
  return count > 99 ? '99+' : String(count);
}

export const isAccountNumber = (s: string) => /^\d{13}$/.test(s.trim());

/** Relative time of a message: 刚刚 / N分钟前 / N小时前 / MM-DD HH:mm. */
export function formatMessageTime(iso: string, now = Date.now()): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const diff = now - ms;
  if (diff < 60_000) return '刚刚';
  if (diff < 3600_000) return `${Math.floor(diff / 60_000)}分钟前`;
  if (diff < 24 * 3600_000) return `${Math.floor(diff / 3600_000)}小时前`;
  return formatDateTime(iso);
}

/**
 * Hand-off from the fault form to the order detail: the outage the API linked the new report to,
 * so the detail can say so on its first render (before its own outage.get returns).
 */
const linkedByOrder = new Map<string, OutageBriefLike>();
export const linkedOutageHandoff = {
  put(orderId: string, outage: OutageBriefLike) {
    linkedByOrder.set(orderId, outage);
  },
  get(orderId: string): OutageBriefLike | null {
    return linkedByOrder.get(orderId) ?? null;
  },
};
