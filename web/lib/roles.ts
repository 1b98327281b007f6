import { t } from './i18n';

export type Role =
  | 'resident'
  | 'enterprise_admin'
  | 'enterprise_finance'
  | 'enterprise_electrician'
  | 'agent'
  | 'expert'
  | 'dispatcher'
  | 'crew'
  | 'area_manager'
  | 'supervisor'
  | 'account_manager'
  | 'admin';

export const STAFF_ROLES: readonly Role[] = ['agent', 'expert', 'dispatcher', 'crew', 'area_manager', 'supervisor', 'account_manager', 'admin'];

export function isStaff(user: { kind: string; roles: readonly string[] } | null | undefined): boolean {
  if (!user) return false;
  return user.kind === 'staff' || user.roles.some((r) => (STAFF_ROLES as readonly string[]).includes(r));
}

export function roleLabel(role: string): string {
  return t.enums.role[role] ?? role;
}

/** Login page matching the area a path belongs to. */
export function loginPathFor(pathname: string): string {
  if (pathname.startsWith('/staff')) return '/staff/login';
  if (pathname.startsWith('/enterprise')) return '/login/enterprise';
  return '/login';
}

export const LOGIN_PATHS = ['/login', '/login/enterprise', '/staff/login'];
