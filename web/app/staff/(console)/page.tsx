'use client';

import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, Row, Skeleton, Statistic, Typography } from 'antd';
import { Forbidden } from '@/components/common';
import { errorCode, errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

export default function StaffHomePage() {
  const trpc = useTRPC();
  const home = useQuery(trpc.staff.home.queryOptions());

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

  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t.staff.homeWelcome(home.data.displayName)}
      </Typography.Title>
      {home.data.cards.length === 0 ? (
        <Card>
          <Empty description={t.staff.noCards} />
        </Card>
      ) : (
        <Row gutter={[16, 16]} data-testid="staff-cards">
          {home.data.cards.map((c) => (
            <Col xs={24} sm={12} lg={8} xl={6} key={c.key}>
              <Card size="small" data-testid={`card-${c.key}`}>
                <Statistic title={c.label} value={c.value} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </>
  );
}
