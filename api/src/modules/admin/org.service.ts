import { DomainError } from '../../lib/errors';
import { Types } from 'mongoose';
import { maskPhone } from '../../lib/mask';
import { recordAudit } from '../audit/audit.service';
import { disableUser } from '../auth/auth.service';
import { hashPassword } from '../auth/password';
import { evictUserSessions } from '../auth/session-check';
import { SessionModel } from '../auth/session.model';
import type { AccessClaims } from '../auth/tokens';
import { CrewModel, identityKey, UserModel, type Role } from '../auth/user.model';
import { GridNodeModel } from '../grid/grid.model';
import { listCrews } from '../workorders/workorder.service';
import { checkAssignment, checkCapacity, checkSelfEdit, diff, generateInitialPassword, normaliseUsername, type StaffRole } from './org.rules';

/**
 * Staff users, roles and crews (issue 10). Every write is audited with who, when and before/after
 * (`detail.before`, `detail.after`, `detail.changes`). A change of roles, crew or region, a password
 * reset and a disable end the user's sessions at once, because access tokens carry roles and crew:
 * the person signs in again and gets tokens that say what they may do now.
 */

export interface Actor {
  user: AccessClaims;
  ip: string | null;
}

const oid = (id: string) => new Types.ObjectId(id);
const notFound = (what: string) => new DomainError('NOT_FOUND', `${what}不存在`);

async function audit(actor: Actor, action: string, targetType: string, targetId: string, detail: Record<string, unknown>, reason?: string | null) {
  await recordAudit({
    actorId: actor.user.sub,
    actorRoles: actor.user.roles,
    action,
    targetType,
    targetId,
    ip: actor.ip,
    reason: reason ?? null,
    detail,
  });
}

/** Revokes every open session of the user (same order and eviction as auth's disableUser). */
async function endSessions(userId: Types.ObjectId, reason: string) {
  await SessionModel.updateMany({ userId, revokedAt: null }, { $set: { revokedAt: new Date(), revokeReason: reason } });
  evictUserSessions(String(userId));
}

// ---------------------------------------------------------------------------------------------
// Reads

export interface StaffUserView {
  id: string;
  username: string;
  displayName: string;
  phoneMasked: string | null;
  roles: StaffRole[];
  region: { id: string; name: string } | null;
  crew: { id: string; name: string } | null;
  disabled: boolean;
  locked: boolean;
  lastLoginAt: string | null;
  createdAt: string | null;
}

type UserDoc = {
  _id: Types.ObjectId;
  username?: string | null;
  displayName: string;
  phone?: string | null;
  roles: string[];
  regionId?: Types.ObjectId | null;
  crewId?: Types.ObjectId | null;
  disabled?: boolean | null;
  lockedUntil?: Date | null;
  lastLoginAt?: Date | null;
  createdAt?: Date | null;
};

async function namesOf(regionIds: (Types.ObjectId | null | undefined)[], crewIds: (Types.ObjectId | null | undefined)[]) {
  const rs = [...new Set(regionIds.filter(Boolean).map(String))];
  const cs = [...new Set(crewIds.filter(Boolean).map(String))];
  const [regions, crews] = await Promise.all([
    rs.length ? GridNodeModel.find({ _id: { $in: rs.map(oid) } }, { name: 1 }).lean() : [],
    cs.length ? CrewModel.find({ _id: { $in: cs.map(oid) } }, { name: 1 }).lean() : [],
  ]);
  return { region: new Map(regions.map((r) => [String(r._id), r.name])), crew: new Map(crews.map((c) => [String(c._id), c.name])) };
}

function toView(u: UserDoc, names: Awaited<ReturnType<typeof namesOf>>, now = new Date()): StaffUserView {
  const rid = u.regionId ? String(u.regionId) : null;
  const cid = u.crewId ? String(u.crewId) : null;
  return {
    id: String(u._id),
    username: u.username ?? '',
    displayName: u.displayName,
    phoneMasked: maskPhone(u.phone),
    roles: u.roles as StaffRole[],
    region: rid ? { id: rid, name: names.region.get(rid) ?? '' } : null,
    crew: cid ? { id: cid, name: names.crew.get(cid) ?? '' } : null,
    disabled: !!u.disabled,
    locked: !!u.lockedUntil && u.lockedUntil > now,
    lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
    createdAt: u.createdAt ? u.createdAt.toISOString() : null,
  };
}

