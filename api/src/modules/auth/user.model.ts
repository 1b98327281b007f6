import { Schema, model, type InferSchemaType, Types } from 'mongoose';

export const ROLES = [
  'resident',
  'enterprise_admin',
  'enterprise_finance',
  'enterprise_electrician',
  'agent',
  'expert',
  'dispatcher',
  'crew',
  'area_manager',
  'supervisor',
  'account_manager',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES: readonly Role[] = ['agent', 'expert', 'dispatcher', 'crew', 'area_manager', 'supervisor', 'account_manager', 'admin'];
export const ENTERPRISE_ROLES: readonly Role[] = ['enterprise_admin', 'enterprise_finance', 'enterprise_electrician'];
export const USER_KINDS = ['wechat', 'web', 'enterprise', 'staff'] as const;
export type UserKind = (typeof USER_KINDS)[number];

const userSchema = new Schema(
  {
    kind: { type: String, enum: USER_KINDS, required: true },
    /** How this identity logs in, unique across all users: wx:<openid>, sms:<phone> or pw:<username>. */
    identityKey: { type: String, required: true, unique: true },
    roles: { type: [String], enum: ROLES, required: true },
    displayName: { type: String, required: true },
    openid: { type: String },
    phone: { type: String },
    username: { type: String },
    passwordHash: { type: String },
    enterpriseId: { type: Types.ObjectId, default: null },
    /** Enterprise users: the accounts (sites) an admin limited them to; empty means every account of the enterprise. */
    siteAccountIds: { type: [Types.ObjectId], default: undefined },
    customerId: { type: Types.ObjectId, default: null },
    regionId: { type: Types.ObjectId, default: null },
    crewId: { type: Types.ObjectId, default: null },
    /** Staff: the 班组 (staff/team.model.ts) they work in; reports and points are cut by it. */
    teamId: { type: Types.ObjectId, default: null },
    /** Staff: the desk's work phone (工作电话) shown to the customers they serve (account managers); never a personal number. */
    workPhone: { type: String, default: null },
    disabled: { type: Boolean, default: false },
    /** Bumped on disable/password change: refresh tokens minted before it stop working. */
    tokenVersion: { type: Number, default: 0 },
    lastLoginAt: { type: Date, default: null },
    failedLogins: { type: Number, default: 0 },
    lockedUntil: { type: Date, default: null },
  },
  { timestamps: true },
);
userSchema.index({ phone: 1 });
userSchema.index({ enterpriseId: 1 });

export type User = InferSchemaType<typeof userSchema> & { _id: Types.ObjectId };
export const UserModel = model('User', userSchema, 'users');

const crewSchema = new Schema(
  {
    name: { type: String, required: true },
    regionId: { type: Types.ObjectId, required: true },
    capacity: { type: Number, required: true, min: 1 },
    memberIds: { type: [Types.ObjectId], default: [] },
    /** The crew's duty phone (工作电话), told to customers when the crew is sent to them; not a person's number. */
    workPhone: { type: String, default: null },
  },
  { timestamps: true },
);
export const CrewModel = model('Crew', crewSchema, 'crews');

export const identityKey = {
  wechat: (openid: string) => `wx:${openid}`,
  sms: (phone: string) => `sms:${phone}`,
  password: (username: string) => `pw:${username.trim().toLowerCase()}`,
};
