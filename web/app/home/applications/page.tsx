'use client';

import { RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { APPLICATION_KIND_LABELS } from '@power/api/labels';
import { Alert, Card, Col, Empty, List, Row, Skeleton, Space, Tag, Typography } from 'antd';
import Link from 'next/link';
import { PhaseTag } from '@/components/applications/ApplicationBits';
import { CustomerPage } from '@/components/CustomerPage';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const KINDS = ['new_connection', 'capacity_change', 'meter_check', 'name_change'] as const;

function Applications() {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.application.mine.queryOptions(), refetchInterval: 15_000 });
  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t.apply.title}
        </Typography.Title>
        <p className="ps-muted">{t.apply.intro}</p>
        <Row gutter={[12, 12]}>
          {KINDS.map((k) => (
            <Col xs={12} md={6} key={k}>
              <Link href={`/home/applications/new?kind=${k}`}>
                <Card hoverable size="small">
                  <b>{t.apply.startKind(APPLICATION_KIND_LABELS[k])}</b>
                  <div className="ps-muted" style={{ fontSize: 12, marginTop: 4 }}>
                    {t.apply.kindHints[k]}
                  </div>
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      </Card>
      <Card title={t.apply.listTitle}>
        {list.isPending && <Skeleton active />}
        {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
        {list.data && list.data.length === 0 && <Empty description={t.apply.empty} />}
        {list.data && list.data.length > 0 && (
          <List
            dataSource={list.data}
            renderItem={(a) => (
              <List.Item key={a.id}>
                <Link href={`/home/applications/${a.id}`} style={{ display: 'block', width: '100%', color: 'inherit' }}>
                  <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                    <Space size={6} wrap>
                      <b>{a.kindLabel}</b>
                      <PhaseTag phase={a.phase} label={a.phaseLabel} />
                      {a.late && <Tag color="orange">{t.apply.lateTitle}</Tag>}
                      <span className="ps-muted" style={{ fontSize: 12 }}>
                        {a.orderNo}
                      </span>
                    </Space>
                    <RightOutlined className="ps-muted" />
                  </div>
                  <div style={{ margin: '6px 0' }} className="ps-muted">
                    {a.accountNumber ? `${t.apply.account} ${a.accountNumber} · ` : ''}
                    {a.address ?? ''}
                  </div>
                  <Space size={12} wrap style={{ fontSize: 12 }}>
                    <span className="ps-muted">{a.createdLabel}</span>
                    {a.currentLabel && (
                      <span>
                        {a.currentLabel} {a.currentDaysLeftLabel ?? ''}
                      </span>
                    )}
                    {a.turnLabel && (
                      <span>
                        {t.apply.whoseTurn}
                        {a.turnLabel}
                        {t.apply.turnSuffix}
                      </span>
                    )}
                    {a.onTimeLabel && <span>{a.onTimeLabel}</span>}
                  </Space>
                </Link>
              </List.Item>
            )}
          />
        )}
      </Card>
    </>
  );
}

export default function ApplicationsPage() {
  return <CustomerPage>{() => <Applications />}</CustomerPage>;
}
