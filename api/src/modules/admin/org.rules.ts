import { randomInt } from 'node:crypto';
import { DomainError } from '../../lib/errors';
import { GRID_KIND_LABELS, ROLE_LABELS } from '../../shared/labels';
import type { Role } from '../auth/user.model';

/**
 * Organisation and grid administration rules (pure): which staff roles exist and how they combine,
 * crew capacity, user names, and where a transformer area may move. No database here.
 */

/** Staff roles an admin may grant, in the order the console lists them; labels from the one source (shared/labels.ts). */
export const STAFF_ROLE_LABELS = {
  agent: ROLE_LABELS.agent,
  expert: ROLE_LABELS.expert,
  dispatcher: ROLE_LABELS.dispatcher,
  crew: ROLE_LABELS.crew,
  area_manager: ROLE_LABELS.area_manager,
  supervisor: ROLE_LABELS.supervisor,
  account_manager: ROLE_LABELS.account_manager,
  admin: ROLE_LABELS.admin,
} as const satisfies Partial<Record<Role, string>>;
export type StaffRole = keyof typeof STAFF_ROLE_LABELS;
export const GRANTABLE_ROLES = Object.keys(STAFF_ROLE_LABELS) as StaffRole[];

export const roleLabel = (r: string): string => (STAFF_ROLE_LABELS as Record<string, string>)[r] ?? r;

/** Field roles work their own orders in the field; they are not combined with desk, dispatch or admin roles. */
const FIELD_ROLES: readonly StaffRole[] = ['crew', 'area_manager'];
export const MAX_ROLES = 3;

export interface StaffAssignment {
  roles: readonly string[];
  regionId: string | null;
  crewId: string | null;
  /** The region of the chosen crew, when there is one. */
  crewRegionId?: string | null;
}

/** Normalised roles (deduplicated, in console order), or a refusal in Chinese. */
export function checkRoles(roles: readonly string[]): StaffRole[] {
  const unknown = roles.filter((r) => !(GRANTABLE_ROLES as readonly string[]).includes(r));
  if (unknown.length) throw new DomainError('BAD_REQUEST', '只能授予员工角色');
  const set = GRANTABLE_ROLES.filter((r) => roles.includes(r));
  if (set.length === 0) throw new DomainError('BAD_REQUEST', '请至少选择一个角色');
  if (set.length > MAX_ROLES) throw new DomainError('BAD_REQUEST', `一人最多兼任${MAX_ROLES}个角色`);
  const field = set.filter((r) => FIELD_ROLES.includes(r));
  const other = set.filter((r) => !FIELD_ROLES.includes(r));
  if (field.length && other.length) {
    throw new DomainError('BAD_REQUEST', `${field.map(roleLabel).join('、')}不能与${other.map(roleLabel).join('、')}兼任`);
  }
  return set;
}

/** Roles plus region and crew: a crew member belongs to a crew of their own region; an area manager has a region. */
export function checkAssignment(a: StaffAssignment): { roles: StaffRole[]; regionId: string | null; crewId: string | null } {
  const roles = checkRoles(a.roles);
  const isCrew = roles.includes('crew');
  if (isCrew && !a.crewId) throw new DomainError('BAD_REQUEST', '抢修人员须选择所属班组');
  if (!isCrew && a.crewId) throw new DomainError('BAD_REQUEST', '只有抢修人员可以加入班组');
  let regionId = a.regionId;
  if (isCrew && a.crewRegionId) {
    if (regionId && regionId !== a.crewRegionId) throw new DomainError('BAD_REQUEST', '班组不属于所选区域');
    regionId = a.crewRegionId;
  }
  if (roles.includes('area_manager') && !regionId) throw new DomainError('BAD_REQUEST', '台区经理须选择所属区域');
  return { roles, regionId: regionId ?? null, crewId: a.crewId ?? null };
}

/** An admin may not lock themselves out: no disabling oneself, no dropping one's own admin role. */
export function checkSelfEdit(actorId: string, targetId: string, change: { disable?: boolean; roles?: readonly string[] }): void {
  if (actorId !== targetId) return;
  if (change.disable) throw new DomainError('BAD_REQUEST', '不能停用自己的账号');
  if (change.roles && !change.roles.includes('admin')) throw new DomainError('BAD_REQUEST', '不能取消自己的系统管理员角色');
}

