'use client';

import { WarningOutlined } from '@ant-design/icons';
import { TARIFF_BAND_LABELS } from '@power/api/labels';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, Radio, Row, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import dynamic from 'next/dynamic';
import { useState } from 'react';
import { EnterprisePage, S, type UsageBySite } from '@/components/statements/common';
import { formatPeriod } from '@/lib/billing';
import { errorMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';

const chart = (name: 'CompareChart' | 'YoyChart' | 'TouChart') =>
  dynamic(() => import('@/components/statements/UsageChartsInner').then((m) => m[name]), {
    ssr: false,
    loading: () => <Skeleton.Node active style={{ width: '100%', height: 280 }} />,
  });
const CompareChart = chart('CompareChart');
const YoyChart = chart('YoyChart');
const TouChart = chart('TouChart');

const num = (n: number | null) => (n == null ? '—' : S.kwhUnit(n));

function Flagged({ data }: { data: UsageBySite }) {
  return (
    <Card
      title={
        <Space>
          <WarningOutlined style={{ color: '#cc0000' }} />
          {S.flaggedTitle}
        </Space>
      }
      data-testid="flagged-sites"
      style={{ marginBottom: 16 }}
    >
      <Typography.Paragraph type="secondary">{S.flaggedDesc}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="accountId"
        dataSource={data.flagged}
        pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small' }}
        locale={{ emptyText: <Empty description={S.flaggedNone} /> }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: S.accountNumber, dataIndex: 'accountNumber' },
          { title: S.site, dataIndex: 'siteName', ellipsis: true, width: 260 },
          { title: S.flaggedPeriod, dataIndex: 'period', render: (p: string) => formatPeriod(p) },
          { title: S.flaggedKwh, dataIndex: 'kwh', align: 'right', render: (v: number) => <Typography.Text type="danger">{num(v)}</Typography.Text> },
          { title: S.flaggedLastYear, dataIndex: 'lastYearKwh', align: 'right', render: num },
          { title: S.flaggedUsual, dataIndex: 'usualKwh', align: 'right', render: num },
          { title: S.flaggedUpper, dataIndex: 'upperKwh', align: 'right', render: num },
          {
            title: S.flaggedYoy,
            dataIndex: 'yoyPercent',
            align: 'right',
            render: (v: number | null) => (v == null ? '—' : <Tag color="red">+{v - 100}%</Tag>),
          },
        ]}
      />
    </Card>
  );
}

function Usage() {
  const trpc = useTRPC();
  const [months, setMonths] = useState<12 | 24>(12);
  const [chosen, setChosen] = useState<string[] | undefined>(undefined);
  const q = useQuery({ ...trpc.statements.usage.queryOptions({ months, accountIds: chosen }), placeholderData: keepPreviousData });
  const d = q.data;
  return (
    <div data-testid="usage-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {S.usageTitle}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{S.usageDesc}</Typography.Paragraph>
      {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} style={{ marginBottom: 16 }} />}
      {q.isPending && <Skeleton active />}
      {d && (
        <>
          <Flagged data={d} />
          <Card
            title={S.compareTitle}
            style={{ marginBottom: 16 }}
            extra={
              <Radio.Group
                optionType="button"
                size="small"
                value={months}
                onChange={(e) => setMonths(e.target.value as 12 | 24)}
                options={[
                  { value: 12, label: S.months(12) },
                  { value: 24, label: S.months(24) },
                ]}
              />
            }
          >
            <Space style={{ marginBottom: 8, width: '100%' }} wrap>
              <span>{S.sites}</span>
              <Select
                mode="multiple"
                aria-label={S.sites}
                style={{ minWidth: 420 }}
                maxCount={8}
                placeholder={S.sitesPlaceholder}
                value={chosen ?? d.compare.map((c) => c.accountId)}
                onChange={(v: string[]) => setChosen(v.length ? v : undefined)}
                optionFilterProp="label"
                options={d.sites.map((s) => ({ value: s.accountId, label: `${s.accountNumber} ${s.siteName}` }))}
              />
            </Space>
            {d.periods.length === 0 ? (
              <Empty description={S.chartEmpty} />
            ) : (
              <div data-testid="usage-compare-chart">
                <CompareChart data={d} />
              </div>
            )}
          </Card>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={13}>
              <Card title={S.yoyTitle(d.yoy.year)}>
                <YoyChart data={d} />
              </Card>
            </Col>
            <Col xs={24} lg={11}>
              <Card title={S.touTitle}>
                {d.tou.sites === 0 || !d.tou.shares ? (
                  <Empty description={S.touNone} />
                ) : (
                  <>
                    <Space wrap style={{ marginBottom: 8 }}>
                      <Typography.Text type="secondary">{S.touSites(d.tou.sites)}</Typography.Text>
                      {(['peak', 'flat', 'valley'] as const).map((b) => (
                        <Tag key={b} color={b === 'peak' ? 'red' : b === 'flat' ? 'orange' : 'green'}>
                          {S.share(TARIFF_BAND_LABELS[b], (d.tou.shares![b] / 10).toFixed(1))}
                        </Tag>
                      ))}
                    </Space>
                    <TouChart data={d} />
                  </>
                )}
              </Card>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}

export default function UsagePage() {
  return <EnterprisePage>{() => <Usage />}</EnterprisePage>;
}
