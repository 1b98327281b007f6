/** Priority of an order: danger first, then type, customer tier and flags. Pure. */
import type { FaultKind, OrderType } from './workorder.rules';
import { PRIORITY_LABELS as PRIORITY_NAMES } from '../../shared/labels';

export type PriorityLevel = 'urgent' | 'high' | 'medium' | 'low';
export const PRIORITY_LABELS: Record<PriorityLevel, string> = PRIORITY_NAMES;

export interface PriorityInput {
  type: OrderType;
  faultKind?: FaultKind | null;
  tier?: 'A' | 'B' | 'C' | null;
  flags?: { important?: boolean; sensitive?: boolean; vulnerable?: boolean } | null;
}

const TYPE_BASE: Record<OrderType, number> = {
  fault_repair: 40,
  reconnection: 35,
  complaint: 30,
  report: 20,
  service_request: 15,
  consultation: 10,
  return_visit: 5,
  opinion: 5,
  praise: 0,
};

/** Danger to life outranks everything else, whoever reported it. */
const DANGER: readonly FaultKind[] = ['sparking', 'fallen_wire'];

export function priorityOf(p: PriorityInput): { score: number; level: PriorityLevel; label: string } {
  let score = TYPE_BASE[p.type];
  if (p.faultKind && DANGER.includes(p.faultKind)) score += 100;
  if (p.tier === 'A') score += 20;
  else if (p.tier === 'B') score += 10;
  if (p.flags?.important) score += 15;
  if (p.flags?.sensitive) score += 15; // repeated complainants: handle before it becomes a complaint
  // Life-support equipment at home matters most when the power is off.
  if (p.flags?.vulnerable) score += p.type === 'fault_repair' || p.type === 'reconnection' ? 30 : 10;
  const level: PriorityLevel = score >= 100 ? 'urgent' : score >= 50 ? 'high' : score >= 25 ? 'medium' : 'low';
  return { score, level, label: PRIORITY_LABELS[level] };
}
