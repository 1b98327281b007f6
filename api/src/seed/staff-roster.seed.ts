import type { Types } from 'mongoose';
import { GridNodeModel } from '../modules/grid/grid.model';
import { identityKey, UserModel } from '../modules/auth/user.model';
import { TeamModel } from '../modules/staff/team.model';
import { personName } from './names';
import { createRandom } from './random';

/**
 * 班组 and the agents behind a year of history: three 95598 hotline teams and the business desk, each led by a
 * supervisor and covering some regions. The demo logins keep their places (agent01/agent02/expert01 in 热线一班
 * under supervisor01, which covers the first four regions); generated agents (agent03…) can log in with the demo
 * password too, so a leaderboard's names are real people of the console.
 */
export const ROSTER = {
  teams: [
    { name: '热线一班', profession: 'hotline', leader: 'supervisor01', regions: [0, 1, 2, 3], generatedAgents: 10 },
    { name: '热线二班', profession: 'hotline', leader: 'supervisor02', regions: [4, 5, 6, 7], generatedAgents: 12 },
    { name: '热线三班', profession: 'hotline', leader: 'supervisor03', regions: [0, 1, 2, 3, 4, 5, 6, 7], generatedAgents: 10 },
    { name: '业务受理班', profession: 'business', leader: 'supervisor03', regions: [0, 1, 2, 3, 4, 5, 6, 7], generatedAgents: 6 },
  ],
  /** Demo staff already seeded, by team. */
  demoMembers: { 热线一班: ['agent01', 'agent02', 'expert01'] } as Record<string, string[]>,
  extraSupervisors: [
    { username: 'supervisor02', displayName: '刘值班长' },
    { username: 'supervisor03', displayName: '陈班组长' },
  ],
} as const;

export async function seedStaffRoster(opts: { passwordHash: string; log?: (m: string) => void }) {
  const r = createRandom(20261214);
  const regions = (await GridNodeModel.find({ kind: 'region' }, { _id: 1 }).sort({ code: 1, _id: 1 }).lean()) as { _id: Types.ObjectId }[];
  for (const s of ROSTER.extraSupervisors) {
    await UserModel.create({
      kind: 'staff',
      identityKey: identityKey.password(s.username),
      roles: ['supervisor'],
      displayName: s.displayName,
      username: s.username,
      passwordHash: opts.passwordHash,
      regionId: regions[0]._id,
    });
  }
  let n = 3;
  for (const t of ROSTER.teams) {
    const leader = await UserModel.findOne({ username: t.leader }, { _id: 1 }).lean();
    const team = await TeamModel.create({
      name: t.name,
      profession: t.profession,
      leaderId: leader?._id ?? null,
      regionIds: t.regions.map((i) => regions[i]._id),
    });
    const demo = ROSTER.demoMembers[t.name] ?? [];
    if (demo.length) await UserModel.updateMany({ username: { $in: demo } }, { $set: { teamId: team._id } });
    const users = Array.from({ length: t.generatedAgents }, () => {
      const username = `agent${String(n++).padStart(2, '0')}`;
      return {
        kind: 'staff',
        identityKey: identityKey.password(username),
        roles: ['agent'],
        displayName: personName(r),
        username,
        passwordHash: opts.passwordHash,
        regionId: regions[t.regions[0]]._id,
        teamId: team._id,
      };
    });
    await UserModel.insertMany(users);
  }
  opts.log?.(`roster: ${ROSTER.teams.length} teams, ${n - 3} generated agents`);
}
