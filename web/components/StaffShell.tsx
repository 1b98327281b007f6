'use client';

import { LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Grid, Layout, Menu, Space, Tag } from 'antd';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { CenterSpin, Forbidden, Logo } from '@/components/common';
import { errorCode, errorMessage } from '@/lib/errors';
import { useLogout, useMe } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { isStaff, roleLabel } from '@/lib/roles';
import { canOpen, menuFor, menuKeyOf } from '@/lib/staff-menu';

const { Sider, Header, Content } = Layout;

export function StaffShell({ children }: { children: ReactNode }) {
  const me = useMe();
  const pathname = usePathname();
  const router = useRouter();
  const [collapsed, setCollapsed] = useState(false);
  const screens = Grid.useBreakpoint();
  const phone = screens.sm === false;
  const logout = useLogout('/staff/login');
  const unauthorized = me.isError && errorCode(me.error) === 'UNAUTHORIZED';

  useEffect(() => {
    // The auth link normally redirects already; this covers a refresh that failed silently.
    if (unauthorized) router.replace(`/staff/login?next=${encodeURIComponent(pathname)}`);
  }, [unauthorized, router, pathname]);

  if (me.isPending) return <CenterSpin />;
  if (me.isError) {
    if (unauthorized) return <CenterSpin tip={t.app.redirecting} />;
    if (errorCode(me.error) === 'FORBIDDEN') return <Forbidden desc={t.staff.notStaffDesc} />;
    return (
      <div className="ps-container">
        <Alert type="error" showIcon title={errorMessage(me.error)} />
      </div>
    );
  }
  if (!isStaff(me.data)) return <Forbidden desc={t.staff.notStaffDesc} homeHref="/home" />;

  const user = me.data;
  const items = menuFor(user.roles).map((m) => ({
    key: m.key,
    icon: m.icon,
    label: (
      <Link href={m.href} data-testid={`menu-${m.key}`}>
        {m.label}
      </Link>
    ),
  }));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        onBreakpoint={(broken) => setCollapsed(broken)}
        // On a phone (the crew's page held in one hand) the menu folds away completely; the header button opens it.
        collapsedWidth={phone ? 0 : 56}
        width={208}
        trigger={null}
      >
        <div className="ps-console-logo">
          <Logo />
          {!collapsed && <span>{t.staff.consoleTitle}</span>}
        </div>
        <Menu theme="dark" mode="inline" selectedKeys={[menuKeyOf(pathname)]} items={items} />
      </Sider>
      <Layout>
        <Header className="ps-console-header">
          <Button type="text" icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />} onClick={() => setCollapsed(!collapsed)} />
          <Space size={12} style={{ lineHeight: 'normal' }}>
            <Space size={6}>
              <UserOutlined />
              <span data-testid="staff-name" style={{ fontWeight: 600 }}>
                {user.displayName}
              </span>
            </Space>
            <span data-testid="staff-roles">
              {/* A role whose label is the person's name (e.g. 系统管理员) is said once, not twice. */}
              {user.roles
                .filter((r) => roleLabel(r) !== user.displayName)
                .map((r) => (
                  <Tag color="cyan" key={r} style={{ marginInlineEnd: 4 }}>
                    {roleLabel(r)}
                  </Tag>
                ))}
            </span>
            <Button size="small" icon={<LogoutOutlined />} onClick={() => logout.mutate()} loading={logout.isPending} data-testid="logout">
              {t.app.logout}
            </Button>
          </Space>
        </Header>
        <Content className="ps-console-content">{canOpen(pathname, user.roles) ? children : <Forbidden homeHref="/staff" />}</Content>
      </Layout>
    </Layout>
  );
}
