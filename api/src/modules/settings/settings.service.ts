/**
 * Versioned settings (SLA rules, working calendar, tariffs, late fees, cluster thresholds) in the database,
 * with a per-process cache.
 *
 * Versions are immutable, so the cache holds every version of every kind and a refresh only fetches the
 * versions newer than the ones it has (one small query). It refreshes at most every SETTINGS_REFRESH_MS
 * (default 3 s): on a timer (startSettingsRefresh, started with the API) and on demand (ensureSettingsFresh,
 * awaited where an order is created). So a change published on one instance is in force on every other
 * within the refresh interval, and a restart loses nothing. Which version is in force at an instant is
 * computed from the cached versions (a version scheduled for later takes over at its time, refresh or not).
 *
 * Publishing: validated (settings.rules), version = last + 1 through the unique (kind, version) index
 * (a lost race retries with the next number; no transactions), audited (who, when, before/after).
 */
import mongoose from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import { recordAudit } from '../audit/audit.service';
import { DomainError } from '../../lib/errors';
import { UserModel } from '../auth/user.model';
import type { AccessClaims } from '../auth/tokens';
import type { SlaConfig } from '../workorders/sla.rules';
import type { LateFeeRule, Tariff } from '../billing/tariff.rules';
import { SettingVersionModel } from './settings.model';
import {
  checkTransition,
  diffSettings,
  sameValue,
  SETTING_DEFAULTS,
  SETTING_KINDS,
  SETTING_KIND_LABELS,
  validateSetting,
  versionInForce,
  type SettingChange,
  type SettingKind,
  type SettingValues,
} from './settings.rules';

export interface SettingVersion<K extends SettingKind = SettingKind> {
  kind: K;
  version: number;
  value: SettingValues[K];
  effectiveAt: Date;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: Date;
  note: string;
  rolledBackFrom: number | null;
}

const EPOCH = new Date(0);
const defaultVersion = <K extends SettingKind>(kind: K): SettingVersion<K> => ({
  kind,
  version: 1,
  value: SETTING_DEFAULTS[kind],
  effectiveAt: EPOCH,
  createdBy: null,
  createdByName: null,
  createdAt: EPOCH,
  note: '系统默认值',
  rolledBackFrom: null,
});

// ---------------------------------------------------------------------------------------------
// The cache

let refreshMs = 3000;
const cache = {
  /** The database the cache was filled from (tests switch databases within one process). */
  db: null as string | null,
  versions: new Map<SettingKind, SettingVersion[]>(),
  loadedAt: 0,
  inflight: null as Promise<void> | null,
  /** Bumped by resetSettingsCache: a read begun before the reset must not fill the cache after it. */
  generation: 0,
  inflightGeneration: -1,
};
let timer: NodeJS.Timeout | null = null;

const dbName = () => mongoose.connection.db?.databaseName ?? mongoose.connection.name ?? null;

function versionsOf<K extends SettingKind>(kind: K): SettingVersion<K>[] {
  const list = (cache.versions.get(kind) ?? []) as SettingVersion<K>[];
  // No version 1 stored (a database nobody seeded): the defaults are version 1.
  return list[0]?.version === 1 ? list : [defaultVersion(kind), ...list];
}

/** The newest version number stored in the database (as far as this process has seen). */
const lastStored = (kind: SettingKind) => (cache.versions.get(kind) ?? []).reduce((m, v) => Math.max(m, v.version), 0);

function remember(v: SettingVersion) {
  const list = (cache.versions.get(v.kind) ?? []).filter((x) => x.version !== v.version);
  list.push(v);
  list.sort((a, b) => a.version - b.version);
  cache.versions.set(v.kind, list);
}

const fromDoc = (d: Record<string, unknown>): SettingVersion => ({
  kind: d.kind as SettingKind,
  version: d.version as number,
  value: d.value as SettingValues[SettingKind],
  effectiveAt: new Date(d.effectiveAt as Date),
  createdBy: (d.createdBy as string | null) ?? null,
  createdByName: (d.createdByName as string | null) ?? null,
  createdAt: new Date(d.createdAt as Date),
  note: (d.note as string) ?? '',
  rolledBackFrom: (d.rolledBackFrom as number | null) ?? null,
});

