/**
 * The application part of a service-application work order (stored on the order itself, `workorders.application`):
 * one application is one engine order with milestones, not a second store.
 */
import type { SupplyClass } from '../workorders/sla.rules';
import type { ApplicationKind, DocKind, MilestoneState, Phase } from './application.rules';

export interface ApplicationDocument {
  kind: DocKind;
  fileId: string;
  name: string;
  mime: string;
  size: number;
  uploadedAt: Date;
  /** Supplied after a request for more documents (not with the application). */
  supplied: boolean;
}

export interface ApplicationForm {
  address: string | null;
  capacityKva: number | null;
  capacityDirection: 'increase' | 'decrease' | null;
  newHolderName: string | null;
  reason: string;
  contactName: string;
  /** Stored in full for the business staff's call; every view masks it. */
  contactPhone: string;
}

export interface ApplicationState {
  kind: ApplicationKind;
  supplyClass: SupplyClass;
  applicant: 'resident' | 'enterprise';
  form: ApplicationForm;
  documents: ApplicationDocument[];
  milestones: MilestoneState[];
  /** Index of the running milestone; milestones.length once all are done. */
  current: number;
  phase: Phase;
  promiseWorkingDays: number;
  docRequest: { kinds: DocKind[]; note: string; at: Date } | null;
  /** The account the installation created or changed (new connections get a new one). */
  resultAccountNumber: string | null;
  endedAt: Date | null;
  endReason: string | null;
}
