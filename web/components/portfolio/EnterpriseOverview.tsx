'use client';

import {
  AlertOutlined,
  BarChartOutlined,
  CalendarOutlined,
  CustomerServiceOutlined,
  FileTextOutlined,
  PayCircleOutlined,
  ShopOutlined,
  ToolOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, List, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { SupplyStateTag } from '@/components/common';
import type { Me } from '@/components/CustomerGate';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { formatFen } from '@/lib/money';
import { useTRPC } from '@/lib/trpc';
import { cnDay, handlesMoney, type PortfolioOverview } from './portfolio';

const M = t.entMoney;

/** The four figures at the top of the overview and the portfolio. */
export function PortfolioTotals({ totals, moneyVisible }: { totals: PortfolioOverview['totals']; moneyVisible: boolean }) {
  const cards: { key: string; title: string; value: ReactNode; sub: string | null; icon: ReactNode; danger?: boolean }[] = [
    { key: 'accounts', title: M.totalAccounts, value: totals.accounts, sub: null, icon: <ShopOutlined /> },
    ...(moneyVisible
      ? [
          {
            key: 'arrears',
            title: M.totalArrears,
            value: formatFen(totals.arrearsFen ?? 0),
            sub: M.arrearsAccounts(totals.arrearsAccounts ?? 0),
            icon: <WalletOutlined />,
            danger: (totals.arrearsFen ?? 0) > 0,
          },
          {
            key: 'due',
            title: M.dueThisWeek,
            value: formatFen(totals.dueThisWeekFen ?? 0),
            sub: M.dueThisWeekDetail(totals.dueThisWeekBills ?? 0, totals.dueThisWeekAccounts ?? 0),
            icon: <CalendarOutlined />,
          },
        ]
      : []),
    {
      key: 'risk',
      title: M.atRisk,
      value: M.accountsUnit(totals.atRisk),
      sub: M.atRiskDetail(totals.disconnected),
      icon: <AlertOutlined />,
      danger: totals.atRisk > 0,
    },
  ];
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 16 }} data-testid="portfolio-totals">
      {cards.map((c) => (
        <Col xs={12} md={24 / cards.length} key={c.key}>
          <Card size="small" data-testid={`total-${c.key}`}>
            <Statistic
              title={
                <Space size={6}>
                  {c.icon}
                  {c.title}
                </Space>
              }
              value={c.value as string}
              valueStyle={c.danger ? { color: '#cf1322' } : undefined}
            />
            {c.sub && (
              <div className="ps-muted" style={{ fontSize: 12 }}>
                {c.sub}
              </div>
            )}
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** /home for enterprise users: the company in full, totals, the sites needing attention, shortcuts. */
export function EnterpriseOverview({ me }: { me: Me }) {
  const trpc = useTRPC();
  const overview = useQuery(trpc.portfolio.overview.queryOptions());
  const money = handlesMoney(me.roles);
  const field = me.roles.includes('enterprise_admin') || me.roles.includes('enterprise_electrician');
  const shortcuts = [
    { href: '/home/sites', label: M.toSites, icon: <ShopOutlined />, show: true },
    { href: '/home/batch-pay', label: M.toBatchPay, icon: <PayCircleOutlined />, show: money },
    { href: '/home/statements', label: M.toStatements, icon: <FileTextOutlined />, show: money },
    { href: '/home/usage', label: M.toUsage, icon: <BarChartOutlined />, show: true },
    { href: '/home/repair', label: M.toRepair, icon: <ToolOutlined />, show: field },
    { href: '/home/manager', label: M.toManager, icon: <CustomerServiceOutlined />, show: true },
  ].filter((s) => s.show);
  return (
    <div data-testid="enterprise-overview">
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="welcome">
          {t.home.welcome(me.displayName)}
        </Typography.Title>
        <div style={{ marginTop: 6 }} data-testid="enterprise-name">
          <span className="ps-muted">{t.home.enterprise}：</span>
          {overview.data?.enterpriseName || me.enterprise?.name}
        </div>
      </Card>
      {overview.isPending && (
        <Card>
          <Skeleton active />
        </Card>
      )}
      {overview.isError && <Alert type="error" showIcon title={errorMessage(overview.error)} />}
      {overview.data && <PortfolioTotals totals={overview.data.totals} moneyVisible={overview.data.moneyVisible} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={16}>
          <Card title={M.attention} extra={<Link href="/home/sites">{M.toSites}</Link>}>
            {overview.data && overview.data.attention.length === 0 && <Empty description={M.noAttention} />}
            {overview.data && overview.data.attention.length > 0 && (
              <List
                dataSource={overview.data.attention}
                renderItem={(r) => (
                  <List.Item
                    key={r.accountId}
                    extra={
                      money && (r.owedFen ?? 0) > 0 ? (
                        <Link href="/home/batch-pay" style={{ whiteSpace: 'nowrap' }}>
                          {M.payBills}
                        </Link>
                      ) : (
                        <Link href={`/home/accounts/${r.accountId}`}>{M.open}</Link>
                      )
                    }
                  >
                    <Space wrap size={8}>
                      <span style={{ fontWeight: 600 }}>{r.siteName}</span>
                      <span className="ps-muted">{r.number}</span>
                      <SupplyStateTag state={r.supplyState} />
                      {r.atRisk && <Tag color="volcano">{M.risk}</Tag>}
                      {money && (r.owedFen ?? 0) > 0 && <span className="ps-amount-danger">{formatFen(r.owedFen ?? 0)}</span>}
                      {money && r.nextDueDay && (
                        <span className="ps-muted">
                          {M.colNextDue} {cnDay(r.nextDueDay)}
                        </span>
                      )}
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card title={M.shortcuts}>
            <Space orientation="vertical" style={{ width: '100%' }}>
              {shortcuts.map((s) => (
                <Link key={s.href} href={s.href}>
                  <Space>
                    {s.icon}
                    {s.label}
                  </Space>
                </Link>
              ))}
            </Space>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