/** Reads the versions this process has not seen yet (all of them after a database switch). */
export async function refreshSettings(): Promise<void> {
  if (cache.inflight && cache.inflightGeneration === cache.generation) return cache.inflight;
  const generation = cache.generation;
  const read = (async () => {
    const db = dbName();
    if (db !== cache.db) {
      cache.versions.clear();
      cache.db = db;
    }
    const startedAt = Date.now();
    const docs = await SettingVersionModel.find({ $or: SETTING_KINDS.map((kind) => ({ kind, version: { $gt: lastStored(kind) } })) })
      .sort({ kind: 1, version: 1 })
      .lean();
    if (generation !== cache.generation) return; // reset meanwhile: the read after the reset fills the cache
    for (const d of docs) remember(fromDoc(d as unknown as Record<string, unknown>));
    cache.loadedAt = startedAt;
  })().finally(() => {
    if (cache.inflight === read) cache.inflight = null;
  });
  cache.inflight = read;
  cache.inflightGeneration = generation;
  return read;
}

/** Refreshes when the cache is older than the refresh interval (or was filled from another database). */
export async function ensureSettingsFresh(): Promise<void> {
  if (cache.db === dbName() && Date.now() - cache.loadedAt < refreshMs) return;
  await refreshSettings();
}

/** The refresh loop of this process (the API starts it; SETTINGS_REFRESH_MS). Returns a stop function. */
export function startSettingsRefresh(opts: { refreshMs?: number; onError?: (err: unknown) => void } = {}): () => void {
  configureSettings({ refreshMs: opts.refreshMs });
  stopSettingsRefresh();
  timer = setInterval(() => void refreshSettings().catch((err) => opts.onError?.(err)), Math.max(refreshMs, 100));
  timer.unref();
  return stopSettingsRefresh;
}
export function stopSettingsRefresh() {
  if (timer) clearInterval(timer);
  timer = null;
}
export function configureSettings(opts: { refreshMs?: number }) {
  if (opts.refreshMs !== undefined) refreshMs = opts.refreshMs;
}
/** Forgets everything cached (tests). */
export function resetSettingsCache() {
  cache.generation++;
  cache.versions.clear();
  cache.db = null;
  cache.loadedAt = 0;
}

/**
 * Writes version 1 (the defaults) of every kind that has no version yet, so the defaults of this release
 * stay what version 1 means even if a later release changes them. Safe on every instance at once.
 */
