import { AuditLogModel } from './audit.model';

export interface AuditEntry {
  actorId: string;
  actorRoles: string[];
  action: string;
  targetType: string;
  targetId: string;
  reason?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown> | null;
}

/** Written before the guarded data is returned, so an unaudited read cannot happen. */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  await AuditLogModel.create({ ...entry, at: new Date() });
}
