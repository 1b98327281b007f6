/**
 * The ONE adapter between the metrics lane's order facts (quality/facts.rules.ts orderFacts / OrderFact) and the
 * points rules (PointsInput). The handler, the first resolution, AHT and the deadlines come from OrderFact, so
 * points and the dashboards agree on them; the few things OrderFact does not carry (when the order was reopened,
 * how many ratings came before the latest) are read from the order's own timeline here.
 */
import { orderFacts, type OrderFact } from '../quality/facts.rules';
import type { WorkOrder } from '../workorders/workorder.model';
import type { PointsInput } from './points.rules';

export interface CheckFact {
  id: string;
  at: Date;
  agentId: string;
  failed: string[];
}

export function pointsInputOf(o: WorkOrder, opts: { now: Date; agentTeam: Map<string, string | null>; checks?: CheckFact[] }): PointsInput {
  const fact: OrderFact = orderFacts(o, { now: opts.now, agentTeam: opts.agentTeam, nextContactAt: null });
  const timeline = o.timeline ?? [];
  const resolvedAt = fact.resolvedAt;
  const reopen = resolvedAt ? timeline.find((e) => e.action === 'reopen' && new Date(e.at).getTime() >= resolvedAt.getTime()) : undefined;
  const visits = timeline.filter((e) => e.action === 'visit').length;

  let sla = 0;
  const deadlines: PointsInput['deadlines'] = [];
  for (const d of fact.deadlines) {
    const slot = d.kind === 'milestone' ? `ms-${d.milestone}` : `sla${sla++}`;
    if (d.outcome === 'pending') continue;
    const met = d.outcome === 'met';
    deadlines.push({ slot, kind: d.kind, milestone: d.milestone, met, at: met ? (d.endedAt ?? d.dueAt) : d.dueAt });
  }

  return {
    orderId: fact.orderId,
    orderNo: fact.orderNo,
    type: fact.type,
    agentId: fact.agentId,
    resolvedAt,
    reopenedAt: reopen ? new Date(reopen.at) : null,
    ahtMs: fact.ahtMs,
    deadlines,
    rating: fact.rating ? { stars: fact.rating.stars, at: fact.rating.at, cycle: Math.max(0, visits - 1) } : null,
    checks: opts.checks ?? [],
  };
}
