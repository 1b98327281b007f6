'use client';

import { ClockCircleOutlined, PhoneOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Card, Col, Row, Skeleton, Space, Typography } from 'antd';
import { Forbidden } from '@/components/common';
import { CustomerPage } from '@/components/CustomerPage';
import { ThreadView, useThreadUnread } from '@/components/messages/ThreadView';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const S = t.entService;
const isEnterprise = (roles: readonly string[]) => roles.some((r) => r.startsWith('enterprise_'));

function ManagerPage() {
  const trpc = useTRPC();
  const card = useQuery(trpc.entMessages.manager.queryOptions());
  const unread = useThreadUnread();
  const n = unread.data?.count ?? 0;

  return (
    <div data-testid="manager-page">
      <Space align="center" style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {S.managerTitle}
        </Typography.Title>
        {n > 0 && <Badge count={n} title={S.unread(n)} aria-label={S.unread(n)} />}
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <Card title={S.managerCard}>
            {card.isPending && <Skeleton active />}
            {card.isError && <Alert type="error" showIcon title={errorMessage(card.error)} />}
            {card.data && !card.data.manager && <Alert type="info" showIcon title={S.noManager} />}
            {card.data?.manager && (
              <Space direction="vertical" size={10}>
                <Space>
                  <UserOutlined />
                  <Typography.Text strong style={{ fontSize: 18 }} data-testid="manager-name">
                    {card.data.manager.name}
                  </Typography.Text>
                </Space>
                {card.data.manager.workPhone && (
                  <Space>
                    <PhoneOutlined />
                    <span>{S.workPhone}</span>
                    <a href={`tel:${card.data.manager.workPhone}`} data-testid="manager-phone">
                      {card.data.manager.workPhone}
                    </a>
                  </Space>
                )}
                <Space align="start">
                  <ClockCircleOutlined />
                  <span>
                    {S.serviceHours}：{card.data.manager.serviceHours}
                  </span>
                </Space>
                <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                  {S.promise}
                </Typography.Paragraph>
                <Typography.Text type="secondary">{card.data.enterprise.name}</Typography.Text>
              </Space>
            )}
          </Card>
        </Col>
        <Col xs={24} md={16}>
          <Card title={S.threadTitle}>
            <ThreadView />
          </Card>
        </Col>
      </Row>
    </div>
  );
}

export default function HomeManagerPage() {
  return <CustomerPage>{(me) => (isEnterprise(me.roles) ? <ManagerPage /> : <Forbidden homeHref="/home" />)}</CustomerPage>;
}