async function viewOf(userId: Types.ObjectId): Promise<StaffUserView> {
  const u = (await UserModel.findById(userId).lean()) as UserDoc | null;
  if (!u) throw notFound('员工');
  return toView(u, await namesOf([u.regionId], [u.crewId]));
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function listStaffUsers(
  opts: { search?: string | null; role?: string | null; regionId?: string | null; includeDisabled?: boolean } = {},
): Promise<StaffUserView[]> {
  const q: Record<string, unknown> = { kind: 'staff' };
  if (!opts.includeDisabled) q.disabled = { $ne: true };
  if (opts.role) q.roles = opts.role;
  if (opts.regionId) q.regionId = oid(opts.regionId);
  if (opts.search?.trim()) {
    const re = new RegExp(escapeRegex(opts.search.trim()), 'i');
    q.$or = [{ username: re }, { displayName: re }];
  }
  const users = (await UserModel.find(q).sort({ username: 1 }).limit(500).lean()) as UserDoc[];
  const names = await namesOf(
    users.map((u) => u.regionId),
    users.map((u) => u.crewId),
  );
  return users.map((u) => toView(u, names));
}

// ---------------------------------------------------------------------------------------------
// Writes: users

export interface StaffUserInput {
  displayName: string;
  phone?: string | null;
  roles: string[];
  regionId?: string | null;
  crewId?: string | null;
}

/** Validates roles, region and crew against the database: the region exists, the crew exists and is of that region. */
async function resolveAssignment(input: StaffUserInput) {
  let crewRegionId: string | null = null;
  if (input.crewId) {
    const crew = await CrewModel.findById(input.crewId, { regionId: 1 }).lean();
    if (!crew) throw notFound('班组');
    crewRegionId = String(crew.regionId);
  }
  const a = checkAssignment({ roles: input.roles, regionId: input.regionId ?? null, crewId: input.crewId ?? null, crewRegionId });
  if (a.regionId && !(await GridNodeModel.exists({ _id: oid(a.regionId), kind: 'region' }))) throw notFound('供电区域');
  return a;
}

/** Keeps each crew's member list in step with the users' crewId (idempotent: $pull / $addToSet). */
async function syncCrewMembership(userId: Types.ObjectId, fromCrew: string | null, toCrew: string | null) {
  if (fromCrew === toCrew) {
    if (toCrew) await CrewModel.updateOne({ _id: oid(toCrew) }, { $addToSet: { memberIds: userId } });
    return;
  }
  if (fromCrew) await CrewModel.updateOne({ _id: oid(fromCrew) }, { $pull: { memberIds: userId } });
  if (toCrew) await CrewModel.updateOne({ _id: oid(toCrew) }, { $addToSet: { memberIds: userId } });
}

const auditable = (u: UserDoc | null) =>
  u
    ? {
        displayName: u.displayName,
        phone: maskPhone(u.phone),
        roles: [...u.roles],
        regionId: u.regionId ? String(u.regionId) : null,
        crewId: u.crewId ? String(u.crewId) : null,
        disabled: !!u.disabled,
      }
    : null;

/** A new staff login with a one-time initial password, returned once and stored only as its scrypt hash. */
export async function createStaffUser(
  actor: Actor,
  input: StaffUserInput & { username: string },
): Promise<{ user: StaffUserView; initialPassword: string }> {
  const username = normaliseUsername(input.username);
  const a = await resolveAssignment(input);
  const initialPassword = generateInitialPassword();
  let created: InstanceType<typeof UserModel>;
  try {
    created = await UserModel.create({
      kind: 'staff',
      identityKey: identityKey.password(username),
      username,
      displayName: input.displayName.trim(),
      phone: input.phone || null,
      roles: a.roles,
      regionId: a.regionId ? oid(a.regionId) : null,
      crewId: a.crewId ? oid(a.crewId) : null,
      passwordHash: await hashPassword(initialPassword),
    });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new DomainError('CONFLICT', `用户名“${username}”已被使用`);
    throw err;
  }
  await syncCrewMembership(created._id, null, a.crewId);
  const after = auditable(created.toObject() as UserDoc);
  await audit(actor, 'staff_user.create', 'user', String(created._id), { before: null, after: { username, ...after } });
  return { user: await viewOf(created._id), initialPassword };
}

export async function updateStaffUser(actor: Actor, userId: string, input: StaffUserInput): Promise<StaffUserView> {
  checkSelfEdit(actor.user.sub, userId, { roles: input.roles });
  const a = await resolveAssignment(input);
  const set = {
    displayName: input.displayName.trim(),
    phone: input.phone || null,
    roles: a.roles,
    regionId: a.regionId ? oid(a.regionId) : null,
    crewId: a.crewId ? oid(a.crewId) : null,
  };
  // The pre-image comes back from the same write, so the audit's "before" is exactly what was replaced.
  const before = (await UserModel.findOneAndUpdate(
    { _id: oid(userId), kind: 'staff' },
    { $set: set },
    { returnDocument: 'before' },
  ).lean()) as UserDoc | null;
  if (!before) throw notFound('员工');
  const fromCrew = before.crewId ? String(before.crewId) : null;
  await syncCrewMembership(before._id, fromCrew, a.crewId);
  const b = auditable(before)!;
  const after = { ...b, displayName: set.displayName, phone: maskPhone(set.phone), roles: [...a.roles], regionId: a.regionId, crewId: a.crewId };
  const changes = diff(b, after);
  if (Object.keys(changes).length === 0) return viewOf(before._id);
  // Tokens carry roles and crew: a change there ends the sessions, and the next sign-in gets the new ones.
  const accessChanged = 'roles' in changes || 'crewId' in changes || 'regionId' in changes;
  if (accessChanged) await endSessions(before._id, 'roles_changed');
  await audit(actor, 'staff_user.update', 'user', userId, { before: b, after, changes, sessionsEnded: accessChanged });
  return viewOf(before._id);
}

async function countActiveAdmins(excluding: string): Promise<number> {
  return UserModel.countDocuments({ kind: 'staff', roles: 'admin', disabled: { $ne: true }, _id: { $ne: oid(excluding) } });
}

/**
 * Disable: auth's disableUser (marks first, then revokes every session: the token is refused on the
 * next request). Enable: a guarded write; the person signs in again with their password.
 */
export async function setStaffUserDisabled(actor: Actor, userId: string, disabled: boolean, reason?: string | null): Promise<StaffUserView> {
  checkSelfEdit(actor.user.sub, userId, { disable: disabled });
  const u = (await UserModel.findOne({ _id: oid(userId), kind: 'staff' }).lean()) as UserDoc | null;
  if (!u) throw notFound('员工');
  if (!!u.disabled === disabled) return viewOf(u._id);
  if (disabled) {
    if (u.roles.includes('admin') && (await countActiveAdmins(userId)) === 0) throw new DomainError('BAD_REQUEST', '不能停用最后一位系统管理员');
    await disableUser(userId, { id: actor.user.sub, roles: actor.user.roles as Role[] }, reason?.trim() || '管理员停用');
    await audit(actor, 'staff_user.disable', 'user', userId, { before: { disabled: false }, after: { disabled: true } }, reason);
  } else {
    const r = await UserModel.updateOne({ _id: u._id, disabled: true }, { $set: { disabled: false, failedLogins: 0, lockedUntil: null } });
    if (r.modifiedCount) await audit(actor, 'staff_user.enable', 'user', userId, { before: { disabled: true }, after: { disabled: false } }, reason);
  }
  return viewOf(u._id);
}

/** A new one-time password (shown once to the admin); the old one and every session stop working at once. */
export async function resetStaffPassword(actor: Actor, userId: string): Promise<{ initialPassword: string }> {
  const initialPassword = generateInitialPassword();
  const hash = await hashPassword(initialPassword);
  const r = await UserModel.updateOne(
    { _id: oid(userId), kind: 'staff' },
    { $set: { passwordHash: hash, failedLogins: 0, lockedUntil: null }, $inc: { tokenVersion: 1 } },
  );
  if (r.matchedCount === 0) throw notFound('员工');
  await endSessions(oid(userId), 'password_reset');
  // The password itself is never written anywhere but as its hash.
  await audit(actor, 'staff_user.reset_password', 'user', userId, {
    before: { password: '（原密码）' },
    after: { password: '（新初始密码，仅向管理员显示一次）' },
  });
  return { initialPassword };
}

// ---------------------------------------------------------------------------------------------
// Crews

export interface CrewView {
  id: string;
  name: string;
  regionId: string;
  regionName: string;
  capacity: number;
  load: number;
  available: number;
  workPhone: string | null;
  members: { id: string; displayName: string }[];
}

export async function listCrewsWithLoad(opts: { regionId?: string | null } = {}): Promise<CrewView[]> {
  const withLoad = await listCrews({ regionId: opts.regionId ?? undefined });
  const docs = await CrewModel.find({ _id: { $in: withLoad.map((c) => oid(c.id)) } }, { memberIds: 1, workPhone: 1 }).lean();
  const byId = new Map(docs.map((d) => [String(d._id), d]));
  const memberIds = docs.flatMap((d) => d.memberIds ?? []);
  const [members, regions] = await Promise.all([
    memberIds.length ? UserModel.find({ _id: { $in: memberIds }, disabled: { $ne: true } }, { displayName: 1 }).lean() : [],
    GridNodeModel.find({ _id: { $in: [...new Set(withLoad.map((c) => c.regionId))].map(oid) } }, { name: 1 }).lean(),
  ]);
  const memberName = new Map(members.map((m) => [String(m._id), m.displayName]));
  const regionName = new Map(regions.map((r) => [String(r._id), r.name]));
  return withLoad.map((c) => {
    const d = byId.get(c.id);
    return {
      id: c.id,
      name: c.name,
      regionId: c.regionId,
      regionName: regionName.get(c.regionId) ?? '',
      capacity: c.capacity,
      load: c.load,
      available: c.available,
      workPhone: d?.workPhone ?? null,
      members: (d?.memberIds ?? []).filter((m) => memberName.has(String(m))).map((m) => ({ id: String(m), displayName: memberName.get(String(m))! })),
    };
  });
}

export interface CrewInput {
  name: string;
  regionId: string;
  capacity: number;
  workPhone?: string | null;
}

async function checkCrewInput(input: CrewInput, exceptId?: Types.ObjectId) {
  const capacity = checkCapacity(input.capacity);
  const name = input.name.trim();
  if (!(await GridNodeModel.exists({ _id: oid(input.regionId), kind: 'region' }))) throw notFound('供电区域');
  const clash = await CrewModel.exists({ regionId: oid(input.regionId), name, ...(exceptId ? { _id: { $ne: exceptId } } : {}) });
  if (clash) throw new DomainError('CONFLICT', `该区域已有名为“${name}”的班组`);
  return { name, regionId: oid(input.regionId), capacity, workPhone: input.workPhone?.trim() || null };
}

const crewAuditable = (c: { name: string; regionId: Types.ObjectId; capacity: number; workPhone?: string | null }) => ({
  name: c.name,
  regionId: String(c.regionId),
  capacity: c.capacity,
  workPhone: c.workPhone ?? null,
});

export async function createCrew(actor: Actor, input: CrewInput): Promise<CrewView> {
  const v = await checkCrewInput(input);
  const crew = await CrewModel.create({ ...v, memberIds: [] });
  await audit(actor, 'crew.create', 'crew', String(crew._id), { before: null, after: crewAuditable(v) });
  return (await listCrewsWithLoad({ regionId: String(v.regionId) })).find((c) => c.id === String(crew._id))!;
}

export async function updateCrew(actor: Actor, crewId: string, input: CrewInput): Promise<CrewView> {
  const current = await CrewModel.findById(crewId).lean();
  if (!current) throw notFound('班组');
  const v = await checkCrewInput(input, current._id);
  // Members belong to the crew's region; moving a crew with members would leave them behind.
  if (!current.regionId.equals(v.regionId) && (current.memberIds?.length ?? 0) > 0) {
    throw new DomainError('BAD_REQUEST', '班组仍有成员，不能更换所属区域');
  }
  const before = await CrewModel.findOneAndUpdate({ _id: current._id }, { $set: v }, { returnDocument: 'before' }).lean();
  if (!before) throw notFound('班组');
  const b = crewAuditable(before);
  const after = crewAuditable(v);
  const changes = diff(b, after);
  if (Object.keys(changes).length) await audit(actor, 'crew.update', 'crew', crewId, { before: b, after, changes });
  return (await listCrewsWithLoad({ regionId: String(v.regionId) })).find((c) => c.id === crewId)!;
}
