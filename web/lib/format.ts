const parts = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

function pieces(iso: string | Date): Record<string, string> | null {
  const d = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return Object.fromEntries(parts.formatToParts(d).map((p) => [p.type, p.value]));
}

/** The console's one date format, China time: "2026-12-01 18:59". */
export const DATE_TIME_FORMAT = 'YYYY-MM-DD HH:mm';

/** ISO string → "2026-12-01 18:59" in China time ('—' when empty). */
export function formatDateTime(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  const p = pieces(iso);
  if (!p) return typeof iso === 'string' ? iso : '—';
  return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}

/** ISO string → "2026-12-01" in China time. */
export function formatDate(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  const p = pieces(iso);
  return p ? `${p.year}-${p.month}-${p.day}` : '—';
}

/** Any ISO timestamps inside a text (e.g. an older system note) shown in the same format. */
export function formatTimestampsIn(text: string): string {
  return text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})/g, (m) => formatDateTime(m));
}