export const CREW_CAPACITY_MIN = 1;
export const CREW_CAPACITY_MAX = 50;

export function checkCapacity(capacity: number): number {
  if (!Number.isInteger(capacity) || capacity < CREW_CAPACITY_MIN || capacity > CREW_CAPACITY_MAX) {
    throw new DomainError('BAD_REQUEST', `班组容量须为${CREW_CAPACITY_MIN}–${CREW_CAPACITY_MAX}之间的整数`);
  }
  return capacity;
}

/** Login names: a letter first, then letters, digits or underscores; stored lower-case. */
export const USERNAME_PATTERN = /^[a-z][a-z0-9_]{2,31}$/;
export function normaliseUsername(username: string): string {
  const u = username.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(u)) throw new DomainError('BAD_REQUEST', '用户名须以字母开头，3–32位字母、数字或下划线');
  return u;
}

/** One-time initial passwords: 12 characters without look-alikes (0/O, 1/l/I), at least one letter and one digit. */
const PW_LETTERS = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const PW_DIGITS = '23456789';
export function generateInitialPassword(length = 12): string {
  const all = PW_LETTERS + PW_DIGITS;
  for (;;) {
    let s = '';
    for (let i = 0; i < length; i++) s += all[randomInt(all.length)];
    if (/[a-zA-Z]/.test(s) && /\d/.test(s)) return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Grid topology

export const GRID_PARENT_KIND = {
  region: null,
  substation: 'region',
  feeder: 'substation',
  transformer_area: 'feeder',
} as const;
export type GridNodeKind = keyof typeof GRID_PARENT_KIND;

/** A new node's parent must be of the kind just above it; a region has none. */
export function checkParent(kind: GridNodeKind, parent: { kind: string } | null): void {
  const want = GRID_PARENT_KIND[kind];
  if (want === null) {
    if (parent) throw new DomainError('BAD_REQUEST', '供电区域不能有上级节点');
    return;
  }
  if (!parent) throw new DomainError('BAD_REQUEST', `请选择${GRID_KIND_LABELS[kind]}所属的${GRID_KIND_LABELS[want]}`);
  if (parent.kind !== want) throw new DomainError('BAD_REQUEST', `${GRID_KIND_LABELS[kind]}只能建在${GRID_KIND_LABELS[want]}下`);
}

/** Node names: 2–40 characters, no two siblings alike. */
export function checkNodeName(name: string, siblingNames: readonly string[]): string {
  const n = name.trim();
  if (Array.from(n).length < 2 || Array.from(n).length > 40) throw new DomainError('BAD_REQUEST', '名称须为2–40个字');
  if (siblingNames.includes(n)) throw new DomainError('CONFLICT', `同一上级下已有名为“${n}”的节点`);
  return n;
}

/** Code of the n-th child: R3 → R3S4 → R3S4F2 → R3S4F2T6 (the seed's scheme). */
export function childCode(kind: GridNodeKind, parentCode: string | null, n: number): string {
  const letter = { region: 'R', substation: 'S', feeder: 'F', transformer_area: 'T' }[kind];
  return `${parentCode ?? ''}${letter}${n}`;
}

export type AreaMove = 'move' | 'already_there';

/**
 * A transformer area may move only to a feeder of the same region (the region carries crews, SLAs and
 * reports; changing it is a different operation). The caller says which feeder they saw it under, so a
 * move made meanwhile by someone else is not silently overridden; a repeat of the same move is harmless.
 */
export function checkAreaMove(
  area: { kind: string; regionId: string | null; feederId: string | null },
  target: { kind: string; regionId: string | null; id: string },
  fromFeederId: string,
): AreaMove {
  if (area.kind !== 'transformer_area') throw new DomainError('BAD_REQUEST', '只能移动台区');
  if (target.kind !== 'feeder') throw new DomainError('BAD_REQUEST', '台区只能移到线路下');
  if (area.feederId === target.id) return 'already_there';
  if (!area.regionId || area.regionId !== target.regionId) throw new DomainError('BAD_REQUEST', '台区只能移到同一供电区域内的线路');
  if (area.feederId !== fromFeederId) throw new DomainError('CONFLICT', '台区所属线路已被他人修改，请刷新后重试');
  return 'move';
}

/** Only the fields that changed, as { field: { from, to } } (for audit entries). */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)) out[k] = { from: before[k] ?? null, to: after[k] ?? null };
  }
  return out;
}
