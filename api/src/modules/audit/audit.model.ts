import { Schema, model } from 'mongoose';

/** Append-only: who did what, to what, when and why. Never updated or deleted by the application. */
const auditSchema = new Schema({
  at: { type: Date, required: true },
  actorId: { type: String, required: true },
  actorRoles: { type: [String], default: [] },
  action: { type: String, required: true },
  targetType: { type: String, required: true },
  targetId: { type: String, required: true },
  reason: { type: String, default: null },
  ip: { type: String, default: null },
  detail: { type: Schema.Types.Mixed, default: null },
});
auditSchema.index({ targetType: 1, targetId: 1, at: -1 });
auditSchema.index({ actorId: 1, at: -1 });
export const AuditLogModel = model('AuditLog', auditSchema, 'audit_logs');
