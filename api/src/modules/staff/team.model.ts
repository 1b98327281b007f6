import { Schema, model, Types } from 'mongoose';

/**
 * 班组: the unit a supervisor leads and reports are cut by. A desk team (95598 hotline, business desk) has agents
 * as members (users.teamId) and covers some regions; the supervisor's dashboard is their teams and those regions.
 * `profession` is what 跨专业大排名 ranks across.
 */
export const TEAM_PROFESSIONS = ['hotline', 'business', 'repair'] as const;
export type TeamProfession = (typeof TEAM_PROFESSIONS)[number];

const teamSchema = new Schema(
  {
    name: { type: String, required: true },
    profession: { type: String, enum: TEAM_PROFESSIONS, required: true },
    /** The supervisor (值班长/班组长) who leads it. */
    leaderId: { type: Types.ObjectId, default: null },
    regionIds: { type: [Types.ObjectId], default: [] },
  },
  { timestamps: true, versionKey: false },
);
teamSchema.index({ name: 1 }, { unique: true });
export const TeamModel = model('Team', teamSchema, 'teams');

export interface Team {
  _id: Types.ObjectId;
  name: string;
  profession: TeamProfession;
  leaderId: Types.ObjectId | null;
  regionIds: Types.ObjectId[];
}
