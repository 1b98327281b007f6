import {
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  CheckSquareOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  FileDoneOutlined,
  PhoneOutlined,
  ReadOutlined,
  SendOutlined,
  SettingOutlined,
  ThunderboltOutlined,
  ToolOutlined,
  TrophyOutlined,
  UnorderedListOutlined,
  WalletOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { InboxMenuIcon } from '@/components/messages/InboxMenuIcon';
import { SupervisionMenuIcon } from '@/components/warnings/SupervisionMenuIcon';
import { t } from './i18n';
import type { Role } from './roles';

export type StaffMenuItem = { key: string; href: string; label: string; icon: ReactNode; roles: Role[] | 'all' };

export const STAFF_MENU: StaffMenuItem[] = [
  { key: 'home', href: '/staff', label: t.staff.menu.home, icon: <DashboardOutlined />, roles: 'all' },
  {
    key: 'queue',
    href: '/staff/queue',
    label: t.staff.menu.queue,
    icon: <UnorderedListOutlined />,
    roles: ['agent', 'expert', 'dispatcher', 'supervisor', 'admin'],
  },
  {
    key: 'screen-pop',
    href: '/staff/screen-pop',
    label: t.staff.menu.screenPop,
    icon: <PhoneOutlined />,
    roles: ['agent', 'expert', 'supervisor', 'admin'],
  },
  {
    key: 'dispatch',
    href: '/staff/dispatch',
    label: t.staff.menu.dispatch,
    icon: <SendOutlined />,
    roles: ['dispatcher', 'supervisor', 'admin'],
  },
  {
    key: 'outages',
    href: '/staff/outages',
    label: t.staff.menu.outages,
    icon: <ThunderboltOutlined />,
    roles: ['dispatcher', 'supervisor', 'admin'],
  },
  {
    key: 'inbox',
    href: '/staff/inbox',
    label: t.entService.inboxTitle,
    icon: <InboxMenuIcon />,
    roles: ['account_manager', 'supervisor'],
  },
  {
    key: 'applications',
    href: '/staff/applications',
    label: t.applyDesk.title,
    icon: <FileDoneOutlined />,
    roles: ['agent', 'expert', 'supervisor', 'admin'],
  },
  {
    key: 'my-orders',
    href: '/staff/my-orders',
    label: t.staff.menu.myOrders,
    icon: <AuditOutlined />,
    roles: ['agent', 'expert'],
  },
  {
    key: 'crew',
    href: '/staff/crew',
    label: t.staff.menu.myOrders,
    icon: <ToolOutlined />,
    roles: ['crew', 'area_manager'],
  },
  {
    key: 'visits',
    href: '/staff/visits',
    label: t.staff.menu.visits,
    icon: <CustomerServiceOutlined />,
    roles: ['agent', 'expert', 'supervisor'],
  },
  { key: 'warnings', href: '/staff/warnings', label: t.warnings.menuBoard, icon: <WarningOutlined />, roles: ['supervisor', 'admin', 'dispatcher'] },
  {
    key: 'supervision',
    href: '/staff/supervision',
    label: t.warnings.menuSupervision,
    icon: <SupervisionMenuIcon />,
    roles: ['supervisor', 'admin'],
  },
  {
    key: 'reports',
    href: '/staff/reports',
    label: t.staff.menu.reports,
    icon: <BarChartOutlined />,
    roles: ['supervisor', 'admin'],
  },
  {
    key: 'payments',
    href: '/staff/payments',
    label: t.staff.menu.payments,
    icon: <WalletOutlined />,
    roles: ['agent', 'supervisor', 'admin'],
  },
  {
    key: 'enterprises',
    href: '/staff/enterprises',
    label: t.ent.staffEnt.menu,
    icon: <BankOutlined />,
    roles: ['account_manager', 'supervisor', 'admin'],
  },
  {
    key: 'knowledge',
    href: '/staff/knowledge',
    label: t.knowledge.staff.title,
    icon: <ReadOutlined />,
    roles: ['agent', 'expert', 'supervisor', 'admin'],
  },
  { key: 'points', href: '/staff/points', label: t.points.menu, icon: <TrophyOutlined />, roles: ['agent', 'expert', 'supervisor', 'admin'] },
  { key: 'quality-checks', href: '/staff/quality-checks', label: t.points.qcMenu, icon: <CheckSquareOutlined />, roles: ['supervisor', 'admin'] },
  // Supervisors read the versioned settings (SLA, tariffs, thresholds); people, crews and the grid are the admin's.
  { key: 'admin', href: '/staff/admin', label: t.staff.menu.admin, icon: <SettingOutlined />, roles: ['supervisor', 'admin'] },
];

/** Pages inside a menu entry that fewer roles may open than the entry itself. */
export const ADMIN_ONLY_PAGES = ['/staff/admin/staff', '/staff/admin/crews', '/staff/admin/grid'] as const;

export function menuFor(roles: readonly string[]): StaffMenuItem[] {
  return STAFF_MENU.filter((m) => m.roles === 'all' || m.roles.some((r) => roles.includes(r)));
}

/** Menu key of a console path ('/staff/screen-pop/x' → 'screen-pop'). */
export function menuKeyOf(pathname: string): string {
  const seg = pathname.replace(/^\/staff\/?/, '').split('/')[0];
  return seg || 'home';
}

/** Whether the roles may open the console page at pathname. */
export function canOpen(pathname: string, roles: readonly string[]): boolean {
  if (ADMIN_ONLY_PAGES.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return roles.includes('admin');
  const key = menuKeyOf(pathname);
  const item = STAFF_MENU.find((m) => m.key === key);
  if (!item) return true;
  return item.roles === 'all' || item.roles.some((r) => roles.includes(r));
}
