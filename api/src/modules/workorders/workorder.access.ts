import { Types } from 'mongoose';
import type { AccessClaims } from '../auth/tokens';
import { ENTERPRISE_ROLES, UserModel } from '../auth/user.model';
import { BindingModel, bindingLevelOf } from '../accounts/account.model';
import { accountAccessFilter } from '../accounts/account.access';
import type { ActorRole } from './workorder.rules';
import { WorkOrderModel, type WorkOrder } from './workorder.model';
import { DomainError } from '../../lib/errors';

type Filter = Record<string, unknown>;

/** Roles that see every order (the desk). Field roles see only their crew's or area's orders. */
const DESK_ROLES = ['agent', 'expert', 'dispatcher', 'supervisor', 'admin'] as const;

export interface Actor {
  user: AccessClaims;
  roles: ActorRole[];
  name: string;
  crewId: Types.ObjectId | null;
  regionId: Types.ObjectId | null;
  ip: string | null;
}

export const notFound = () => new DomainError('NOT_FOUND', '工单不存在或无权访问');

/** Who is acting, read fresh from the database: crew membership and region can change under a live token. */
export async function loadActor(user: AccessClaims, ip: string | null = null): Promise<Actor> {
  const u = await UserModel.findById(user.sub, { displayName: 1, crewId: 1, regionId: 1, disabled: 1 }).lean();
  if (!u || u.disabled) throw new DomainError('UNAUTHORIZED', '请先登录');
  const roles: ActorRole[] = [];
  for (const r of user.roles) {
    if (r === 'resident' || ENTERPRISE_ROLES.includes(r)) {
      if (!roles.includes('customer')) roles.push('customer');
    } else roles.push(r as ActorRole);
  }
  return { user, roles, name: u.displayName, crewId: u.crewId ?? null, regionId: u.regionId ?? null, ip };
}

export const isDesk = (a: Actor) => a.roles.some((r) => (DESK_ROLES as readonly string[]).includes(r));

/**
 * Object-level rule for orders, as a query filter so lists and single reads share it: the desk sees
 * all; crews their crew's orders; area managers their region's; enterprise admins and power liaisons
 * their enterprise's (within their site scope). Residents see what they filed themselves, plus orders
 * staff or the system opened for an account they hold as 户主 (a call to 95598, a reconnection) —
 * never what another person bound to the same account filed (SPEC §6a).
 */
export async function orderAccessFilter(a: Actor): Promise<Filter | null> {
  if (isDesk(a)) return {};
  const me = new Types.ObjectId(a.user.sub);
  const or: Filter[] = [];
  if (a.roles.includes('crew') && a.crewId) or.push({ 'assignee.crewId': a.crewId });
  if (a.roles.includes('area_manager')) {
    if (a.regionId) or.push({ regionId: a.regionId });
    if (a.crewId) or.push({ 'assignee.crewId': a.crewId });
  }
  if (a.roles.includes('customer')) {
    or.push({ reporterUserId: me });
    if (a.user.ent) {
      const accounts = await accountAccessFilter(a.user, 'report');
      if (accounts) {
        const sites = (accounts._id as { $in: Types.ObjectId[] } | undefined)?.$in;
        or.push(sites ? { enterpriseId: accounts.enterpriseId, accountId: { $in: sites } } : { enterpriseId: accounts.enterpriseId });
      }
    } else {
      const held = await BindingModel.find({ userId: me }, { accountId: 1, level: 1, verifiedBy: 1 }).lean();
      const ids = held.filter((b) => bindingLevelOf(b) === 'holder').map((b) => b.accountId);
      if (ids.length) or.push({ accountId: { $in: ids }, reporterUserId: null });
    }
  }
  return or.length ? { $or: or } : null;
}

/** The order if this actor may see it; NOT_FOUND otherwise (an id of someone else's order reveals nothing). */
export async function loadVisibleOrder(a: Actor, orderId: string): Promise<WorkOrder> {
  if (!Types.ObjectId.isValid(orderId)) throw notFound();
  const filter = await orderAccessFilter(a);
  if (!filter) throw notFound();
  const order = (await WorkOrderModel.findOne({ _id: new Types.ObjectId(orderId), ...filter }).lean()) as WorkOrder | null;
  if (!order) throw notFound();
  return order;
}

/** Field steps (accept/arrive/resolve/return): only members of the assigned crew, or the area's manager. */
export function assertFieldActor(a: Actor, order: WorkOrder): void {
  if (a.roles.includes('area_manager') && a.regionId && order.regionId && a.regionId.equals(order.regionId)) return;
  if (a.crewId && order.assignee.crewId && a.crewId.equals(order.assignee.crewId)) return;
  throw new DomainError('FORBIDDEN', '该工单未派给您所在的班组');
}
