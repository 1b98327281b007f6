/**
 * System operations on work orders: what the system does to orders on its own, with no person acting —
 * open an outage's incident order, merge the "no power" reports the outage caused into it, write its ETR
 * changes on them, and resolve them when the power is back.
 *
 * They are built on the same engine as people's steps: each step is decided by the state machine table
 * (workorder.rules.ts planSystemStep), written as one single-document update guarded by the status and version
 * it was decided on, with its timeline entry and its outbox effect in that same update, then published through
 * the same outbox path (workorder.effects.ts) — so the live feed, the customer notices and the SLA sweep's
 * republish see them like any other step. Numbers come from order-number.ts.
 *
 * Many orders at once (a storm merges and restores thousands): the decided updates go out as bulk writes of
 * guarded single-document updates; an order whose version moved meanwhile is decided again on what it is now.
 */
import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import { recordAudit } from '../audit/audit.service';
import { ensureSettingsFresh, ensureSettingVersions, slaConfigFor, slaPinAt } from '../settings/settings.service';
import { nextOrderNo } from './order-number';
import { deadlineFor, endDeadline, warningTimes, type AreaType } from './sla.rules';
import { flushOrderOutbox, orderEffect } from './workorder.effects';
import { WorkOrderModel, type NextDeadline, type TimelineEntry, type WorkOrder } from './workorder.model';
import { planSystemStep, systemStepFrom, SystemStepRefused, type OrderStatus, type StepInput, type SystemAction } from './workorder.rules';

const CLEAR_MARKS = { 'slaMarks.warn50At': null, 'slaMarks.warn80At': null, 'slaMarks.overdueAt': null };
const BULK = 1000;
const PASSES = 3;

function systemEntry(
  action: string,
  from: OrderStatus | null,
  to: OrderStatus | null,
  now: Date,
  note: string,
  visibility: 'customer' | 'internal' = 'customer',
): TimelineEntry {
  return { actorId: null, actorRole: 'system', actorName: null, action, from, to, at: now, note, visibility, attachments: [] };
}

/** The deadline the incident order runs against in `status` (its own SLA versions), as people's steps compute it. */
function incidentDeadline(
  o: Pick<WorkOrder, 'areaType' | 'slaVersion' | 'calendarVersion'>,
  status: OrderStatus,
  clock: { startedAt: Date },
  now: Date,
): NextDeadline | null {
  const sla = slaConfigFor(o, now);
  const d = deadlineFor(
    {
      type: 'fault_repair',
      subtype: null,
      status,
      channel: 'staff',
      areaType: o.areaType,
      supplyClass: 'residential',
      paymentMode: null,
      now,
      clockStartedAt: clock.startedAt,
      pausedMsSinceClock: 0,
    },
    sla,
  );
  return d ? { id: new Types.ObjectId(), ...d, ...warningTimes(d, sla) } : null;
}

// ---------------------------------------------------------------------------------------------
// The incident order

export interface IncidentSpec {
  /** The outage's _id: one incident per outage, and creating it twice is a duplicate key. */
  id: Types.ObjectId;
  /** Fault outages need a crew (5-minute dispatch promise); reports during planned work need none of their own. */
  needsDispatch: boolean;
  regionId: Types.ObjectId | null;
  feederId: Types.ObjectId | null;
  transformerAreaId: Types.ObjectId | null;
  transformerAreaName: string;
  areaType: AreaType;
  category: string;
  description: string;
  /** The creation entry on its timeline. */
  note: string;
  /** Extra fields of its 'workorder.created' event (e.g. the outage id). */
  payload?: Record<string, unknown>;
  now?: Date;
}

/**
 * Opens the incident order (故障事件工单) of an outage: ONE dispatchable order for the reports it carries.
 * Idempotent: the id is the outage's, so a retry or a second instance finds it instead of opening another.
 */
