/**
 * Knowledge base rules, pure: the article workflow (draft → review → published → archived, a revision of a
 * published article waiting for approval while the published text stays live) and deflection (an article
 * viewed with no order filed by the same person within 24 h).
 */
import { DomainError } from '../../lib/errors';
import { KB_ARTICLE_STATE_LABELS, KB_HISTORY_ACTION_LABELS, KB_REVISION_STATE_LABELS, KB_VIEW_SOURCE_LABELS } from '../../shared/labels';
import type { Role } from '../auth/user.model';

export const ARTICLE_STATES = ['draft', 'published', 'archived'] as const;
export type ArticleState = (typeof ARTICLE_STATES)[number];
/** A pending revision (or the first draft) is being edited, or waits for a reviewer. */
export const REVISION_STATES = ['editing', 'review'] as const;
export type RevisionState = (typeof REVISION_STATES)[number];

export const ARTICLE_STATE_LABELS: Record<ArticleState, string> = KB_ARTICLE_STATE_LABELS;
export const REVISION_STATE_LABELS: Record<RevisionState, string> = KB_REVISION_STATE_LABELS;

export const HISTORY_ACTIONS = ['created', 'edited', 'submitted', 'approved', 'rejected', 'archived', 'restored', 'discarded'] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];
export const HISTORY_ACTION_LABELS: Record<HistoryAction, string> = KB_HISTORY_ACTION_LABELS;

/**
 * Who writes and who approves (decision, SPEC §3.7): expert seats (专家座席) and supervisors write drafts and
 * revisions; supervisors (值班长) and admins review; nobody approves their own revision. Agents read.
 */
export const EDITOR_ROLES: readonly Role[] = ['expert', 'supervisor', 'admin'];
export const REVIEWER_ROLES: readonly Role[] = ['supervisor', 'admin'];
export const canEdit = (roles: readonly Role[]) => roles.some((r) => EDITOR_ROLES.includes(r));
export const canReview = (roles: readonly Role[]) => roles.some((r) => REVIEWER_ROLES.includes(r));

export interface WorkflowView {
  state: ArticleState;
  revision: { state: RevisionState; authorId: string } | null;
}

export type WorkflowAction = 'edit' | 'submit' | 'approve' | 'reject' | 'archive' | 'restore' | 'discard';

/** Refuses an action the article's state or the actor's roles do not allow (Chinese message). */
export function checkWorkflow(a: WorkflowView, action: WorkflowAction, actor: { id: string; roles: readonly Role[] }): void {
  const refuse = (m: string, code: 'CONFLICT' | 'FORBIDDEN' = 'CONFLICT') => {
    throw new DomainError(code, m);
  };
  const r = a.revision;
  switch (action) {
    case 'edit':
      if (!canEdit(actor.roles)) refuse('您没有编辑知识库的权限', 'FORBIDDEN');
      if (a.state === 'archived') refuse('文章已归档，请先恢复发布再修订');
      if (r?.state === 'review') refuse('修订正在审核中，审核完成前不能修改');
      return;
    case 'submit':
      if (!canEdit(actor.roles)) refuse('您没有编辑知识库的权限', 'FORBIDDEN');
      if (r?.state !== 'editing') refuse('没有待提交的修订');
      return;
    case 'approve':
    case 'reject':
      if (!canReview(actor.roles)) refuse('只有审核人可以审核文章', 'FORBIDDEN');
      if (r?.state !== 'review') refuse('没有待审核的修订');
      if (action === 'approve' && r?.authorId === actor.id) refuse('不能审核自己提交的修订，请由其他审核人审核', 'FORBIDDEN');
      return;
    case 'discard':
      if (!canEdit(actor.roles)) refuse('您没有编辑知识库的权限', 'FORBIDDEN');
      if (!r) refuse('没有可放弃的修订');
      if (a.state === 'draft') refuse('未发布的草稿不能放弃修订，可以直接归档');
      return;
    case 'archive':
      if (!canReview(actor.roles)) refuse('只有审核人可以归档文章', 'FORBIDDEN');
      if (a.state === 'archived') refuse('文章已经归档');
      return;
    case 'restore':
      if (!canReview(actor.roles)) refuse('只有审核人可以恢复文章', 'FORBIDDEN');
      if (a.state !== 'archived') refuse('只有已归档的文章可以恢复');
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Deflection

/** Where a customer saw an article. */
export const VIEW_SOURCES = ['consultation', 'fault', 'portal', 'miniprogram', 'agent'] as const;
export type ViewSource = (typeof VIEW_SOURCES)[number];
export const VIEW_SOURCE_LABELS: Record<ViewSource, string> = KB_VIEW_SOURCE_LABELS;
/** Views that come from a form a customer was filling in: the ones deflection is about. */
export const DEFLECTION_SOURCES: readonly ViewSource[] = ['consultation', 'fault'];
export const DEFLECTION_WINDOW_MS = 24 * 60 * 60 * 1000;

export type DeflectionOutcome = 'deflected' | 'filed' | 'pending';

/**
 * A view is `filed` when the same person filed an order in the 24 h after it, `deflected` when the 24 h passed
 * without one, and `pending` while the window is still open.
 */
export function deflectionOutcome(viewAt: Date, orderTimes: readonly Date[], now: Date): DeflectionOutcome {
  const start = viewAt.getTime();
  const end = start + DEFLECTION_WINDOW_MS;
  if (orderTimes.some((t) => t.getTime() >= start && t.getTime() <= end)) return 'filed';
  return now.getTime() > end ? 'deflected' : 'pending';
}

export interface DeflectionRow {
  categoryId: string;
  views: number;
  deflected: number;
  filed: number;
  pending: number;
  /** 问题已解决 clicks (the customer's own word; the rate is computed from orders, not from this). */
  resolvedClicks: number;
  /** deflected ÷ (deflected + filed); null while nothing is decided. */
  rate: number | null;
}

export function deflectionRate(deflected: number, filed: number): number | null {
  return deflected + filed === 0 ? null : deflected / (deflected + filed);
}
