import type { Role } from '../modules/auth/user.model';

/**
 * Who may call what, on whose objects: one entry per procedure of appRouter (SPEC §6a).
 *
 * `roles` is enforced here, once, by the gate in trpc.ts before input is even parsed; a procedure with
 * no entry is refused to everyone (and access-table.test.ts fails). `reach` names the objects the
 * procedure touches and whose they may be; each kind is enforced in one place:
 *
 * | reach              | rule                                                                                   | enforced in                         |
 * |--------------------|----------------------------------------------------------------------------------------|-------------------------------------|
 * | public             | nothing personal: outage notices, grid areas, labels                                   | —                                   |
 * | own                | the caller's own records: profile, session, messages, bindings, subscriptions, uploads | queries keyed by the caller's id    |
 * | account:<need>     | an account by id, per ACCOUNT_NEEDS (binding level, enterprise role and site scope, staff role) | accounts/account.access.ts   |
 * | account:number     | any account by its bare number, masked facts only, counted against guessing            | limits/rate-limit.service.ts        |
 * | order:visible      | orders filed by me; staff-filed ones on accounts I hold; my enterprise's within scope; my crew's; my area's; the desk: all | workorders/workorder.access.ts |
 * | order:field        | orders assigned to my crew (or in my area), with the address and a callable phone, audited | workorders/workorder.access.ts |
 * | order:desk         | any order, masked                                                                      | workorders/workorder.access.ts      |
 * | payment:payer      | payments I made; my enterprise's for its admin and finance, within scope               | billing/payment.access.ts           |
 * | payment:any        | any payment, masked (billing staff)                                                    | billing/payment.access.ts           |
 * | customer:masked    | any customer by phone, masked (screen-pop)                                             | staff.router                        |
 * | customer:audited   | any customer's full personal data, with a reason, audited                              | staff.router                        |
 * | outage:any         | outage notices and proposals to manage                                                 | —                                   |
 * | config             | platform settings                                                                      | —                                   |
 * | org                | staff users, roles, crews, regions and grid topology (admin writes, audited)          | admin/org.service, grid-admin       |
 * | thread:member      | an enterprise's message thread: its own users; its account manager; supervisors read-only | enterprise-messages/thread.service |
 * | knowledge          | knowledge articles in every state, their history and the deflection report (who edits / approves: knowledge.rules) | knowledge/knowledge.rules |
 * | enterprise:own     | the caller's own enterprise (read fresh): application, colleagues, company, joins      | enterprise/enterprise.service       |
 * | enterprise:any     | any enterprise's application and join requests, for staff review (decisions audited) | enterprise/enterprise.service       |
 * | warnings:scope     | warnings, 督办 items and weekly reports of the regions/teams a supervisor leads (admin, dispatcher: all) | warnings/warning.service |
 * | report:scope      | orders counted in reports: a supervisor's teams and their regions; admin all             | quality/quality.scope.ts            |
 * | points:team       | points ledgers and 质检 of the agents in the teams a supervisor leads; admin all          | points/points.service (pointsScope) |
 * | points:board      | leaderboards: every desk agent's name, team and point totals (no entries)                | points/points.service (leaderboard) |
 */
export type Reach =
  | 'public'
  | 'own'
  | 'account:view'
  | 'account:bills'
  | 'account:pay'
  | 'account:report'
  | 'account:payments'
  | 'account:manage'
  | 'account:number'
  | 'order:visible'
  | 'order:field'
  | 'order:desk'
  | 'payment:payer'
  | 'payment:any'
  | 'customer:masked'
  | 'customer:audited'
  | 'outage:any'
  | 'config'
  | 'org'
  | 'enterprise:own'
  | 'enterprise:any'
  | 'thread:member'
  | 'knowledge'
  | 'warnings:scope'
  | 'report:scope'
  | 'points:team'
  | 'points:board';

export interface AccessRule {
  /** 'public': anyone, signed in or not; 'signed_in': any signed-in user; otherwise these roles. */
  roles: 'public' | 'signed_in' | readonly Role[];
  reach: readonly Reach[];
}

