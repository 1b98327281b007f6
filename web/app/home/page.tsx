'use client';

import { LogoutOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Row, Skeleton, Space, Typography } from 'antd';
import Link from 'next/link';
import { AccountCard } from '@/components/AccountCard';
import { CustomerGate, type Me } from '@/components/CustomerGate';
import { PortalShell } from '@/components/PortalShell';
import { errorMessage } from '@/lib/errors';
import { useLogout } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

function HeaderUser({ me }: { me: Me }) {
  const logout = useLogout(me.kind === 'enterprise' ? '/login/enterprise' : '/login');
  return (
    <>
      <span
        style={{ color: '#fff', fontSize: 13, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
        data-testid="display-name"
      >
        {me.displayName}
      </span>
      <Button
        size="small"
        ghost
        icon={<LogoutOutlined />}
        onClick={() => logout.mutate()}
        loading={logout.isPending}
        data-testid="logout"
      >
        <span className="ps-hide-xs">{t.app.logout}</span>
      </Button>
    </>
  );
}

function Accounts({ me }: { me: Me }) {
  const trpc = useTRPC();
  const accounts = useQuery(trpc.account.list.queryOptions());
  const isResident = me.roles.includes('resident');
  const isEnterprise = !!me.enterprise;

  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="welcome">
          {t.home.welcome(me.displayName)}
        </Typography.Title>
        {me.enterprise && (
          <div style={{ marginTop: 6 }} data-testid="enterprise-name">
            <span className="ps-muted">{t.home.enterprise}：</span>
            {me.enterprise.name}
          </div>
        )}
        {me.phoneMasked && <div className="ps-muted" style={{ marginTop: 4 }}>{me.phoneMasked}</div>}
      </Card>

      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', margin: '8px 0 12px' }}>
        <Space size={8} align="baseline">
          <Typography.Title level={5} style={{ margin: 0 }}>
            {isEnterprise ? t.home.enterpriseAccounts : t.home.accounts}
          </Typography.Title>
          {accounts.data && <span className="ps-muted">{t.home.count(accounts.data.length)}</span>}
        </Space>
        {isResident && (
          <Link href="/home/bind">
            <Button type="primary" icon={<PlusOutlined />} data-testid="bind-account">
              {t.home.bind}
            </Button>
          </Link>
        )}
      </div>

      {accounts.isPending && <Card><Skeleton active /></Card>}
      {accounts.isError && <Alert type="error" showIcon title={errorMessage(accounts.error)} />}
      {accounts.data && accounts.data.length === 0 && (
        <Card>
          <Empty description={isEnterprise ? t.home.emptyEnterprise : t.home.empty}>
            {isResident && (
              <Link href="/home/bind">
                <Button type="primary">{t.home.bindNow}</Button>
              </Link>
            )}
          </Empty>
        </Card>
      )}
      {accounts.data && accounts.data.length > 0 && (
        <Row gutter={[12, 12]} data-testid="account-list">
          {accounts.data.map((a) => (
            <Col xs={24} md={12} key={a.id}>
              <AccountCard account={a} />
            </Col>
          ))}
        </Row>
      )}
    </>
  );
}

export default function HomePage() {
  return (
    <CustomerGate>
      {(me) => (
        <PortalShell right={<HeaderUser me={me} />}>
          <Accounts me={me} />
        </PortalShell>
      )}
    </CustomerGate>
  );
}
