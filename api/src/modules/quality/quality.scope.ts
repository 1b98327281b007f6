/**
 * Reach `report:scope` (trpc/access-table.ts): which orders a caller's reports count. admin: everything (the
 * management view). supervisor: the teams they lead and those teams' regions — an order counts when its region is
 * one of them or its handler belongs to one of the teams. Filters asking for more are refused, not narrowed.
 */
import { Types } from 'mongoose';
import { DomainError } from '../../lib/errors';
import { UserModel } from '../auth/user.model';
import type { AccessClaims } from '../auth/tokens';
import { TeamModel } from '../staff/team.model';
import type { QualityFilters, ReportScope } from './quality.types';

export async function reportScopeOf(user: Pick<AccessClaims, 'sub' | 'roles'>): Promise<ReportScope> {
  if (user.roles.includes('admin')) return { all: true, regionIds: null, teamIds: null };
  if (!user.roles.includes('supervisor')) throw new DomainError('FORBIDDEN', '仅班组长和管理人员可查看质量报表');
  const teams = await TeamModel.find({ leaderId: new Types.ObjectId(user.sub) }, { regionIds: 1 }).lean();
  return {
    all: false,
    teamIds: new Set(teams.map((t) => String(t._id))),
    regionIds: new Set(teams.flatMap((t) => (t.regionIds ?? []).map(String))),
  };
}

/**
 * Checks the filters against the scope: a region, team or agent outside it is a FORBIDDEN with a Chinese message.
 * Agents are in scope when they belong to one of the scope's teams.
 */
export async function assertFiltersInScope(scope: ReportScope, f: QualityFilters = {}): Promise<void> {
  if (scope.all) return;
  const regions = scope.regionIds ?? new Set<string>();
  const teams = scope.teamIds ?? new Set<string>();
  const badRegion = (f.regionIds ?? []).find((r) => !regions.has(r));
  if (badRegion) throw new DomainError('FORBIDDEN', '所选供电区域不在您负责的班组范围内');
  const badTeam = (f.teamIds ?? []).find((t) => !teams.has(t));
  if (badTeam) throw new DomainError('FORBIDDEN', '所选班组不是您负责的班组');
  if (f.agentIds?.length) {
    const agents = await UserModel.find({ _id: { $in: f.agentIds.map((a) => new Types.ObjectId(a)) } }, { teamId: 1 }).lean();
    const inTeams = new Set(agents.filter((a) => a.teamId && teams.has(String(a.teamId))).map((a) => String(a._id)));
    if (f.agentIds.some((a) => !inTeams.has(a))) throw new DomainError('FORBIDDEN', '所选人员不在您负责的班组');
  }
}

/** Whether a row (roll-up row or fact) with these dimensions counts in the scope. */
export function inScope(scope: ReportScope, dims: { regionId: string | null; teamId: string | null }): boolean {
  if (scope.all) return true;
  return (!!dims.regionId && !!scope.regionIds?.has(dims.regionId)) || (!!dims.teamId && !!scope.teamIds?.has(dims.teamId));
}

/** Whether a row passes the filters (each filter list, when given, must contain the row's value). */
export function passesFilters(
  f: QualityFilters,
  dims: { type: string; channel: string; regionId: string | null; teamId: string | null; agentId: string | null },
): boolean {
  if (f.types?.length && !f.types.includes(dims.type as never)) return false;
  if (f.channels?.length && !f.channels.includes(dims.channel as never)) return false;
  if (f.regionIds?.length && !(dims.regionId && f.regionIds.includes(dims.regionId))) return false;
  if (f.teamIds?.length && !(dims.teamId && f.teamIds.includes(dims.teamId))) return false;
  if (f.agentIds?.length && !(dims.agentId && f.agentIds.includes(dims.agentId))) return false;
  return true;
}