export async function ensureDefaultVersions(): Promise<void> {
  await refreshSettings();
  for (const kind of SETTING_KINDS) {
    if (lastStored(kind) > 0) continue;
    const v = defaultVersion(kind);
    try {
      await SettingVersionModel.create({ ...v, createdAt: new Date() });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
  await refreshSettings();
}

// ---------------------------------------------------------------------------------------------
// Reads (synchronous, from the cache)

/** The version of `kind` in force at `at` (from this process's cache). */
export function settingInForce<K extends SettingKind>(kind: K, at: Date = new Date()): SettingVersion<K> {
  return versionInForce(versionsOf(kind), at) ?? defaultVersion(kind);
}

/** One version of `kind`, or null if this process has not seen it (see ensureSettingVersions). */
export function settingVersion<K extends SettingKind>(kind: K, version: number): SettingVersion<K> | null {
  return versionsOf(kind).find((v) => v.version === version) ?? null;
}

/** Makes sure the given versions are in the cache (a version published a moment ago on another instance). */
export async function ensureSettingVersions(wanted: { kind: SettingKind; version: number | null | undefined }[]): Promise<void> {
  if (cache.db !== dbName() || wanted.some((w) => w.version != null && !settingVersion(w.kind, w.version))) await refreshSettings();
}

export interface SlaPin {
  slaVersion: number;
  calendarVersion: number;
}

/** The SLA and calendar versions in force at `at`: what a new order stores and keeps. */
export function slaPinAt(at: Date = new Date()): SlaPin {
  return { slaVersion: settingInForce('sla', at).version, calendarVersion: settingInForce('calendar', at).version };
}

/**
 * The SLA rules an order runs against: the versions it stores (slaVersion, calendarVersion); an order
 * without them (created before versions existed) runs against the versions in force at `at`.
 */
export function slaConfigFor(
  pin?: { slaVersion?: number | null; calendarVersion?: number | null } | null,
  at: Date = new Date(),
): SlaConfig & SlaPin {
  const sla = (pin?.slaVersion != null ? settingVersion('sla', pin.slaVersion) : null) ?? settingInForce('sla', at);
  const cal = (pin?.calendarVersion != null ? settingVersion('calendar', pin.calendarVersion) : null) ?? settingInForce('calendar', at);
  return { ...sla.value, calendar: cal.value, slaVersion: sla.version, calendarVersion: cal.version };
}

export function tariffTableAt(at: Date = new Date()): { version: number; tariffs: Record<string, Tariff> } {
  const v = settingInForce('tariffs', at);
  return { version: v.version, tariffs: v.value };
}

/** A tariff as in force now, or as of the version a bill was computed under. */
export function tariffOf(code: string, version?: number | null): Tariff {
  const table = (version != null ? settingVersion('tariffs', version) : null) ?? settingInForce('tariffs');
  const t = table.value[code];
  if (!t) throw new Error(`unknown tariff ${code}`);
  return t;
}

export function lateFeeRuleOf(category: string, at: Date = new Date()): LateFeeRule {
  const table = settingInForce('late_fees', at).value;
  return table[category as keyof typeof table] ?? table.residential;
}

// ---------------------------------------------------------------------------------------------
// Views

export interface SettingVersionView {
  kind: SettingKind;
  kindLabel: string;
  version: number;
  effectiveAt: string;
  createdAt: string;
  createdByName: string;
  note: string;
  rolledBackFrom: number | null;
  /** In force now / scheduled for later / replaced. */
  state: 'in_force' | 'scheduled' | 'superseded';
  stateLabel: string;
}

const STATE_LABELS = { in_force: '生效中', scheduled: '待生效', superseded: '已被替代' } as const;

function toView(v: SettingVersion, now: Date): SettingVersionView {
  const current = settingInForce(v.kind, now);
  const state = v.version === current.version ? 'in_force' : v.effectiveAt.getTime() > now.getTime() ? 'scheduled' : 'superseded';
  return {
    kind: v.kind,
    kindLabel: SETTING_KIND_LABELS[v.kind],
    version: v.version,
    effectiveAt: v.effectiveAt.toISOString(),
    createdAt: v.createdAt.toISOString(),
    createdByName: v.createdByName ?? '系统',
    note: v.note,
    rolledBackFrom: v.rolledBackFrom,
    state,
    stateLabel: STATE_LABELS[state],
  };
}

export interface SettingCurrent<K extends SettingKind = SettingKind> extends SettingVersionView {
  value: SettingValues[K];
  /** The newest version (what a form edits from; the publish call sends it back as baseVersion) and its value. */
  latestVersion: number;
  latestValue: SettingValues[K];
  scheduled: SettingVersionView[];
}

/** The version in force now, with its value, and what is scheduled after it. */
export async function currentSetting<K extends SettingKind>(kind: K, now = new Date()): Promise<SettingCurrent<K>> {
  await ensureSettingsFresh();
  const v = settingInForce(kind, now);
  const all = versionsOf(kind);
  return {
    ...toView(v, now),
    value: v.value,
    latestVersion: all[all.length - 1].version,
    latestValue: all[all.length - 1].value,
    scheduled: all.filter((x) => x.effectiveAt.getTime() > now.getTime()).map((x) => toView(x, now)),
  };
}

/** Every kind: the version in force now and how many are scheduled (the 系统管理 landing). */
export async function settingsOverview(now = new Date()) {
  await ensureSettingsFresh();
  return SETTING_KINDS.map((kind) => {
    const v = settingInForce(kind, now);
    return { ...toView(v, now), scheduledCount: versionsOf(kind).filter((x) => x.effectiveAt.getTime() > now.getTime()).length };
  });
}

/** Versions of one kind, newest first. */
export async function settingHistory(kind: SettingKind, opts: { limit?: number } = {}, now = new Date()): Promise<SettingVersionView[]> {
  await ensureSettingsFresh();
  return [...versionsOf(kind)]
    .reverse()
    .slice(0, opts.limit ?? 50)
    .map((v) => toView(v, now));
}

/** One version with its value and its before/after against the version before it. */
export async function settingVersionDetail<K extends SettingKind>(kind: K, version: number, now = new Date()) {
  await ensureSettingVersions([{ kind, version }]);
  const v = settingVersion(kind, version);
  if (!v) throw new DomainError('NOT_FOUND', `${SETTING_KIND_LABELS[kind]}没有第${version}版`);
  const prev = version > 1 ? settingVersion(kind, version - 1) : null;
  const changes: SettingChange[] = diffSettings(kind, prev?.value ?? null, v.value);
  return { ...toView(v, now), value: v.value, previousVersion: prev?.version ?? null, changes };
}

// ---------------------------------------------------------------------------------------------
// Writes

export interface PublishInput<K extends SettingKind = SettingKind> {
  kind: K;
  value: unknown;
  /** Default: now. Not in the past. */
  effectiveAt?: Date | null;
  note?: string | null;
  /** The version the form was edited from: publishing over a newer version than this is refused (CONFLICT). */
  baseVersion?: number | null;
}

const PAST_TOLERANCE_MS = 5 * 60_000;

async function actorName(user: AccessClaims): Promise<string> {
  const u = await UserModel.findById(user.sub, { displayName: 1 })
    .lean()
    .catch(() => null);
  return (u as { displayName?: string } | null)?.displayName ?? '管理员';
}

async function write<K extends SettingKind>(
  user: AccessClaims,
  input: PublishInput<K>,
  extra: { rolledBackFrom: number | null; action: 'settings.publish' | 'settings.rollback' },
  ip: string | null,
): Promise<SettingVersionView & { changes: SettingChange[] }> {
  const kind = input.kind;
  const value = validateSetting(kind, input.value);
  const now = new Date();
  const effectiveAt = input.effectiveAt ?? now;
  if (Number.isNaN(effectiveAt.getTime())) throw new DomainError('BAD_REQUEST', '生效时间格式不正确');
  if (effectiveAt.getTime() < now.getTime() - PAST_TOLERANCE_MS) throw new DomainError('BAD_REQUEST', '生效时间不能早于当前时间');
  const note = (input.note ?? '').trim();
  const name = await actorName(user);
  for (let attempt = 0; attempt < 8; attempt++) {
    await refreshSettings();
    const all = versionsOf(kind);
    const latest = all[all.length - 1];
    if (input.baseVersion != null && input.baseVersion !== latest.version) {
      throw new DomainError('CONFLICT', `${SETTING_KIND_LABELS[kind]}已被他人修改（当前最新为第${latest.version}版），请刷新后重试`);
    }
    if (sameValue(latest.value, value) && latest.effectiveAt.getTime() <= effectiveAt.getTime())
      throw new DomainError('BAD_REQUEST', '内容与最新版本相同，无需发布');
    checkTransition(kind, latest.value as SettingValues[K], value);
    const doc: SettingVersion<K> = {
      kind,
      version: Math.max(latest.version, lastStored(kind)) + 1,
      value,
      effectiveAt,
      createdBy: user.sub,
      createdByName: name,
      createdAt: new Date(),
      note,
      rolledBackFrom: extra.rolledBackFrom,
    };
    try {
      await SettingVersionModel.create(doc);
    } catch (err) {
      if (isDuplicateKeyError(err)) continue; // someone took this number: read again, take the next
      throw err;
    }
    remember(doc as SettingVersion);
    const changes = diffSettings(kind, latest.value as SettingValues[K], value);
    await recordAudit({
      actorId: user.sub,
      actorRoles: user.roles,
      action: extra.action,
      targetType: 'setting',
      targetId: kind,
      ip,
      detail: {
        kind,
        version: doc.version,
        replaces: latest.version,
        effectiveAt: effectiveAt.toISOString(),
        note,
        rolledBackFrom: extra.rolledBackFrom,
        before: latest.value,
        after: value,
        changes,
      },
    });
    return { ...toView(doc as SettingVersion, new Date()), changes };
  }
  throw new DomainError('CONFLICT', '同时修改的人太多，请稍后重试');
}

/** Publishes a new version of one setting (validated, audited). */
export function publishSetting<K extends SettingKind>(user: AccessClaims, input: PublishInput<K>, ip: string | null = null) {
  return write(user, input, { rolledBackFrom: null, action: 'settings.publish' }, ip);
}

/** Rolls back: publishes a copy of an earlier version as the newest version. */
export async function rollbackSetting(
  user: AccessClaims,
  input: { kind: SettingKind; toVersion: number; note?: string | null; effectiveAt?: Date | null; baseVersion?: number | null },
  ip: string | null = null,
) {
  await ensureSettingVersions([{ kind: input.kind, version: input.toVersion }]);
  const target = settingVersion(input.kind, input.toVersion);
  if (!target) throw new DomainError('NOT_FOUND', `${SETTING_KIND_LABELS[input.kind]}没有第${input.toVersion}版`);
  const all = versionsOf(input.kind);
  if (target.version === all[all.length - 1].version) throw new DomainError('BAD_REQUEST', '该版本已是最新版本，无需回滚');
  return write(
    user,
    {
      kind: input.kind,
      value: target.value,
      effectiveAt: input.effectiveAt,
      note: input.note?.trim() || `回滚到第${target.version}版`,
      baseVersion: input.baseVersion,
    },
    { rolledBackFrom: target.version, action: 'settings.rollback' },
    ip,
  );
}
