/**
 * Keeps order_facts and the roll-ups up to date (api/docs/quality.md):
 *
 * 1. follow the event log from a durable cursor (quality_meta 'cursor'); every order write publishes an event;
 * 2. recompute the facts of the orders named by the events, and of the earlier orders of the same account whose
 *    7-day FCR window the new contact may fall into; mark every day of the old and new facts dirty;
 * 3. recompute each dirty day from the facts touching it (rollupDay, pure) and replace its roll-up document,
 *    then its month; a day marked again meanwhile (rev changed) stays dirty and is done again.
 *
 * Every step recomputes from the source (facts from orders, roll-ups from facts) and writes with unique keys, so
 * running it twice, on two instances or after a crash at any point gives the same roll-ups.
 */
import { Types } from 'mongoose';
import { AccountModel } from '../accounts/account.model';
import { UserModel } from '../auth/user.model';
import { latestEventSeq, readEventsAfter } from '../events/event.service';
import { WorkOrderModel, type WorkOrder } from '../workorders/workorder.model';
import { type FactContext, isContact, nextContacts, type OrderFact, orderFacts } from './facts.rules';
import {
  type AccountOrderEntry,
  OrderFactModel,
  QualityAccountModel,
  QualityDirtyModel,
  QualityMetaModel,
  QualityRollupModel,
} from './quality.model';
import { addAhtSample, countFact, dimsKey, emptyCounters, type RollupPeriod, type RollupRow, rollupDay, rollupMonth } from './rollup.rules';

const ORDER_PROJECTION = { outbox: 0, photos: 0, description: 0 } as const;
const CURSOR = 'cursor';

type Meta = { _id: string; seq?: number; at?: Date; byRegion?: Record<string, number> };

export async function agentTeams(): Promise<Map<string, string | null>> {
  const users = await UserModel.find({ teamId: { $ne: null } }, { teamId: 1 }).lean();
  return new Map(users.map((u) => [String(u._id), u.teamId ? String(u.teamId) : null]));
}

/** Facts replaced whole by order id (native driver: stored exactly as computed). */
async function writeFacts(facts: OrderFact[]) {
  if (!facts.length) return;
  await OrderFactModel.collection.bulkWrite(
    facts.map((f) => ({ replaceOne: { filter: { _id: f.orderId as never }, replacement: { ...f }, upsert: true } })),
    { ordered: false },
  );
}

/** Reads stored facts back (dates come back as Dates from the driver). */
export async function loadFacts(ids: string[]): Promise<Map<string, OrderFact>> {
  if (!ids.length) return new Map();
  const docs = (await OrderFactModel.find({ _id: { $in: ids } }).lean()) as unknown as (OrderFact & { _id: string })[];
  return new Map(docs.map((d) => [d._id, stripId(d)]));
}

function stripId(d: OrderFact & { _id?: string }): OrderFact {
  const { _id, ...rest } = d;
  return rest as OrderFact;
}

/** Marks days dirty (upsert, rev + 1): what makes a day's recompute happen again even if one is running now. */
export async function markDirty(days: Map<string, Set<string>>, now = new Date()): Promise<number> {
  if (!days.size) return 0;
  // `ids`: the orders whose facts touch (or touched) the day — with the day's own list, every fact the recompute needs.
  await QualityDirtyModel.collection.bulkWrite(
    [...days.entries()].map(([d, ids]) => ({
      updateOne: {
        filter: { _id: d as never },
        update: { $inc: { rev: 1 }, $set: { at: now }, $addToSet: { ids: { $each: [...ids] } } },
        upsert: true,
      },
    })),
    { ordered: false },
  );
  return days.size;
}

/**
 * Recomputes and stores the facts of these orders (plus the earlier orders of their accounts whose FCR may change),
 * marking old ∪ new days dirty first. Returns the number of facts written.
 */