export async function openIncidentOrder(spec: IncidentSpec): Promise<{ orderId: Types.ObjectId; orderNo: string; created: boolean }> {
  const existing = await WorkOrderModel.findById(spec.id, { orderNo: 1 }).lean();
  if (existing) return { orderId: spec.id, orderNo: existing.orderNo, created: false };
  await ensureSettingsFresh();
  const now = spec.now ?? new Date();
  const status: OrderStatus = 'reported';
  const pin = slaPinAt(now);
  const clock = { startedAt: now, pausedMsAtStart: 0 };
  const priority = spec.needsDispatch ? { score: 90, level: 'high' } : { score: 30, level: 'medium' };
  const orderNo = await nextOrderNo(now);
  const outbox = [
    orderEffect({ _id: spec.id, orderNo, type: 'fault_repair', regionId: spec.regionId, priority }, 'workorder.created', status, now, 0, {
      incident: true,
      ...spec.payload,
    }),
  ];
  try {
    await WorkOrderModel.create({
      _id: spec.id,
      orderNo,
      type: 'fault_repair',
      subtype: null,
      channel: 'staff',
      status,
      version: 0,
      priority,
      ...pin,
      contactName: '系统',
      transformerAreaId: spec.transformerAreaId,
      transformerAreaName: spec.transformerAreaName.slice(0, 100),
      feederId: spec.feederId,
      regionId: spec.regionId,
      areaType: spec.areaType,
      faultKind: 'area_outage',
      category: spec.category,
      description: spec.description,
      assignee: { department: '配抢指挥', agentId: null, crewId: null },
      clock,
      nextDeadline: spec.needsDispatch ? incidentDeadline({ areaType: spec.areaType, ...pin }, status, clock, now) : null,
      slaMarks: { warn50At: null, warn80At: null, overdueAt: null },
      timeline: [systemEntry('create', null, status, now, spec.note)],
      outbox,
    });
  } catch (err) {
    const raced = isDuplicateKeyError(err) ? await WorkOrderModel.findById(spec.id, { orderNo: 1 }).lean() : null;
    if (raced) return { orderId: spec.id, orderNo: raced.orderNo, created: false };
    throw err;
  }
  await recordAudit({
    actorId: 'system',
    actorRoles: ['system'],
    action: 'workorder.create',
    targetType: 'workorder',
    targetId: String(spec.id),
    detail: { orderNo, type: 'fault_repair', status, channel: 'staff', incident: true },
  });
  await flushOrderOutbox([{ _id: spec.id, regionId: spec.regionId, outbox }]).catch(() => undefined);
  return { orderId: spec.id, orderNo, created: true };
}

// ---------------------------------------------------------------------------------------------
// Steps on many orders

type Candidate = Pick<
  WorkOrder,
  | '_id'
  | 'type'
  | 'status'
  | 'version'
  | 'faultKind'
  | 'incidentId'
  | 'regionId'
  | 'pausedAt'
  | 'pausedReasonCode'
  | 'areaType'
  | 'slaVersion'
  | 'calendarVersion'
  | 'nextDeadline'
>;
const CANDIDATE_FIELDS = {
  type: 1,
  status: 1,
  version: 1,
  faultKind: 1,
  incidentId: 1,
  regionId: 1,
  pausedAt: 1,
  pausedReasonCode: 1,
  areaType: 1,
  slaVersion: 1,
  calendarVersion: 1,
  nextDeadline: 1,
};

export interface SystemStepResult {
  /** Orders the step was written on (and published for). */
  applied: Types.ObjectId[];
  /** Orders the table refused, with the reason (e.g. a crew already on its way). */
  refused: { orderId: Types.ObjectId; message: string }[];
}

interface StepWrite {
  set?: Record<string, unknown>;
  push?: Record<string, unknown>;
  inc?: Record<string, number>;
  entry: TimelineEntry;
}

interface StepSpec {
  action: SystemAction;
  /** Which orders: a scope (narrowed to the statuses the table allows the step from), or orders named one by one. */
  filter: Record<string, unknown>;
  explicit?: boolean;
  input: StepInput;
  /**
   * Everything the table's decision reads besides the status (merge: not merged yet; restore: merged into this
   * incident). With the status it guards each write, so a write lands only on an order still as it was decided.
   */
  guard: Record<string, unknown>;
  /** The effect's key, the same for every order (published per order as `<orderId>:<key>`): one step, one event each. */
  effectKey: string;
  payload?: Record<string, unknown>;
  now: Date;
  /** The write for an order; orders for which `alike` is true get the same write for the same status. */
  write: (o: Candidate, to: OrderStatus) => StepWrite;
  alike: (o: Candidate) => boolean;
  /** What else the shared write of alike orders assumes (e.g. not paused). */
  alikeGuard?: Record<string, unknown>;
}

/**
 * Decides the step for each order (planSystemStep), writes it guarded on what the decision read, and publishes
 * the outbox of what was written. Alike orders with the same decision inputs (status, type, fault kind, and the
 * guard's incident) get one updateMany over exactly those inputs — any order matching it is one the table decided
 * the same way — so thousands of merged reports are one write on a storm; the others one guarded update each
 * (status and version). An order that moved meanwhile is decided again on what it is now.
 */
