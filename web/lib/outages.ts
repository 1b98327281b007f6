import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@power/api';

type Out = inferRouterOutputs<AppRouter>;
export type OutageBrief = Out['outage']['byAccountNumber']['outages'][number];
export type OutageView = Out['outage']['staffList']['items'][number];
export type ProposalView = Out['outage']['proposals'][number];
export type MessageView = Out['messages']['list'][number];
export type AreaNode = Out['outage']['areas'][number];

const pad = (n: number) => String(n).padStart(2, '0');

/** Date → value of an <input type="datetime-local"> in the browser's time zone. */
export function toLocalInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** datetime-local value → ISO string (null when empty or invalid). */
export function fromLocalInput(v: string | null | undefined): string | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export const PHASE_COLOR: Record<string, string> = { upcoming: 'gold', active: 'red', restored: 'green', cancelled: 'default' };
export const KIND_COLOR: Record<string, string> = { planned: 'blue', temporary: 'purple', fault: 'volcano' };