export async function refreshFacts(orderIds: string[], now = new Date(), teams?: Map<string, string | null>): Promise<number> {
  const ids = [...new Set(orderIds)].filter((id) => Types.ObjectId.isValid(id));
  if (!ids.length) return 0;
  const agentTeam = teams ?? (await agentTeams());
  let orders = (await WorkOrderModel.find(
    { _id: { $in: ids.map((i) => new Types.ObjectId(i)) } },
    ORDER_PROJECTION,
  ).lean()) as unknown as WorkOrder[];

  // The accounts' order lists: first bring them up to date with these orders' creation times.
  const accountIds = [...new Set(orders.map((o) => (o.accountId ? String(o.accountId) : null)).filter((a): a is string => !!a))];
  const accounts = new Map<string, Record<string, AccountOrderEntry>>();
  if (accountIds.length) {
    for (const a of await QualityAccountModel.find({ _id: { $in: accountIds } }).lean()) {
      accounts.set(String(a._id), ((a as { orders?: Record<string, AccountOrderEntry> }).orders ?? {}) as Record<string, AccountOrderEntry>);
    }
  }
  const extra = new Set<string>();
  for (const o of orders) {
    if (!o.accountId) continue;
    const list = accounts.get(String(o.accountId)) ?? {};
    accounts.set(String(o.accountId), list);
    list[String(o._id)] = { createdAt: new Date(o.createdAt), resolvedAt: list[String(o._id)]?.resolvedAt ?? null, contact: isContact(o) };
    // Earlier orders of the account whose 7-day window this contact may fall in.
    for (const [id, e] of Object.entries(list)) {
      if (ids.includes(id)) continue;
      const c = new Date(o.createdAt).getTime();
      if (new Date(e.createdAt).getTime() < c && (!e.resolvedAt || new Date(e.resolvedAt).getTime() + 7 * 86_400_000 >= c)) extra.add(id);
    }
  }
  if (extra.size) {
    const more = (await WorkOrderModel.find(
      { _id: { $in: [...extra].map((i) => new Types.ObjectId(i)) } },
      ORDER_PROJECTION,
    ).lean()) as unknown as WorkOrder[];
    orders = [...orders, ...more];
  }

  const next = new Map<string, Date | null>();
  for (const list of accounts.values()) {
    const n = nextContacts(Object.entries(list).map(([id, e]) => ({ id, createdAt: new Date(e.createdAt), contact: e.contact })));
    for (const [k, v] of n) next.set(k, v);
  }
  const facts = orders.map((o) => orderFacts(o, { now, agentTeam, nextContactAt: next.get(String(o._id)) ?? null } satisfies FactContext));
  const old = await loadFacts(facts.map((f) => f.orderId));
  const dirty = new Map<string, Set<string>>();
  const touch = (d: string, id: string) => {
    const set = dirty.get(d) ?? new Set<string>();
    set.add(id);
    dirty.set(d, set);
  };
  for (const f of facts) {
    for (const d of f.days) touch(d, f.orderId);
    for (const d of old.get(f.orderId)?.days ?? []) touch(d, f.orderId);
  }
  // Dirty first: a crash after this and before the fact write only makes a day be recomputed needlessly.
  await markDirty(dirty, now);
  await writeFacts(facts);
  // The accounts' lists with the resolutions now known ($set per order: idempotent).
  const accountOps = facts
    .filter((f) => f.accountId)
    .map((f) => ({
      updateOne: {
        filter: { _id: f.accountId! },
        update: {
          $set: {
            [`orders.${f.orderId}`]: {
              createdAt: f.createdAt,
              resolvedAt: f.resolvedAt,
              contact: accounts.get(f.accountId!)?.[f.orderId]?.contact ?? true,
            },
          },
        },
        upsert: true,
      },
    }));
  if (accountOps.length) await QualityAccountModel.bulkWrite(accountOps, { ordered: false });
  return facts.length;
}

async function getMeta(id: string): Promise<Meta | null> {
  return (await QualityMetaModel.findById(id).lean()) as Meta | null;
}