async function applySystemStep(spec: StepSpec): Promise<SystemStepResult> {
  const { action, now } = spec;
  const applied: Types.ObjectId[] = [];
  const refused: SystemStepResult['refused'] = [];
  const states = { status: { $in: systemStepFrom(action) } };
  let query: Record<string, unknown> = spec.explicit ? spec.filter : { ...spec.filter, ...spec.guard, ...states };
  for (let pass = 0; pass < PASSES; pass++) {
    const docs = (await WorkOrderModel.find(query, CANDIDATE_FIELDS).lean()) as unknown as Candidate[];
    if (!docs.length) break;
    // Two writers deciding at once write the same key; the writer token tells whose update landed.
    const writer = new Types.ObjectId().toHexString();
    const groups = new Map<string, { ids: Types.ObjectId[]; inputs: Record<string, unknown>; to: OrderStatus; w: StepWrite }>();
    const singles: unknown[] = [];
    const tried: Types.ObjectId[] = [];
    for (const o of docs) {
      let to: OrderStatus;
      try {
        ({ to } = planSystemStep(o, action, spec.input));
      } catch (err) {
        if (err instanceof SystemStepRefused) {
          refused.push({ orderId: o._id, message: err.message });
          continue;
        }
        throw err;
      }
      tried.push(o._id);
      const effect = {
        key: spec.effectKey,
        relative: true,
        type: `workorder.${action}`,
        at: now,
        payload: { orderType: o.type, status: to, incidentId: spec.input.incidentId ?? null, ...spec.payload },
        writer,
      };
      const update = (w: StepWrite) => ({
        $set: { status: to, updatedAt: now, ...w.set },
        $inc: { version: 1, ...w.inc },
        $push: { timeline: w.entry, outbox: effect, ...w.push },
      });
      if (spec.alike(o)) {
        const k = `${o.status}|${o.type}|${o.faultKind ?? ''}`;
        const g = groups.get(k) ?? { ids: [], inputs: { status: o.status, type: o.type, faultKind: o.faultKind ?? null }, to, w: spec.write(o, to) };
        g.ids.push(o._id);
        groups.set(k, g);
      } else {
        singles.push({
          updateOne: { filter: { _id: o._id, status: o.status, version: o.version, ...spec.guard }, update: update(spec.write(o, to)) },
        });
      }
    }
    for (const g of groups.values()) {
      const effect = {
        key: spec.effectKey,
        relative: true,
        type: `workorder.${action}`,
        at: now,
        payload: { orderType: g.inputs.type, status: g.to, incidentId: spec.input.incidentId ?? null, ...spec.payload },
        writer,
      };
      // Orders named one by one: those. A scope: every order in it with the same inputs (on the embedded server a
      // long `_id: {$in}` list costs a scan per id; one filter is one scan).
      const which = spec.explicit || pass > 0 ? { _id: { $in: g.ids } } : spec.filter;
      await WorkOrderModel.updateMany(
        { ...which, ...g.inputs, ...spec.guard, ...spec.alikeGuard },
        {
          $set: { status: g.to, updatedAt: now, ...g.w.set },
          $inc: { version: 1, ...g.w.inc },
          $push: { timeline: g.w.entry, outbox: effect, ...g.w.push },
        },
      );
    }
    for (let i = 0; i < singles.length; i += BULK) await WorkOrderModel.bulkWrite(singles.slice(i, i + BULK) as never, { ordered: false });
    // Who won: the orders now carrying this pass's effect. The rest moved meanwhile and are decided again (an effect
    // published and cleared by another writer's flush in this instant reads as lost: decided again, it is refused).
    const won = tried.length
      ? ((await WorkOrderModel.find({ 'outbox.writer': writer }, { _id: 1, regionId: 1, outbox: 1 }).lean()) as unknown as Pick<
          WorkOrder,
          '_id' | 'regionId' | 'outbox'
        >[])
      : [];
    applied.push(...won.map((d) => d._id));
    await flushOrderOutbox(won).catch(() => undefined);
    const wonIds = new Set(won.map((d) => String(d._id)));
    const lost = tried.filter((id) => !wonIds.has(String(id)));
    if (!lost.length) break;
    query = { _id: { $in: lost }, ...spec.guard, ...states };
  }
  return { applied, refused };
}

/**
 * Merges open "no power" reports into the incident (only those the table lets in: not yet taken up by a crew).
 * Their own deadlines stop — the incident carries the clock — and the customer-visible note says why.
 * A retry merges nothing twice: merged reports no longer match.
 */
