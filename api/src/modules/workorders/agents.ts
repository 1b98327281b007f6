/**
 * Desk staff to assign orders to, by name, with their current load: open desk orders they hold
 * (claimed or assigned and not yet resolved). Names and roles only: no personal data.
 */
import type { Types } from 'mongoose';
import { UserModel } from '../auth/user.model';
import { WorkOrderModel } from './workorder.model';
import { labelOf, ROLE_LABELS } from '../../shared/labels';

/** Desk orders an agent is working on now. */
export const AGENT_LOAD_STATUSES = ['received', 'accepted', 'replied', 'processing'] as const;
const DESK_ROLES = ['agent', 'expert', 'supervisor'] as const;

export interface AgentLoad {
  id: string;
  name: string;
  roles: string[];
  roleLabel: string;
  /** Open desk orders assigned to them now. */
  load: number;
  /** Of those, past their deadline. */
  overdue: number;
}

export async function listAgents(opts: { q?: string | null } = {}): Promise<AgentLoad[]> {
  const users = await UserModel.find({ kind: 'staff', disabled: { $ne: true }, roles: { $in: DESK_ROLES } }, { displayName: 1, roles: 1 })
    .sort({ displayName: 1 })
    .limit(500)
    .lean();
  const q = opts.q?.trim();
  const picked = q ? users.filter((u) => u.displayName.includes(q)) : users;
  const now = new Date();
  const open = await WorkOrderModel.find(
    { 'assignee.agentId': { $in: picked.map((u) => u._id) }, status: { $in: AGENT_LOAD_STATUSES }, type: { $ne: 'fault_repair' } },
    { 'assignee.agentId': 1, 'nextDeadline.dueAt': 1 },
  ).lean();
  const byId = new Map<string, { n: number; overdue: number }>();
  for (const o of open as unknown as { assignee: { agentId: Types.ObjectId }; nextDeadline?: { dueAt?: Date } | null }[]) {
    const k = String(o.assignee.agentId);
    const cur = byId.get(k) ?? { n: 0, overdue: 0 };
    cur.n++;
    if (o.nextDeadline?.dueAt && new Date(o.nextDeadline.dueAt).getTime() <= now.getTime()) cur.overdue++;
    byId.set(k, cur);
  }
  return picked
    .map((u) => {
      const l = byId.get(String(u._id));
      const roles = (u.roles as string[]).filter((r) => (DESK_ROLES as readonly string[]).includes(r));
      return {
        id: String(u._id),
        name: u.displayName,
        roles,
        roleLabel: roles.map((r) => labelOf(ROLE_LABELS, r, r)).join('、'),
        load: l?.n ?? 0,
        overdue: l?.overdue ?? 0,
      };
    })
    .sort((a, b) => a.load - b.load || a.name.localeCompare(b.name, 'zh-CN'));
}
