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
  | 'org';

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
const STAFF = ['agent', 'expert', 'dispatcher', 'crew', 'area_manager', 'supervisor', 'admin'] as const;
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

  // ---- outages
  'outage.list': rule('public', 'public'),
  'outage.get': rule('public', 'public'),
  'outage.areas': rule('public', 'public'),
  'outage.byAccountNumber': rule('public', 'account:number'),
  'outage.mine': rule(CUSTOMERS, 'account:view'),
  'outage.subscribe': rule(CUSTOMERS, 'account:view'),
  'outage.unsubscribe': rule(CUSTOMERS, 'own'),
  'outage.subscriptions': rule(CUSTOMERS, 'own'),
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