export async function mergeIntoIncident(
  incidentId: Types.ObjectId,
  scope: { transformerAreaIds?: Types.ObjectId[]; orderIds?: Types.ObjectId[] },
  opts: { note: string; now?: Date; payload?: Record<string, unknown> },
): Promise<SystemStepResult> {
  const now = opts.now ?? new Date();
  const filter: Record<string, unknown> = scope.orderIds
    ? { _id: { $in: scope.orderIds } }
    : { type: 'fault_repair', incidentId: null, _id: { $ne: incidentId }, transformerAreaId: { $in: scope.transformerAreaIds ?? [] } };
  const r = await applySystemStep({
    action: 'merge',
    filter,
    explicit: !!scope.orderIds,
    input: { incidentId: String(incidentId) },
    guard: { incidentId: null },
    effectKey: `workorder.merge:${incidentId}`,
    payload: opts.payload,
    now,
    write: (o) => ({ set: { incidentId, nextDeadline: null, ...CLEAR_MARKS }, entry: systemEntry('merge', o.status, o.status, now, opts.note) }),
    alike: () => true,
  });
  if (r.applied.length) {
    await recordAudit({
      actorId: 'system',
      actorRoles: ['system'],
      action: 'workorder.merge',
      targetType: 'workorder',
      targetId: String(incidentId),
      detail: { merged: r.applied.length, orderIds: r.applied.map(String) },
    });
  }
  return r;
}

/** A customer-visible progress note (e.g. a new ETR) on every open report of the incident; `key` names the change (once per key). */
export async function noteIncidentReports(incidentId: Types.ObjectId, note: string, key: string, now = new Date()): Promise<SystemStepResult> {
  return applySystemStep({
    action: 'outageNote',
    filter: { incidentId },
    input: { incidentId: String(incidentId), notes: note },
    guard: { incidentId },
    effectKey: `workorder.outageNote:${incidentId}:${key}`,
    now,
    write: (o) => ({ entry: systemEntry('outageNote', o.status, o.status, now, note) }),
    alike: () => true,
  });
}

/**
 * Power is back: every open report of the incident is resolved with the restoration as its resolution, then the
 * incident order itself, which starts its return-visit clock. Merged reports keep no clock of their own; a paused
 * one's pause ends here. Idempotent: resolved orders are not open any more.
 */
export async function resolveIncident(
  incidentId: Types.ObjectId,
  resolution: string,
  now = new Date(),
): Promise<{ resolved: number; incidentResolved: boolean }> {
  const input: StepInput = { incidentId: String(incidentId), notes: resolution };
  const endPause = (o: Candidate): { set: Record<string, unknown>; push: Record<string, unknown>; inc: Record<string, number> } =>
    o.pausedAt
      ? {
          set: { pausedAt: null, pausedReasonCode: null },
          push: { pauses: { from: o.pausedAt, to: now, reasonCode: o.pausedReasonCode ?? 'waiting_customer', note: '恢复送电，挂起结束' } },
          inc: { pausedMs: now.getTime() - new Date(o.pausedAt).getTime() },
        }
      : { set: {}, push: {}, inc: {} };
  const resolvedFields = { resolvedAt: now, resolution, ...CLEAR_MARKS };
  const write =
    (deadline: (o: Candidate, to: OrderStatus) => NextDeadline | null) =>
    (o: Candidate, to: OrderStatus): StepWrite => {
      const p = endPause(o);
      // The incident's restoration promise ends here (merged reports carry no deadline of their own).
      const ended = endDeadline(o.nextDeadline, now);
      return {
        set: { ...resolvedFields, nextDeadline: deadline(o, to), ...p.set },
        push: ended ? { ...p.push, slaHistory: ended } : p.push,
        inc: p.inc,
        entry: systemEntry('restore', o.status, to, now, resolution),
      };
    };
  // An outage restores a report once: a report reopened after it (a dissatisfied visit) is the crew's again.
  const reports = await applySystemStep({
    action: 'restore',
    filter: { incidentId },
    input,
    guard: { incidentId, 'timeline.action': { $ne: 'restore' } },
    effectKey: `workorder.restore:${incidentId}`,
    now,
    write: write(() => null),
    alike: (o) => !o.pausedAt,
    alikeGuard: { pausedAt: null },
  });
  const incident = await WorkOrderModel.findById(incidentId, { slaVersion: 1, calendarVersion: 1 }).lean();
  if (incident)
    await ensureSettingVersions([
      { kind: 'sla', version: incident.slaVersion },
      { kind: 'calendar', version: incident.calendarVersion },
    ]);
  const inc = await applySystemStep({
    action: 'restore',
    filter: { _id: incidentId },
    input,
    guard: { 'timeline.action': { $ne: 'restore' } },
    effectKey: `workorder.restore:${incidentId}`,
    now,
    write: write((o, to) => incidentDeadline(o, to, { startedAt: now }, now)),
    alike: () => false,
  });
  if (reports.applied.length || inc.applied.length) {
    await recordAudit({
      actorId: 'system',
      actorRoles: ['system'],
      action: 'workorder.restore',
      targetType: 'workorder',
      targetId: String(incidentId),
      detail: { resolved: reports.applied.length, incident: inc.applied.length === 1, orderIds: reports.applied.map(String) },
    });
  }
  return { resolved: reports.applied.length, incidentResolved: inc.applied.length === 1 };
}
