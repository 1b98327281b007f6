import { Schema, model, type InferSchemaType, Types } from 'mongoose';
import { ENTERPRISE_MEMBER_ROLES, INVITE_STATUSES, JOIN_REQUEST_STATUSES } from './enterprise.rules';

/** An enterprise admin's request that staff confirm an account joins their enterprise (no code to the phone on file). */
const joinRequestSchema = new Schema(
  {
    enterpriseId: { type: Types.ObjectId, required: true },
    accountId: { type: Types.ObjectId, required: true },
    accountNumber: { type: String, required: true },
    requestedBy: { type: Types.ObjectId, required: true },
    note: { type: String, default: null },
    status: { type: String, enum: JOIN_REQUEST_STATUSES, default: 'pending' },
    /** Set while pending: one open request per account and enterprise (unique while set). */
    openKey: { type: String, default: undefined },
    decidedBy: { type: Types.ObjectId, default: null },
    decidedAt: { type: Date, default: null },
    reason: { type: String, default: null },
  },
  { timestamps: true },
);
joinRequestSchema.index({ openKey: 1 }, { unique: true, partialFilterExpression: { openKey: { $type: 'string' } } });
joinRequestSchema.index({ status: 1, createdAt: 1 });
joinRequestSchema.index({ enterpriseId: 1, createdAt: -1 });
export const JoinRequestModel = model('EnterpriseJoinRequest', joinRequestSchema, 'enterprise_join_requests');
export type JoinRequest = InferSchemaType<typeof joinRequestSchema> & { _id: Types.ObjectId; createdAt: Date };

/** A colleague invited by phone with a role and an optional site scope; the code went to that phone by SMS. */
const inviteSchema = new Schema(
  {
    enterpriseId: { type: Types.ObjectId, required: true },
    phone: { type: String, required: true },
    displayName: { type: String, required: true },
    role: { type: String, enum: ENTERPRISE_MEMBER_ROLES, required: true },
    siteAccountIds: { type: [Types.ObjectId], default: [] },
    invitedBy: { type: Types.ObjectId, required: true },
    codeHash: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
    status: { type: String, enum: INVITE_STATUSES, default: 'pending' },
    /** Set while pending: one open invitation per phone (unique while set). */
    openKey: { type: String, default: undefined },
    acceptedUserId: { type: Types.ObjectId, default: null },
    acceptedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
inviteSchema.index({ openKey: 1 }, { unique: true, partialFilterExpression: { openKey: { $type: 'string' } } });
inviteSchema.index({ enterpriseId: 1, createdAt: -1 });
inviteSchema.index({ phone: 1, createdAt: -1 });
export const InviteModel = model('EnterpriseInvite', inviteSchema, 'enterprise_invites');
export type Invite = InferSchemaType<typeof inviteSchema> & { _id: Types.ObjectId; createdAt: Date };