const RESIDENT = ['resident'] as const;
const ENTERPRISE = ['enterprise_admin', 'enterprise_finance', 'enterprise_electrician'] as const;
const CUSTOMERS = [...RESIDENT, ...ENTERPRISE] as const;
/** Customers who handle money: the power liaison (电力信息员) never pays. */
const PAYERS = ['resident', 'enterprise_admin', 'enterprise_finance'] as const;
/** Customers who report faults and file requests: enterprise finance does not. */
const REPORTERS = ['resident', 'enterprise_admin', 'enterprise_electrician'] as const;
const DESK = ['agent', 'expert', 'supervisor', 'admin'] as const;
const PLANNERS = ['dispatcher', 'supervisor', 'admin'] as const;
const FIELD = ['crew', 'area_manager'] as const;
const STAFF = ['agent', 'expert', 'dispatcher', 'crew', 'area_manager', 'supervisor', 'account_manager', 'admin'] as const;
/** Billing roles: they read payments for enquiries; refunds are the supervisor's and the admin's. */
const BILLING = ['agent', 'supervisor', 'admin'] as const;
const REFUNDS = ['supervisor', 'admin'] as const;

const rule = (roles: AccessRule['roles'], ...reach: Reach[]): AccessRule => ({ roles, reach });

export const ACCESS_TABLE = {
  // ---- sign-in
  'auth.wechatLogin': rule('public', 'public'),
  'auth.wechatPhone': rule(RESIDENT, 'own'),
  'auth.sendSmsCode': rule('public', 'public'),
  'auth.smsLogin': rule('public', 'public'),
  'auth.passwordLogin': rule('public', 'public'),
  'auth.refresh': rule('public', 'own'),
  'auth.logout': rule('public', 'own'),
  'auth.me': rule('signed_in', 'own'),

  // ---- enterprise ↔ account manager messages (客户经理留言); supervisors watch, read-only
  'entMessages.manager': rule(ENTERPRISE, 'thread:member'),
  'entMessages.thread': rule([...ENTERPRISE, 'account_manager', 'supervisor'], 'thread:member'),
  'entMessages.send': rule([...ENTERPRISE, 'account_manager'], 'thread:member'),
  'entMessages.markRead': rule([...ENTERPRISE, 'account_manager', 'supervisor'], 'thread:member'),
  'entMessages.unread': rule([...ENTERPRISE, 'account_manager', 'supervisor'], 'thread:member'),
  'entMessages.inbox': rule(['account_manager', 'supervisor'], 'thread:member'),
  'entMessages.warnings': rule(['account_manager', 'supervisor'], 'own'),
  'entMessages.live': rule([...ENTERPRISE, 'account_manager', 'supervisor'], 'thread:member'),

  // ---- knowledge base (SPEC §3.7): public reading and search; editors (expert, supervisor, admin) write, reviewers (supervisor, admin) approve
  'knowledge.categories': rule('public', 'public'),
  'knowledge.search': rule('public', 'public'),
  'knowledge.list': rule('public', 'public'),
  'knowledge.article': rule('public', 'public'),
  'knowledge.safetyTips': rule('public', 'public'),
  'knowledge.voteReasons': rule('public', 'public'),
  'knowledge.vote': rule('public', 'own'),
  'knowledge.view': rule('public', 'own'),
  'knowledge.resolved': rule(CUSTOMERS, 'own'),
  'knowledge.agentSearch': rule(STAFF, 'public'),
  'knowledge.phrases': rule(STAFF, 'public'),
  'knowledge.checkReply': rule(STAFF, 'public'),
  'knowledge.staffList': rule(['agent', 'expert', 'supervisor', 'admin'], 'knowledge'),
  'knowledge.staffArticle': rule(['agent', 'expert', 'supervisor', 'admin'], 'knowledge'),
  'knowledge.saveDraft': rule(['expert', 'supervisor', 'admin'], 'knowledge'),
  'knowledge.workflow': rule(['expert', 'supervisor', 'admin'], 'knowledge'),
  'knowledge.historyDiff': rule(['agent', 'expert', 'supervisor', 'admin'], 'knowledge'),
  'knowledge.saveCategory': rule(['expert', 'supervisor', 'admin'], 'knowledge'),
  'knowledge.deflection': rule(['supervisor', 'admin'], 'knowledge'),

  // ---- uploads (documents are attached only by their uploader; the owning module decides who sees them)
  'files.upload': rule('signed_in', 'own'),

  // ---- accounts and binding
  'account.list': rule(CUSTOMERS, 'account:view'),
  'account.get': rule(CUSTOMERS, 'account:view'),
  'account.lookup': rule(RESIDENT, 'account:number'),
  'account.bind': rule(RESIDENT, 'account:number'),
  'account.sendBindCode': rule(RESIDENT, 'account:number'),
  'account.bindWithCode': rule(RESIDENT, 'account:number'),
  'account.unbind': rule(RESIDENT, 'own'),

  // ---- staff home and screen-pop
  'staff.home': rule(STAFF, 'public'),
  'staff.findCustomer': rule(DESK, 'customer:masked'),
  'staff.revealAccount': rule(DESK, 'customer:audited'),
  'staff.callerContext': rule(DESK, 'customer:masked'),

  // ---- development outboxes (exist only in development mode)
  'dev.smsOutbox': rule('public', 'public'),
  'messages.devWechatOutbox': rule('public', 'public'),

  // ---- message centre
  'messages.list': rule('signed_in', 'own'),
  'messages.unreadCount': rule('signed_in', 'own'),
  'messages.markRead': rule('signed_in', 'own'),

  // ---- bills and payments
  'billing.bills': rule([...PAYERS, ...DESK], 'account:bills'),
  'billing.bill': rule([...PAYERS, ...DESK], 'account:bills'),
  'billing.usage': rule([...CUSTOMERS, ...DESK], 'account:view'),
  'billing.prepaid': rule([...PAYERS, ...DESK], 'account:bills'),
  'billing.setAlertThresholds': rule(['resident', 'enterprise_admin'], 'account:manage'),
  'billing.payFor': rule(PAYERS, 'account:number'),
  'billing.createPayment': rule(PAYERS, 'account:pay', 'account:number'),
  'billing.paymentStatus': rule([...PAYERS, ...BILLING], 'payment:payer', 'payment:any'),
  'billing.payments': rule([...PAYERS, ...BILLING], 'payment:payer', 'account:payments'),
  'billing.documentLink': rule(PAYERS, 'payment:payer'),
  'billing.requestInvoice': rule(PAYERS, 'payment:payer'),
  'billing.staffPayments': rule(BILLING, 'payment:any'),
  'billing.refund': rule(REFUNDS, 'payment:any'),

  // ---- enterprise statements, VAT invoices (admin and finance) and usage by site (every enterprise role), within site scope
  'statements.statement': rule(['enterprise_admin', 'enterprise_finance'], 'account:bills', 'account:payments'),
  'statements.link': rule(['enterprise_admin', 'enterprise_finance'], 'account:bills', 'account:payments'),
  'statements.usage': rule(ENTERPRISE, 'account:view'),
  'statements.invoiceTitle': rule(['enterprise_admin', 'enterprise_finance'], 'account:payments'),
  'statements.invoiceCandidates': rule(['enterprise_admin', 'enterprise_finance'], 'account:payments'),
  'statements.invoices': rule(['enterprise_admin', 'enterprise_finance'], 'account:payments'),
  'statements.requestInvoice': rule(['enterprise_admin', 'enterprise_finance'], 'account:payments'),
  'statements.invoiceLink': rule(['enterprise_admin', 'enterprise_finance'], 'account:payments'),
  // 合并缴费 (ent-money): enterprise admin and finance only, within their site scope
  'billing.batchBills': rule(['enterprise_admin', 'enterprise_finance'], 'account:pay'),
  'billing.createBatchPayment': rule(['enterprise_admin', 'enterprise_finance'], 'account:pay'),
  'billing.batchPayment': rule(['enterprise_admin', 'enterprise_finance'], 'payment:payer'),
  'billing.batchPayments': rule(['enterprise_admin', 'enterprise_finance'], 'payment:payer'),
  // 户号总览 (ent-money): every enterprise role within its scope; money columns for admin and finance only
  'portfolio.overview': rule(ENTERPRISE, 'account:view', 'account:bills'),
  'portfolio.list': rule(ENTERPRISE, 'account:view', 'account:bills'),

  // ---- outages
  'outage.list': rule('public', 'public'),
  'outage.get': rule('public', 'public'),
  'outage.areas': rule('public', 'public'),
  'outage.byAccountNumber': rule('public', 'account:number'),
  'outage.mine': rule(CUSTOMERS, 'account:view'),
  'outage.subscribe': rule(CUSTOMERS, 'account:view'),
  'outage.unsubscribe': rule(CUSTOMERS, 'own'),
  'outage.subscriptions': rule(CUSTOMERS, 'own'),
  'outage.enterpriseView': rule(ENTERPRISE, 'account:view'),
  'outage.setSiteSubscriptions': rule(ENTERPRISE, 'account:view'),
  'outage.staffList': rule(STAFF, 'outage:any'),
  'outage.detail': rule(STAFF, 'outage:any'),
  'outage.forIncident': rule(STAFF, 'order:visible'),
  'outage.publish': rule(PLANNERS, 'outage:any'),
  'outage.update': rule(PLANNERS, 'outage:any'),
  'outage.restore': rule(PLANNERS, 'outage:any'),
  'outage.cancel': rule(PLANNERS, 'outage:any'),
  'outage.proposals': rule([...PLANNERS, 'agent', 'expert'], 'outage:any'),
  'outage.confirmProposal': rule(PLANNERS, 'outage:any'),
  'outage.dismissProposal': rule(PLANNERS, 'outage:any'),
  'outage.clusterSettings': rule(PLANNERS, 'config'),
  'outage.setClusterSettings': rule(['admin'], 'config'),

  // ---- versioned settings (SLA, calendar, tariffs, late fees, cluster thresholds): supervisors read, admins write
  'settings.overview': rule(['supervisor', 'admin'], 'config'),
  'settings.current': rule(['supervisor', 'admin'], 'config'),
  'settings.history': rule(['supervisor', 'admin'], 'config'),
  'settings.version': rule(['supervisor', 'admin'], 'config'),
  'settings.publish': rule(['admin'], 'config'),
  'settings.rollback': rule(['admin'], 'config'),

  // ---- work orders: customers
  // ---- service applications (业务办理): one work order with milestones; the business desk = agents, experts, supervisors
  'application.submit': rule(REPORTERS, 'account:report', 'own'),
  'application.formSpec': rule(REPORTERS, 'public'),
  'application.mine': rule(CUSTOMERS, 'order:visible'),
  'application.get': rule([...REPORTERS, ...DESK], 'order:visible'),
  'application.documentLinks': rule([...REPORTERS, ...DESK], 'order:visible'),
  'application.supplyDocs': rule(REPORTERS, 'order:visible', 'own'),
  'application.withdraw': rule(REPORTERS, 'order:visible'),
  'application.queue': rule(DESK, 'order:desk'),
  'application.agents': rule(['supervisor', 'admin'], 'public'),
  'application.claim': rule(['agent', 'expert', 'supervisor'], 'order:desk'),
  'application.assign': rule(['supervisor', 'admin'], 'order:desk'),
  'application.complete': rule(['agent', 'expert', 'supervisor'], 'order:desk'),
  'application.schedule': rule(['agent', 'expert', 'supervisor'], 'order:desk'),
  'application.requestDocs': rule(['agent', 'expert', 'supervisor'], 'order:desk'),
  'application.refuse': rule(['supervisor'], 'order:desk'),
  'application.note': rule(DESK, 'order:desk'),

  'workorder.create': rule(REPORTERS, 'account:report', 'own'),
  'workorder.mine': rule(CUSTOMERS, 'order:visible'),
  'workorder.get': rule([...CUSTOMERS, ...STAFF], 'order:visible'),
  'workorder.photoLinks': rule([...CUSTOMERS, ...STAFF], 'order:visible'),
  'workorder.rate': rule(CUSTOMERS, 'order:visible'),
  'workorder.uploadPhoto': rule([...REPORTERS, ...STAFF], 'own'),
  'workorder.categories': rule('signed_in', 'public'),
  // ---- work orders: desk
  'workorder.queue': rule(STAFF, 'order:visible'),
  'workorder.createForCaller': rule(DESK, 'account:report'),
  'workorder.claim': rule(['agent', 'expert', 'supervisor'], 'order:desk'),
  'workorder.agents': rule(['supervisor', 'admin'], 'public'),
  'workorder.assign': rule(['supervisor', 'admin'], 'order:desk'),
  'workorder.transfer': rule(['agent', 'expert', 'dispatcher', 'supervisor', 'admin'], 'order:desk'),
  'workorder.reply': rule(STAFF, 'order:visible'),
  'workorder.process': rule(['agent', 'expert', 'supervisor'], 'order:desk'),
  'workorder.returnVisits': rule(['agent', 'expert', 'supervisor'], 'order:desk'),
  'workorder.recordReturnVisit': rule(['agent', 'expert', 'supervisor'], 'order:desk'),
  'workorder.pause': rule(STAFF, 'order:visible'),
  'workorder.resume': rule(STAFF, 'order:visible'),
  'workorder.close': rule(['agent', 'expert', 'dispatcher', 'supervisor', 'admin'], 'order:desk'),
  'workorder.live': rule(STAFF, 'order:visible'),
  // ---- work orders: dispatch and the field
  'workorder.dispatch': rule(PLANNERS, 'order:desk'),
  'workorder.crews': rule([...PLANNERS, 'area_manager'], 'public'),
  'workorder.crewOrders': rule(FIELD, 'order:field'),
  'workorder.accept': rule(FIELD, 'order:field'),
  'workorder.arrive': rule(FIELD, 'order:field'),
  'workorder.resolve': rule([...FIELD, 'agent', 'expert', 'supervisor'], 'order:field', 'order:desk'),
  'workorder.returnForRedispatch': rule(FIELD, 'order:field'),

  // ---- organisation and grid administration (admin writes; supervisors read users and crews)
  'admin.users': rule(['supervisor', 'admin'], 'org'),
  'admin.createUser': rule(['admin'], 'org'),
  'admin.updateUser': rule(['admin'], 'org'),
  'admin.setUserDisabled': rule(['admin'], 'org'),
  'admin.resetPassword': rule(['admin'], 'org'),
  'admin.regions': rule(['supervisor', 'admin'], 'org'),
  'admin.crews': rule(['supervisor', 'admin'], 'org'),
  'admin.createCrew': rule(['admin'], 'org'),
  'admin.updateCrew': rule(['admin'], 'org'),
  'admin.gridTree': rule(['dispatcher', 'supervisor', 'admin'], 'org'),
  'admin.addGridNode': rule(['admin'], 'org'),
  'admin.renameGridNode': rule(['admin'], 'org'),
  'admin.moveArea': rule(['admin'], 'org'),

  // ---- enterprise onboarding and people (issue 11): sign-up and invitations are public; the rest per enterprise role or reviewing staff
  'enterprise.signUp': rule('public', 'public'),
  'enterprise.myApplication': rule(ENTERPRISE, 'enterprise:own'),
  'enterprise.submitApplication': rule(['enterprise_admin'], 'enterprise:own', 'own'),
  'enterprise.staffList': rule(['account_manager', 'supervisor', 'admin'], 'enterprise:any'),
  'enterprise.staffGet': rule(['account_manager', 'supervisor', 'admin'], 'enterprise:any'),
  'enterprise.verify': rule(['account_manager', 'supervisor', 'admin'], 'enterprise:any'),
  'enterprise.reject': rule(['account_manager', 'supervisor', 'admin'], 'enterprise:any'),
  'enterprise.accountManagers': rule(['account_manager', 'supervisor', 'admin'], 'org'),
  'enterprise.assignManager': rule(['supervisor', 'admin'], 'enterprise:any'),
  'enterprise.staffJoinRequests': rule(['account_manager', 'supervisor', 'admin'], 'enterprise:any'),
  'enterprise.decideJoin': rule(['account_manager', 'supervisor', 'admin'], 'enterprise:any'),
  'enterprise.joinLookup': rule(['enterprise_admin'], 'enterprise:own', 'account:number'),
  'enterprise.sendJoinCode': rule(['enterprise_admin'], 'enterprise:own', 'account:number'),
  'enterprise.joinWithCode': rule(['enterprise_admin'], 'enterprise:own', 'account:number'),
  'enterprise.requestJoin': rule(['enterprise_admin'], 'enterprise:own', 'account:number'),
  'enterprise.joinRequests': rule(['enterprise_admin'], 'enterprise:own'),
  'enterprise.team': rule(['enterprise_admin'], 'enterprise:own'),
  'enterprise.sites': rule(['enterprise_admin'], 'enterprise:own'),
  'enterprise.invite': rule(['enterprise_admin'], 'enterprise:own'),
  'enterprise.cancelInvite': rule(['enterprise_admin'], 'enterprise:own'),
  'enterprise.acceptInvite': rule('public', 'public'),
  'enterprise.updateMember': rule(['enterprise_admin'], 'enterprise:own'),
  'enterprise.setMemberDisabled': rule(['enterprise_admin'], 'enterprise:own'),
  'enterprise.removeMember': rule(['enterprise_admin'], 'enterprise:own'),
  'enterprise.company': rule(['enterprise_admin', 'enterprise_finance'], 'enterprise:own'),
  'enterprise.updateInvoiceTitle': rule(['enterprise_admin'], 'enterprise:own'),

  // ---- quality reports (SPEC §3.6): supervisors see their teams and regions, admin everything
  'quality.metrics': rule(['supervisor', 'admin'], 'public'),
  'quality.scope': rule(['supervisor', 'admin'], 'report:scope'),
  'quality.dashboard': rule(['supervisor', 'admin'], 'report:scope'),
  'quality.drill': rule(['supervisor', 'admin'], 'report:scope'),
  'quality.exportCsv': rule(['supervisor', 'admin'], 'report:scope'),
  // ---- points (SPEC §3.6, seed 002): own ledger; leaderboards for the desk; team ledgers and 质检 for supervisors
  'points.mine': rule(['agent', 'expert', 'supervisor', 'admin'], 'own'),
  'points.leaderboard': rule(['agent', 'expert', 'supervisor', 'admin'], 'points:board'),
  'points.scope': rule(['supervisor', 'admin'], 'points:team'),
  'points.agent': rule(['supervisor', 'admin'], 'points:team'),
  'points.qcCandidates': rule(['supervisor', 'admin'], 'points:team'),
  'points.qcOrder': rule(['supervisor', 'admin'], 'points:team', 'order:desk'),
  'points.qcSubmit': rule(['supervisor', 'admin'], 'points:team'),
  'points.qcList': rule(['supervisor', 'admin'], 'points:team'),

  // ---- early warning and 督办 (issue 14): supervisors their teams' regions, admins all, dispatchers read the board
  'warnings.board': rule(['supervisor', 'admin', 'dispatcher'], 'warnings:scope'),
  'warnings.supervision': rule(['supervisor', 'admin'], 'warnings:scope'),
  'warnings.supervisionCount': rule(['supervisor', 'admin'], 'warnings:scope'),
  'warnings.acknowledge': rule(['supervisor', 'admin'], 'warnings:scope'),
  'warnings.comment': rule(['supervisor', 'admin'], 'warnings:scope'),
  'warnings.urge': rule(['supervisor', 'admin'], 'warnings:scope', 'order:desk'),
  'warnings.createSupervision': rule(['supervisor', 'admin'], 'warnings:scope', 'order:desk'),
  'warnings.myNotices': rule(STAFF, 'own'),
  'warnings.readNotice': rule(STAFF, 'own'),
  'warnings.weeklyReports': rule(['supervisor', 'admin'], 'warnings:scope'),
  'warnings.weeklyReportFile': rule(['supervisor', 'admin'], 'warnings:scope'),
} as const satisfies Record<string, AccessRule>;

export type ProcedurePath = keyof typeof ACCESS_TABLE;

/** The rule for a procedure path, or undefined (which the gate refuses). */
export function accessRuleFor(path: string): AccessRule | undefined {
  return (ACCESS_TABLE as Record<string, AccessRule>)[path];
}

/** Whether these roles pass the rule's role gate (signed in or not is the caller's business). */
export function rolesPass(rule: AccessRule, roles: readonly Role[] | null): boolean {
  if (rule.roles === 'public') return true;
  if (!roles) return false;
  if (rule.roles === 'signed_in') return true;
  const allowed = rule.roles;
  return roles.some((r) => allowed.includes(r));
}
