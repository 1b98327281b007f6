import { describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import type { TimelineEntry, WorkOrder } from '../workorders/workorder.model';
import { blankOrder } from '../workorders/workorder.fixtures';
import { nextContacts, orderFacts } from './facts.rules';
import { metricDef } from './metrics.registry';
import { emptyCounters, histogramMedian, ahtBin, rollupDay, rollupMonth, addCounters } from './rollup.rules';

const H = 3600_000;
const M = 60_000;
/** 2026-11-02 08:00 Shanghai = 00:00 UTC. */
const T0 = Date.parse('2026-11-02T00:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const agent = new Types.ObjectId();
const team = new Types.ObjectId();
const region = new Types.ObjectId();
const ctx = (now: number, next: number | null = null) => ({
  now: at(now),
  agentTeam: new Map([[String(agent), String(team)]]),
  nextContactAt: next === null ? null : at(next),
});
const tl = (action: string, ms: number, extra: Partial<TimelineEntry> = {}): TimelineEntry => ({
  actorId: String(agent),
  actorRole: 'agent',
  action,
  from: null,
  to: null,
  at: at(ms),
  visibility: 'internal',
  ...extra,
});

function order(p: Partial<WorkOrder>): WorkOrder {
  return blankOrder({
    orderNo: `GD20261102-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
    channel: 'phone',
    priority: { score: 10, level: 'low' },
    accountId: new Types.ObjectId(),
    regionId: region,
    description: 'x',
    assignee: { department: null, agentId: agent, crewId: null },
    timeline: [tl('create', 0, { actorRole: 'customer', to: 'received' })],
    clock: { startedAt: at(0), pausedMsAtStart: 0 },
    createdAt: at(0),
    updatedAt: at(0),
    ...p,
  });
}

describe('AHT: claim → first customer-visible reply, minus paused time', () => {
  it('subtracts a pause inside the window and ignores internal notes', () => {
    const o = order({
      status: 'resolved',
      timeline: [
        tl('create', 0, { actorRole: 'customer', to: 'received' }),
        tl('claim', 10 * M, { from: 'received', to: 'accepted' }),
        tl('reply', 20 * M, { visibility: 'internal' }),
        tl('pause', 25 * M),
        tl('resume', 55 * M),
        tl('reply', 70 * M, { visibility: 'customer', from: 'accepted', to: 'replied' }),
        tl('resolve', 90 * M, { from: 'replied', to: 'resolved' }),
      ],
      pauses: [{ from: at(25 * M), to: at(55 * M), reasonCode: 'waiting_customer', note: '' }],
      resolvedAt: at(90 * M),
    });
    const f = orderFacts(o, ctx(30 * 24 * H));
    // 60 minutes claim → reply, 30 of them paused.
    expect(f.ahtMs).toBe(30 * M);
    expect(f.resolvedDay).toBe('2026-11-02');
    expect(f.teamId).toBe(String(team));
  });
  it('has no AHT before it is resolved, and none for field orders', () => {
    const open = order({
      timeline: [tl('create', 0, { to: 'received' }), tl('claim', M, { to: 'accepted' }), tl('reply', 5 * M, { visibility: 'customer' })],
    });
    expect(orderFacts(open, ctx(H)).ahtMs).toBeNull();
    const fault = order({ type: 'fault_repair', assignee: { department: null, agentId: null, crewId: null } });
    expect(orderFacts(fault, ctx(H)).isDesk).toBe(false);
  });
});

describe('deadlines and 及时率', () => {
  it('a running deadline past due is missed on its due day; one not yet due is left out', () => {
    const due = at(5 * M);
    const o = order({
      type: 'fault_repair',
      status: 'reported',
      nextDeadline: { id: new Types.ObjectId(), kind: 'dispatch', startedAt: at(0), dueAt: due, warn50Due: due, warn80Due: due },
    });
    const before = orderFacts(o, ctx(2 * M));
    expect(before.deadlines[0].outcome).toBe('pending');
    expect(before.onTime).toBeNull();
    expect(before.recheckAt).toEqual(due);
    const after = orderFacts(o, ctx(10 * M));
    expect(after.deadlines[0]).toMatchObject({ outcome: 'missed', day: '2026-11-02' });
    expect(after.onTime).toEqual({ met: false, day: '2026-11-02' });
    // Paused: the clock stands still, never missed.
    expect(orderFacts({ ...o, pausedAt: at(M) }, ctx(10 * M)).deadlines[0].outcome).toBe('pending');
  });
  it('an order is on time only if every decided deadline was met; placed on the latest one', () => {
    const o = order({
      type: 'fault_repair',
      slaHistory: [
        { kind: 'dispatch', startedAt: at(0), dueAt: at(5 * M), endedAt: at(3 * M), met: true },
        { kind: 'arrival', startedAt: at(0), dueAt: at(45 * M), endedAt: at(30 * H), met: false },
      ],
    });
    const f = orderFacts(o, ctx(40 * H));
    expect(f.onTime).toEqual({ met: false, day: '2026-11-02' }); // missed arrival decided at its due time
    const c = emptyCounters();
    const day = rollupDay([f], '2026-11-02').rows[0];
    addCounters(c, day);
    expect(metricDef('on_time').ratio(c, 'dispatch', 0)).toEqual({ num: 1, den: 1 });
    expect(metricDef('on_time').ratio(c, 'arrival', 0)).toEqual({ num: 0, den: 1 });
    expect(metricDef('on_time').ratio(c, 'all', 0)).toEqual({ num: 0, den: 1 });
  });
  it('an application is on time only if every milestone is', () => {
    const ms = (key: string, start: number, due: number, done: number | null) => ({
      key,
      workingDays: 1,
      startedAt: at(start),
      dueAt: at(due),
      doneAt: done === null ? null : at(done),
      pauses: [],
      note: null,
      scheduledAt: null,
    });
    const base = {
      kind: 'new_connection',
      milestones: [ms('acceptance', 0, 24 * H, 2 * H), ms('survey', 2 * H, 48 * H, 30 * H), ms('energise', 30 * H, 72 * H, null)],
    };
    const running = orderFacts(order({ type: 'service_request', application: base as never }), ctx(40 * H));
    expect(running.application).toBeNull();
    const done = orderFacts(
      order({
        type: 'service_request',
        application: { ...base, milestones: [...base.milestones.slice(0, 2), ms('energise', 30 * H, 72 * H, 50 * H)] } as never,
      }),
      ctx(80 * H),
    );
    expect(done.application).toEqual({ met: true, day: '2026-11-04' });
    const late = orderFacts(order({ type: 'service_request', application: base as never }), ctx(100 * H));
    expect(late.application).toEqual({ met: false, day: '2026-11-05' });
    expect(late.deadlines.filter((d) => d.kind === 'milestone').map((d) => d.outcome)).toEqual(['met', 'met', 'missed']);
  });
});

describe('FCR, reopen, merge, ratings', () => {
  const resolved = (p: Partial<WorkOrder> = {}) =>
    order({
      status: 'resolved',
      resolvedAt: at(H),
      timeline: [tl('create', 0, { to: 'received' }), tl('claim', M, { to: 'accepted' }), tl('resolve', H, { from: 'accepted', to: 'resolved' })],
      ...p,
    });
  it('is provisional for 7 days, then yes; a repeat contact within 7 days makes it no', () => {
    expect(orderFacts(resolved(), ctx(2 * 24 * H)).fcr).toBe('provisional');
    expect(orderFacts(resolved(), ctx(2 * 24 * H)).recheckAt).toEqual(at(H + 7 * 24 * H));
    expect(orderFacts(resolved(), ctx(8 * 24 * H)).fcr).toBe('yes');
    expect(orderFacts(resolved(), ctx(8 * 24 * H, 5 * 24 * H)).fcr).toBe('no');
    expect(orderFacts(resolved(), ctx(9 * 24 * H, 8 * 24 * H + 2 * H)).fcr).toBe('yes');
  });
  it('a reopen makes FCR no and counts in the reopen rate, on the first resolve day', () => {
    const o = resolved({
      reopenCount: 1,
      resolvedAt: at(50 * H),
      timeline: [
        tl('create', 0, { to: 'received' }),
        tl('claim', M, { to: 'accepted' }),
        tl('resolve', H, { from: 'accepted', to: 'resolved' }),
        tl('visit', 3 * H, { actorRole: 'customer', from: 'resolved', to: 'resolved' }),
        tl('reopen', 3 * H, { actorRole: 'system', from: 'resolved', to: 'accepted' }),
        tl('resolve', 50 * H, { from: 'accepted', to: 'resolved' }),
      ],
    });
    const f = orderFacts(o, ctx(20 * 24 * H));
    expect(f).toMatchObject({ fcr: 'no', reopened: true, resolvedDay: '2026-11-02' });
    const c = rollupDay([f], '2026-11-02').rows[0];
    expect(metricDef('reopen_rate').ratio(c, null, 0)).toEqual({ num: 1, den: 1 });
  });
  it('merge rate: reports merged into an incident ÷ fault reports; the incident itself is no report', () => {
    const incidentId = new Types.ObjectId();
    const incident = order({
      _id: incidentId,
      type: 'fault_repair',
      channel: 'staff',
      accountId: null,
      assignee: { department: null, agentId: null, crewId: null },
      timeline: [tl('create', 0, { actorRole: 'system', actorId: null, to: 'reported' })],
    });
    const merged = order({ type: 'fault_repair', incidentId, assignee: { department: null, agentId: null, crewId: null } });
    const alone = order({ type: 'fault_repair', assignee: { department: null, agentId: null, crewId: null } });
    const facts = [incident, merged, alone].map((o) => orderFacts(o, ctx(H)));
    expect(facts.map((f) => [f.isIncident, f.isFaultReport, f.merged])).toEqual([
      [true, false, false],
      [false, true, true],
      [false, true, false],
    ]);
    const c = emptyCounters();
    for (const r of rollupDay(facts, '2026-11-02').rows) addCounters(c, r);
    expect(metricDef('merge_rate').ratio(c, null, 0)).toEqual({ num: 1, den: 2 });
    expect(metricDef('volume').ratio(c, null, 0).num).toBe(3);
  });
  it('satisfaction by rating day; response rate over visits requested', () => {
    const a = orderFacts(resolved({ type: 'complaint', rating: { stars: 5, comment: '', at: at(26 * H), by: 'customer' } }), ctx(30 * 24 * H));
    const b = orderFacts(resolved({ type: 'complaint', rating: { stars: 2, comment: '', at: at(27 * H), by: 'customer' } }), ctx(30 * 24 * H));
    const c3 = orderFacts(resolved({ type: 'complaint' }), ctx(30 * 24 * H));
    const d1 = rollupDay([a, b, c3], '2026-11-02');
    const d2 = rollupDay([a, b, c3], '2026-11-03');
    const m = rollupMonth('2026-11', [d1, d2]);
    const c = emptyCounters();
    for (const r of m.rows) addCounters(c, r);
    expect(metricDef('satisfaction').ratio(c, null, 0)).toEqual({ num: 1, den: 2 });
    expect(metricDef('response_rate').ratio(c, null, 0)).toEqual({ num: 2, den: 3 });
    expect(metricDef('complaint_rate').value(3, 20_000)).toBe(1.5);
  });
});

describe('helpers', () => {
  it('next contacts skip non-contacts and orders at the same instant', () => {
    const n = nextContacts([
      { id: 'a', createdAt: at(0), contact: true },
      { id: 'b', createdAt: at(H), contact: false },
      { id: 'c', createdAt: at(2 * H), contact: true },
      { id: 'd', createdAt: at(2 * H), contact: true },
    ]);
    expect(n.get('a')).toEqual(at(2 * H));
    expect(n.get('b')).toEqual(at(2 * H));
    expect(n.get('c')).toBeNull();
    expect(n.get('d')).toBeNull();
  });
  it('the AHT median comes from 1-minute bins', () => {
    const h: Record<string, number> = {};
    for (const ms of [3 * M + 10_000, 5 * M + 20_000, 40 * M]) h[String(ahtBin(ms))] = (h[String(ahtBin(ms))] ?? 0) + 1;
    expect(histogramMedian(h)).toBe(5.5 * M);
  });
});
