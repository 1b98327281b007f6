import { t } from './i18n';
import type { Role } from './roles';

/**
 * The enterprise portal's menu: which pages each enterprise role sees (SPEC §3.5). ONE table; other lanes
 * create the pages at these routes and never edit it. `menu: false` rows are pages reached from another
 * page (not in the menu bar) whose roles still count for the refusal a role sees when it opens them.
 *
 * - admin (企业管理员) sees everything;
 * - finance (企业财务) sees bills, pays, statements and invoices, reads the company's invoice title;
 * - the power liaison (电力信息员) reports faults, follows outages and applications, sees usage — never pays.
 *
 * The API refuses on its own (access table, account needs); this table only shapes the screen.
 */
export type EnterpriseRole = Extract<Role, 'enterprise_admin' | 'enterprise_finance' | 'enterprise_electrician'>;
export const ENTERPRISE_ROLES: readonly EnterpriseRole[] = ['enterprise_admin', 'enterprise_finance', 'enterprise_electrician'];

export interface EnterpriseMenuItem {
  route: string;
  label: string;
  roles: readonly EnterpriseRole[];
  /** false: a page with its own roles that is not a menu entry (reached from another page). */
  menu?: boolean;
}

const ALL = ENTERPRISE_ROLES;
const MONEY: readonly EnterpriseRole[] = ['enterprise_admin', 'enterprise_finance'];
const ADMIN: readonly EnterpriseRole[] = ['enterprise_admin'];
const FIELD: readonly EnterpriseRole[] = ['enterprise_admin', 'enterprise_electrician'];

export const ENTERPRISE_MENU: readonly EnterpriseMenuItem[] = [
  { route: '/home', label: t.ent.menu.overview, roles: ALL },
  { route: '/home/sites', label: t.ent.menu.sites, roles: ALL },
  { route: '/home/batch-pay', label: t.ent.menu.batchPay, roles: MONEY },
  { route: '/home/statements', label: t.ent.menu.statements, roles: MONEY },
  { route: '/home/invoices', label: t.ent.menu.invoices, roles: MONEY },
  { route: '/home/usage', label: t.ent.menu.usage, roles: ALL },
  { route: '/home/repair', label: t.ent.menu.repair, roles: FIELD },
  { route: '/home/outages', label: t.ent.menu.outages, roles: ALL },
  { route: '/home/applications', label: t.ent.menu.applications, roles: FIELD },
  { route: '/home/manager', label: t.ent.menu.manager, roles: ALL },
  { route: '/home/team', label: t.ent.menu.team, roles: ADMIN },
  { route: '/home/company', label: t.ent.menu.company, roles: [...ADMIN, 'enterprise_finance'] },
  // Pages reached from others: their roles, not menu entries.
  { route: '/home/sites/join', label: t.ent.menu.join, roles: ADMIN, menu: false },
  { route: '/home/payments', label: t.ent.menu.payments, roles: MONEY, menu: false },
  { route: '/home/bind', label: t.ent.menu.bind, roles: [], menu: false },
];

/** Account pages: the pay page is money's; the account card itself is every role's. */
const PATTERNS: readonly { test: RegExp; roles: readonly EnterpriseRole[] }[] = [{ test: /^\/home\/accounts\/[^/]+\/pay(\/|$)/, roles: MONEY }];

export const isEnterpriseRole = (r: string): r is EnterpriseRole => (ENTERPRISE_ROLES as readonly string[]).includes(r);

/** The menu entries these roles see, in menu order. */
export function enterpriseMenuFor(roles: readonly string[]): EnterpriseMenuItem[] {
  return ENTERPRISE_MENU.filter((m) => m.menu !== false && m.roles.some((r) => roles.includes(r)));
}

/** The table row that governs a path: the longest route that is the path or a parent of it. */
export function enterpriseRouteOf(pathname: string): EnterpriseMenuItem | null {
  let best: EnterpriseMenuItem | null = null;
  for (const m of ENTERPRISE_MENU) {
    if (pathname === m.route || pathname.startsWith(`${m.route}/`)) {
      if (!best || m.route.length > best.route.length) best = m;
    }
  }
  return best;
}

/** Whether an enterprise user with these roles may open the portal page at pathname. */
export function canEnterpriseOpen(pathname: string, roles: readonly string[]): boolean {
  const pattern = PATTERNS.find((p) => p.test.test(pathname));
  if (pattern) return pattern.roles.some((r) => roles.includes(r));
  const row = enterpriseRouteOf(pathname);
  if (!row) return true;
  return row.roles.some((r) => roles.includes(r));
}

/** The menu entry to highlight for a path (its own row, or the menu row above a sub-page). */
export function activeEnterpriseRoute(pathname: string): string | null {
  let best: EnterpriseMenuItem | null = null;
  for (const m of ENTERPRISE_MENU) {
    if (m.menu === false) continue;
    if (pathname === m.route || pathname.startsWith(`${m.route}/`)) {
      if (!best || m.route.length > best.route.length) best = m;
    }
  }
  return best?.route ?? null;
}
