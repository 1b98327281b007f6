'use client';

import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, List, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import Link from 'next/link';
import { Forbidden } from '@/components/common';
import { StaffNotices } from '@/components/warnings/StaffNotices';
import { CountdownCell, TypeTag } from '@/components/workorders/OrderBits';
import { errorCode, errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { useNow } from '@/lib/workorders';

const tw = t.warnings;

export default function StaffHomePage() {
  const trpc = useTRPC();
  const home = useQuery(trpc.staff.home.queryOptions());
  const now = useNow(1000);

  if (home.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (home.isError) {
    if (errorCode(home.error) === 'FORBIDDEN') return <Forbidden desc={t.staff.notStaffDesc} homeHref="/home" />;
    return <Alert type="error" showIcon title={errorMessage(home.error)} />;
  }
  const sup = home.data.supervisor;

  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t.staff.homeWelcome(home.data.displayName)}
      </Typography.Title>
      {sup && sup.teams.length > 0 && <p className="ps-muted">{tw.homeTeams(sup.teams.join('、'))}</p>}
      <StaffNotices />
      {home.data.cards.length === 0 ? (
        <Card>
          <Empty description={t.staff.noCards} />
        </Card>
      ) : (
        <Row gutter={[16, 16]} align="stretch" data-testid="staff-cards">
          {home.data.cards.map((c) => {
            const card = (
              <Card size="small" data-testid={`card-${c.key}`} hoverable={!!c.href} style={{ height: '100%' }}>
                <Statistic title={c.label} value={c.value} />
              </Card>
            );
            return (
              <Col xs={24} sm={12} lg={8} xl={sup ? 4 : 6} key={c.key}>
                {c.href ? (
                  <Link href={c.href} style={{ display: 'block', height: '100%' }}>
                    {card}
                  </Link>
                ) : (
                  card
                )}
              </Col>
            );
          })}
        </Row>
      )}
      {sup && (
        <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
          <Col xs={24} xl={12}>
            <Card title={tw.homeNear} extra={<Link href="/staff/warnings">{tw.homeMore}</Link>} data-testid="home-near">
              <List
                size="small"
                dataSource={sup.nearDeadline}
                locale={{ emptyText: tw.nearEmpty }}
                renderItem={(o) => (
                  <List.Item>
                    <span>
                      <TypeTag type={o.type} /> {o.orderNo} <span className="ps-muted">{o.regionName}</span>
                    </span>
                    <CountdownCell order={o} now={now} />
                  </List.Item>
                )}
              />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title={tw.homeAnomalies} extra={<Link href="/staff/warnings">{tw.homeMore}</Link>} data-testid="home-anomalies">
              <List
                size="small"
                dataSource={sup.anomalies}
                locale={{ emptyText: tw.anomalyEmpty }}
                renderItem={(a) => (
                  <List.Item>
                    <span>
                      <Tag>{a.areaKindLabel}</Tag>
                      {a.areaName} · {a.metricLabel}
                    </span>
                    <span>
                      {a.windowDays > 1 ? tw.anomalyWindow(a.windowDays) : tw.anomalyCount} <Typography.Text type="danger">{a.count}</Typography.Text>
                      （{tw.anomalyLimit} {a.limit}）
                    </span>
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}
