'use client';

import {
  BellOutlined,
  FileSearchOutlined,
  FileTextOutlined,
  HistoryOutlined,
  MessageOutlined,
  PayCircleOutlined,
  PlusOutlined,
  ProfileOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  ToolOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Col, Empty, Row, Skeleton, Space, Typography } from 'antd';
import Link from 'next/link';
import { AccountCard } from '@/components/AccountCard';
import { CustomerGate, type Me } from '@/components/CustomerGate';
import { HeaderUser } from '@/components/HeaderUser';
import { PortalShell } from '@/components/PortalShell';
import { EnterpriseOverview } from '@/components/portfolio/EnterpriseOverview';
import { useReconnections } from '@/lib/customer';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

function Services() {
  const trpc = useTRPC();
  const unread = useQuery({ ...trpc.messages.unreadCount.queryOptions(), refetchInterval: 60_000 });
  const unreadCount = unread.data?.count ?? 0;
  const items = [
    { key: 'repair', href: '/home/repair', icon: <ToolOutlined />, title: t.portal.repair, desc: t.portal.repairDesc },
    { key: 'request', href: '/home/request', icon: <MessageOutlined />, title: t.portal.request, desc: t.portal.requestDesc },
    { key: 'applications', href: '/home/applications', icon: <ProfileOutlined />, title: t.portal.applications, desc: t.portal.applicationsDesc },
    { key: 'knowledge', href: '/knowledge', icon: <FileTextOutlined />, title: t.portal.knowledge, desc: t.portal.knowledgeDesc },
    { key: 'orders', href: '/home/orders', icon: <FileSearchOutlined />, title: t.portal.myOrders, desc: t.portal.myOrdersDesc },
    { key: 'payfor', href: '/pay', icon: <TeamOutlined />, title: t.billing.payFor, desc: t.billing.payForDesc },
    { key: 'payments', href: '/home/payments', icon: <HistoryOutlined />, title: t.billing.history, desc: t.billing.historyDesc },
    { key: 'outages', href: '/home/outages', icon: <ThunderboltOutlined />, title: t.outages.mineTitle, desc: t.outages.serviceDesc },
    {
      key: 'messages',
      href: '/home/messages',
      icon: (
        <Badge count={unreadCount} size="small" offset={[6, -2]} data-testid="unread-badge">
          <BellOutlined />
        </Badge>
      ),
      title: t.messages.title,
      desc: t.messages.serviceDesc,
    },
  ];
  return (
    <>
      <Typography.Title level={5} style={{ margin: '8px 0 12px' }}>
        {t.portal.services}
      </Typography.Title>
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        {items.map((i) => (
          <Col xs={8} key={i.key}>
            <Link href={i.href} data-testid={`service-${i.key}`}>
              <Card size="small" className="ps-service-card" hoverable>
                {i.icon}
                <div style={{ fontWeight: 600, marginTop: 6 }}>{i.title}</div>
                <div className="ps-muted ps-hide-xs" style={{ fontSize: 12 }}>
                  {i.desc}
                </div>
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </>
  );
}

function Accounts({ me }: { me: Me }) {
  const trpc = useTRPC();
  const accounts = useQuery(trpc.account.list.queryOptions());
  // Accounts disconnected for arrears whose arrears were paid read 复电中 until power is back.
  const reconnections = useReconnections(!!accounts.data?.some((a) => a.supplyState === 'disconnected'));
  const isResident = me.roles.includes('resident');
  const isEnterprise = !!me.enterprise;
  // The power liaison (电力信息员) follows sites, faults and usage; bills and payments are finance's.
  const handlesMoney = !me.roles.includes('enterprise_electrician');

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
        {me.phoneMasked && (
          <div className="ps-muted" style={{ marginTop: 4 }}>
            {me.phoneMasked}
          </div>
        )}
      </Card>

      <Services />

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

      {accounts.isPending && (
        <Card>
          <Skeleton active />
        </Card>
      )}
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
              <AccountCard
                account={a}
                href={`/home/accounts/${a.id}`}
                reconnect={reconnections.get(a.number) ?? null}
                actions={[
                  <Link key="detail" href={`/home/accounts/${a.id}`} data-testid={`account-detail-${a.number}`}>
                    <ProfileOutlined /> {t.customer.openAccount}
                  </Link>,
                  ...(handlesMoney
                    ? [
                        <Link key="bills" href={`/home/accounts/${a.id}#bills`} data-testid={`account-bills-${a.number}`}>
                          <FileTextOutlined /> {t.billing.bills}
                        </Link>,
                        <Link key="pay" href={`/home/accounts/${a.id}/pay`} data-testid={`account-pay-${a.number}`}>
                          <PayCircleOutlined /> {a.paymentMode === 'prepaid' ? t.billing.recharge : t.billing.pay}
                        </Link>,
                      ]
                    : [
                        <Link key="repair" href="/home/repair">
                          <FileTextOutlined /> {t.home.reportFault}
                        </Link>,
                      ]),
                ]}
              />
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
      {(me) => <PortalShell right={<HeaderUser me={me} />}>{me.enterprise ? <EnterpriseOverview me={me} /> : <Accounts me={me} />}</PortalShell>}
    </CustomerGate>
  );
}
