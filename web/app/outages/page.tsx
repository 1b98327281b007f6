'use client';

import { LoginOutlined, SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Form, Input, Row, Select, Skeleton, Space, Typography } from 'antd';
import Link from 'next/link';
import { useState } from 'react';
import { OutageCard } from '@/components/outages/OutageBits';
import { useAreas } from '@/components/outages/useAreas';
import { PortalShell } from '@/components/PortalShell';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const T = t.outages;

function ByNumber() {
  const trpc = useTRPC();
  const [number, setNumber] = useState<string | null>(null);
  const q = useQuery({ ...trpc.outage.byAccountNumber.queryOptions({ number: number ?? '' }), enabled: !!number, retry: false });
  return (
    <Card title={T.byNumber} style={{ marginBottom: 16 }} data-testid="by-number">
      <Form
        layout="inline"
        onFinish={(v: { number: string }) => (v.number.trim() === number ? void q.refetch() : setNumber(v.number.trim()))}
        style={{ rowGap: 8 }}
      >
        <Form.Item
          name="number"
          rules={[
            { required: true, message: T.numberInvalid },
            { pattern: /^\d{13}$/, message: T.numberInvalid },
          ]}
        >
          <Input placeholder={T.numberPlaceholder} maxLength={13} inputMode="numeric" style={{ width: 220 }} data-testid="lookup-number" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={q.isFetching} data-testid="lookup-submit">
            {T.lookup}
          </Button>
        </Form.Item>
      </Form>
      {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} style={{ marginTop: 12 }} data-testid="lookup-error" />}
      {q.data && !q.isError && (
        <div style={{ marginTop: 12 }} data-testid="lookup-result">
          <p>{T.numberResult(q.data.transformerAreaName)}</p>
          {q.data.outages.length === 0 ? (
            <Alert type="success" showIcon title={T.noOutage} data-testid="no-outage" />
          ) : (
            q.data.outages.map((o) => <OutageCard key={o.id} outage={o} href={`/outages/${o.id}`} />)
          )}
        </div>
      )}
    </Card>
  );
}

function ByArea() {
  const trpc = useTRPC();
  const [regionId, setRegionId] = useState<string | null>(null);
  const [areaId, setAreaId] = useState<string | null>(null);
  const areas = useAreas(regionId ?? '__none__');
  const allRegions = useAreas(null).regions;
  const chosen = areas.nodes.find((n) => n.id === areaId);
  const filter = {
    ...(regionId ? { regionId } : {}),
    ...(chosen?.kind === 'feeder' ? { feederId: chosen.id } : {}),
    ...(chosen?.kind === 'transformer_area' ? { transformerAreaId: chosen.id } : {}),
    limit: 100,
  };
  const list = useQuery({ ...trpc.outage.list.queryOptions(filter), refetchInterval: 60_000 });

  return (
    <Card
      title={T.byArea}
      style={{ marginBottom: 16 }}
      data-testid="by-area"
      extra={
        list.data && (
          <span className="ps-muted" data-testid="public-total">
            {T.total(list.data.total)}
          </span>
        )
      }
    >
      <Row gutter={[8, 8]} style={{ marginBottom: 12 }}>
        <Col xs={24} md={8}>
          <div data-testid="filter-region">
            <Select
              allowClear
              style={{ width: '100%' }}
              placeholder={T.regionAll}
              value={regionId ?? undefined}
              onChange={(v) => {
                setRegionId(v ?? null);
                setAreaId(null);
              }}
              options={allRegions.map((r) => ({ value: r.id, label: r.name }))}
            />
          </div>
        </Col>
        <Col xs={24} md={16}>
          <div data-testid="filter-area">
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              disabled={!regionId}
              style={{ width: '100%' }}
              placeholder={`${T.feeders} / ${T.areas}`}
              value={areaId ?? undefined}
              onChange={(v) => setAreaId(v ?? null)}
              options={[
                { label: T.feeders, options: areas.nodes.filter((n) => n.kind === 'feeder').map((n) => ({ value: n.id, label: n.name })) },
                { label: T.areas, options: areas.nodes.filter((n) => n.kind === 'transformer_area').map((n) => ({ value: n.id, label: n.name })) },
              ]}
            />
          </div>
        </Col>
      </Row>
      {list.isPending && <Skeleton active />}
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      {list.data && list.data.items.length === 0 && <Empty description={T.publicEmpty} />}
      <div data-testid="public-outages">
        {list.data?.items.map((o) => (
          <OutageCard key={o.id} outage={o} areaNames={o.areaNames} href={`/outages/${o.id}`} />
        ))}
      </div>
    </Card>
  );
}

export default function PublicOutagesPage() {
  return (
    <PortalShell
      right={
        <Link href="/login" data-testid="public-login">
          <Button size="small" ghost icon={<LoginOutlined />}>
            {T.login}
          </Button>
        </Link>
      }
    >
      <div data-testid="public-outages-page">
        <Space direction="vertical" size={0} style={{ marginBottom: 12 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {T.publicTitle}
          </Typography.Title>
          <span className="ps-muted">{T.publicDesc}</span>
        </Space>
        <ByNumber />
        <ByArea />
      </div>
    </PortalShell>
  );
}