/** Follows the event log: one batch of events → the facts of their orders. Returns how many events were read. */
export async function processEvents(opts: { limit?: number; now?: Date } = {}): Promise<{ events: number; facts: number; cursor: number }> {
  const now = opts.now ?? new Date();
  const cur = (await getMeta(CURSOR))?.seq ?? 0;
  const { events, last } = await readEventsAfter(cur, { limit: opts.limit ?? 500, now });
  if (last === cur) return { events: 0, facts: 0, cursor: cur };
  const ids = [...new Set(events.map((e) => (e.orderId ? String(e.orderId) : null)).filter((x): x is string => !!x))];
  const facts = await refreshFacts(ids, now);
  // Guarded advance: a runner that lost the race (or is late) cannot move the cursor back or skip.
  await QualityMetaModel.updateOne(
    { _id: CURSOR, $or: [{ seq: cur }, { seq: { $exists: false } }] },
    { $set: { seq: last, at: now } },
    { upsert: cur === 0 },
  ).catch(() => undefined);
  return { events: events.length, facts, cursor: last };
}

const monthOf = (day: string) => day.slice(0, 7);

function daysOfMonth(month: string): string[] {
  const [y, m] = month.split('-').map(Number);
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

async function writePeriods(periods: RollupPeriod[], now: Date) {
  if (!periods.length) return;
  // The native driver: documents stored exactly as computed (mongoose would drop empty objects such as `sla: {}`).
  await QualityRollupModel.collection.bulkWrite(
    periods.map((p) => ({
      replaceOne: {
        filter: { _id: p._id as never },
        replacement: p.orderIds ? { rows: p.rows, aht: p.aht, orderIds: p.orderIds, updatedAt: now } : { rows: p.rows, aht: p.aht, updatedAt: now },
        upsert: true,
      },
    })),
    { ordered: false },
  );
}

/** Recomputes the months holding these days from their day documents. */
export async function recomputeMonths(months: Iterable<string>, now = new Date()) {
  for (const m of new Set(months)) {
    const docs = (await QualityRollupModel.find(
      { _id: { $in: daysOfMonth(m).map((d) => `d:${d}`) } },
      { orderIds: 0 },
    ).lean()) as unknown as RollupPeriod[];
    await writePeriods([rollupMonth(m, docs)], now);
  }
}

/** Recomputes dirty days (at most `limit` per call) and their months. */
export async function processDirty(opts: { limit?: number; now?: Date; shouldContinue?: () => boolean } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const dirty = (await QualityDirtyModel.find({})
    .sort({ _id: 1 })
    .limit(opts.limit ?? 62)
    .lean()) as { _id: string; rev: number; ids?: string[] }[];
  if (!dirty.length) return 0;
  const days = dirty.map((d) => d._id);
  // The facts touching these days: the days' own lists (as last computed) ∪ the orders marked since — read by _id.
  const current = (await QualityRollupModel.find({ _id: { $in: days.map((d) => `d:${d}`) } }, { orderIds: 1 }).lean()) as { orderIds?: string[] }[];
  const ids = new Set<string>([...current.flatMap((c) => c.orderIds ?? []), ...dirty.flatMap((d) => d.ids ?? [])]);
  const facts = await factsTouching(days, [...ids]);
  const periods = days.map((d) => rollupDay(facts, d));
  if (opts.shouldContinue && !opts.shouldContinue()) return 0;
  await writePeriods(periods, now);
  await recomputeMonths(days.map(monthOf), now);
  // Done only if nobody marked the day again meanwhile.
  await QualityDirtyModel.bulkWrite(
    dirty.map((d) => ({ deleteOne: { filter: { _id: d._id, rev: d.rev } } })),
    { ordered: false },
  );
  return days.length;
}

/** Facts that change by time alone (a pending deadline fell due, an FCR window closed): recomputed. */
export async function recheckFacts(now = new Date(), limit = 2000): Promise<number> {
  const due = await OrderFactModel.find({ recheckAt: { $ne: null, $lte: now } }, { _id: 1 })
    .limit(limit)
    .lean();
  return refreshFacts(
    due.map((d) => String(d._id)),
    now,
  );
}

/** Customers (accounts) per region for 万户投诉率: a small document refreshed by the job, never counted per view. */
export async function refreshCustomerCounts(now = new Date()): Promise<Record<string, number>> {
  const rows = (await AccountModel.aggregate([{ $group: { _id: '$regionId', n: { $sum: 1 } } }])) as { _id: unknown; n: number }[];
  const byRegion = Object.fromEntries(rows.filter((r) => r._id).map((r) => [String(r._id), r.n]));
  await QualityMetaModel.updateOne({ _id: 'customers' }, { $set: { byRegion, at: now } }, { upsert: true });
  return byRegion;
}

export async function customerCounts(): Promise<Record<string, number>> {
  return (await getMeta('customers'))?.byRegion ?? {};
}

/** When the roll-ups were last brought up to date (the cursor's last move). */
export async function rollupUpdatedAt(): Promise<Date | null> {
  return (await getMeta(CURSOR))?.at ?? null;
}

const RECHECK_EVERY_MS = 5 * 60_000;
const DAILY_MS = 24 * 3600_000;

/** Runs `fn` when `everyMs` passed since the meta doc's last run (claimed by a guarded update: once across instances). */
async function every(id: string, everyMs: number, now: Date, fn: () => Promise<unknown>) {
  const m = await getMeta(id);
  if (m?.at && now.getTime() - new Date(m.at).getTime() < everyMs) return false;
  const claimed = await QualityMetaModel.updateOne(
    m?.at ? { _id: id, at: m.at } : { _id: id, at: { $exists: false } },
    { $set: { at: now } },
    { upsert: !m },
  ).catch(() => null);
  if (!claimed || (claimed.matchedCount === 0 && claimed.upsertedCount === 0)) return false;
  await fn();
  return true;
}

/**
 * The daily reconcile: orders changed since the last reconcile get their facts recomputed, whatever the events
 * said (a write path that published no event is caught here within a day).
 */
export async function reconcile(since: Date, now = new Date()): Promise<number> {
  const changed = await WorkOrderModel.find({ updatedAt: { $gte: since } }, { _id: 1 }).lean();
  let n = 0;
  for (let i = 0; i < changed.length; i += 500)
    n += await refreshFacts(
      changed.slice(i, i + 500).map((o) => String(o._id)),
      now,
    );
  return n;
}

/** One round of the job: events, time-driven rechecks, dirty days; the daily chores when due. */
export async function runQualityRound(opts: { now?: Date; shouldContinue?: () => boolean; maxBatches?: number } = {}) {
  const go = opts.shouldContinue ?? (() => true);
  let events = 0;
  let days = 0;
  for (let i = 0; i < (opts.maxBatches ?? 20) && go(); i++) {
    const r = await processEvents({ now: opts.now });
    events += r.events;
    if (r.events === 0) break;
  }
  const now = opts.now ?? new Date();
  if (go()) await every('recheck', RECHECK_EVERY_MS, now, () => recheckFacts(now));
  if (go()) {
    const last = (await getMeta('reconcile'))?.at;
    await every('reconcile', DAILY_MS, now, async () => {
      if (last) await reconcile(new Date(new Date(last).getTime() - 3600_000), now);
      await refreshCustomerCounts(now);
    });
  }
  for (let i = 0; i < 20 && go(); i++) {
    const n = await processDirty({ now: opts.now, shouldContinue: go });
    days += n;
    if (n === 0) break;
  }
  return { events, days };
}

/**
 * Every order, in pages of `size` by _id ranges. The embedded server answers a find over all orders only once it has
 * built the whole answer (at 180,000 full orders that outlasts the driver's heartbeat), and each query costs a scan
 * there whatever its limit: so the ids are read once (small documents), sorted, and cut into ranges of `size`.
 */
async function* pagesOf<T extends { _id: Types.ObjectId }>(
  projection: Record<string, 0 | 1>,
  size: number,
  ids?: Types.ObjectId[],
): AsyncGenerator<T> {
  const all = ids ?? (await allOrderIds());
  for (let i = 0; i < all.length; i += size) {
    const last = all[Math.min(i + size, all.length) - 1];
    const page = (await WorkOrderModel.find({ _id: { $gte: all[i], $lte: last } }, projection).lean()) as unknown as T[];
    for (const o of page) yield o;
  }
}

async function allOrderIds(): Promise<Types.ObjectId[]> {
  const docs = await WorkOrderModel.find({}, { _id: 1 }).lean();
  return docs.map((d) => d._id as Types.ObjectId).sort((a, b) => a.toHexString().localeCompare(b.toHexString()));
}

/**
 * Full recompute of every fact and every roll-up (the history seed calls it at its end; tests compare the job
 * with it). Batched: orders are read in two passes with projections, facts written in bulks of 1,000, roll-ups
 * accumulated in memory and written at the end; the event cursor moves to where the log stood at the start.
 */
export async function rebuildQuality(
  opts: { now?: Date; batch?: number; log?: (msg: string) => void } = {},
): Promise<{ orders: number; days: number }> {
  const now = opts.now ?? new Date();
  const batch = opts.batch ?? 1000;
  const seqAtStart = await latestEventSeq();
  const agentTeam = await agentTeams();

  // Pass 1: every account's contacts.
  const byAccount = new Map<string, { id: string; createdAt: Date; contact: boolean }[]>();
  const ids = await allOrderIds();
  for await (const o of pagesOf<{ _id: Types.ObjectId; accountId: unknown; createdAt: Date; type: string }>(
    { accountId: 1, createdAt: 1, type: 1 },
    20_000,
    ids,
  )) {
    if (!o.accountId) continue;
    const k = String(o.accountId);
    const list = byAccount.get(k) ?? [];
    list.push({ id: String(o._id), createdAt: new Date(o.createdAt), contact: isContact(o as never) });
    byAccount.set(k, list);
  }
  const next = new Map<string, Date | null>();
  for (const list of byAccount.values()) for (const [k, v] of nextContacts(list)) next.set(k, v);
  const t0 = Date.now();
  const lap = (what: string) => opts.log?.(`质量重算：${what}（${((Date.now() - t0) / 1000).toFixed(1)} 秒）`);
  lap('各户来电序列');

  // Pass 2: facts, and the roll-ups accumulated day by day.
  const dayRows = new Map<string, Map<string, RollupRow>>();
  const dayAht = new Map<string, Record<string, Record<string, number>>>();
  const dayIds = new Map<string, string[]>();
  const accountEntries = new Map<string, Record<string, AccountOrderEntry>>();
  let buf: OrderFact[] = [];
  let n = 0;
  const flush = async () => {
    if (!buf.length) return;
    await writeFacts(buf);
    buf = [];
  };
  for await (const o of pagesOf<WorkOrder>(ORDER_PROJECTION, 5000, ids)) {
    const f = orderFacts(o as unknown as WorkOrder, { now, agentTeam, nextContactAt: next.get(String(o._id)) ?? null });
    n++;
    for (const day of f.days) {
      const rows = dayRows.get(day) ?? new Map<string, RollupRow>();
      dayRows.set(day, rows);
      const ids = dayIds.get(day) ?? [];
      ids.push(f.orderId);
      dayIds.set(day, ids);
      const dims = { regionId: f.regionId, teamId: f.teamId, agentId: f.agentId, type: f.type, channel: f.channel };
      const k = dimsKey(dims);
      const row = rows.get(k) ?? { ...dims, ...emptyCounters() };
      if (countFact(row, f, day)) rows.set(k, row);
      if (f.resolvedDay === day && f.ahtMs !== null) {
        const aht = dayAht.get(day) ?? {};
        dayAht.set(day, aht);
        addAhtSample(aht, f.type, f.ahtMs);
      }
    }
    if (f.accountId) {
      const e = accountEntries.get(f.accountId) ?? {};
      e[f.orderId] = { createdAt: f.createdAt, resolvedAt: f.resolvedAt, contact: isContact(o as never) };
      accountEntries.set(f.accountId, e);
    }
    buf.push(f);
    if (buf.length >= batch) await flush();
    if (n % 20_000 === 0) opts.log?.(`质量事实 ${n} 条`);
  }
  await flush();
  lap(`${n} 条工单事实`);

  const periods: RollupPeriod[] = [...dayRows.entries()].map(([day, rows]) => ({
    _id: `d:${day}`,
    rows: [...rows.values()].sort((a, b) => dimsKey(a).localeCompare(dimsKey(b))),
    aht: dayAht.get(day) ?? {},
    orderIds: [...new Set(dayIds.get(day) ?? [])].sort(),
  }));
  for (let i = 0; i < periods.length; i += 50) await writePeriods(periods.slice(i, i + 50), now);
  const byMonth = new Map<string, RollupPeriod[]>();
  for (const p of periods) {
    const m = monthOf(p._id.slice(2));
    byMonth.set(m, [...(byMonth.get(m) ?? []), p]);
  }
  await writePeriods(
    [...byMonth.entries()].map(([m, ds]) => rollupMonth(m, ds)),
    now,
  );
  // Periods no order touches any more.
  const keep = [...periods.map((p) => p._id), ...[...byMonth.keys()].map((m) => `m:${m}`)];
  await QualityRollupModel.deleteMany({ _id: { $nin: keep } });

  const accOps = [...accountEntries.entries()].map(([id, orders]) => ({
    replaceOne: { filter: { _id: id }, replacement: { _id: id, orders } as never, upsert: true },
  }));
  for (let i = 0; i < accOps.length; i += 1000) await QualityAccountModel.bulkWrite(accOps.slice(i, i + 1000), { ordered: false });

  await refreshCustomerCounts(now);
  lap('日/月汇总与户号序列');
  await QualityMetaModel.updateOne({ _id: CURSOR }, { $set: { seq: seqAtStart, at: now } }, { upsert: true });
  return { orders: n, days: periods.length };
}

/** Loads stored roll-up periods by id (the dashboard's only read of counters). */
export async function loadPeriods(ids: string[]): Promise<Map<string, RollupPeriod>> {
  if (!ids.length) return new Map();
  const docs = (await QualityRollupModel.find({ _id: { $in: ids } }, { orderIds: 0 }).lean()) as unknown as RollupPeriod[];
  return new Map(docs.map((d) => [d._id, d]));
}

/**
 * Order ids at which reading facts by id stops paying: on the embedded server `$in` costs ~0.3 ms per id while one
 * scan of all facts costs ~1.5 s at 180,000 (a real MongoDB uses the `days` index either way).
 */
const IN_LIMIT = 4000;

/** The facts touching any of `days`, given a superset of their ids: by id when few, else by the `days` field. */
export async function factsTouching(days: string[], ids: string[]): Promise<OrderFact[]> {
  if (ids.length <= IN_LIMIT) return [...(await loadFacts(ids)).values()];
  const docs = (await OrderFactModel.find({ days: { $in: days } }).lean()) as unknown as (OrderFact & { _id?: string })[];
  return docs.map(stripId);
}

/** The orders whose facts touch any of these days (from the day documents' lists). */
export async function orderIdsOfDays(days: string[]): Promise<string[]> {
  if (!days.length) return [];
  const docs = (await QualityRollupModel.find({ _id: { $in: days.map((d) => `d:${d}`) } }, { orderIds: 1 }).lean()) as { orderIds?: string[] }[];
  return [...new Set(docs.flatMap((d) => d.orderIds ?? []))];
}

export { rollupDay };

/**
 * The dashboard for a scope, server-side (the weekly team PDF of the warnings lane imports it from here): the same
 * function as quality.dashboard behind the router (quality.service.ts), loaded lazily to keep the modules acyclic.
 */
export async function dashboardFor(
  scope: import('./quality.types').ReportScope,
  input: import('./quality.types').DashboardInput,
  now?: Date,
): Promise<import('./quality.types').DashboardOutput> {
  const m = await import('./quality.service');
  return m.dashboardFor(scope, input, now);
}
