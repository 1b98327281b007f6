'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, Skeleton, Space, Switch, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { OutageCard } from '@/components/outages/OutageBits';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const S = t.entService;

/** /home/outages for enterprise users: one list over every site in their scope, and a subscription switch per site. */
export function EnterpriseOutages() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const view = useQuery({ ...trpc.outage.enterpriseView.queryOptions(), refetchInterval: 30_000 });
  const set = useMutation(trpc.outage.setSiteSubscriptions.mutationOptions());
  const [q, setQ] = useState('');

  const change = async (input: { accountIds: string[]; on: boolean } | { all: true; on: boolean }) => {
    try {
      await set.mutateAsync(input);
      message.success(S.outSaved);
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      await qc.invalidateQueries({ queryKey: trpc.outage.pathKey() });
    }
  };

  const sites = view.data?.sites;
  const shown = useMemo(() => {
    const needle = q.trim();
    return (sites ?? []).filter((s) => !needle || s.number.includes(needle) || s.transformerAreaName.includes(needle));
  }, [sites, q]);

  if (view.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (view.isError) return <Alert type="error" showIcon title={errorMessage(view.error)} />;
  const d = view.data;

  return (
    <div data-testid="enterprise-outages">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {S.outTitle}
      </Typography.Title>
      <p className="ps-muted">{S.outDesc}</p>
      <Card title={S.outListTitle(d.outages.length)} style={{ marginBottom: 16 }}>
        {d.outages.length === 0 ? (
          <Alert type="success" showIcon title={S.outNone} />
        ) : (
          d.outages.map((o) => (
            <div key={o.id}>
              <OutageCard outage={o} href={`/outages/${o.id}`} extra={<Tag color="orange">{S.outSites(o.siteCount)}</Tag>} />
              <div style={{ margin: '-4px 0 12px 4px' }} className="ps-muted">
                {o.sites.slice(0, 10).map((s) => (
                  <Tag key={s.accountId} style={{ marginBottom: 4 }}>
                    {s.number} · {s.transformerAreaName}
                  </Tag>
                ))}
                {o.siteCount > 10 && <span>{S.outMoreSites(o.siteCount)}</span>}
              </div>
            </div>
          ))
        )}
      </Card>
      <Card
        title={S.outSitesTitle}
        extra={
          <Space wrap>
            <span className="ps-muted">{S.outSubscribedCount(d.subscribedCount, d.sites.length)}</span>
            <Button size="small" type="primary" loading={set.isPending} onClick={() => void change({ all: true, on: true })}>
              {S.outSubscribeAll}
            </Button>
            <Button size="small" loading={set.isPending} onClick={() => void change({ all: true, on: false })}>
              {S.outUnsubscribeAll}
            </Button>
          </Space>
        }
      >
        <Input.Search
          allowClear
          placeholder={S.outSearch}
          aria-label={S.outSearch}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ maxWidth: 320, marginBottom: 12 }}
        />
        <Table
          rowKey="accountId"
          size="small"
          dataSource={shown}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          columns={[
            { title: S.outColNumber, dataIndex: 'number', render: (n: string) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{n}</span> },
            { title: S.outColArea, dataIndex: 'transformerAreaName' },
            { title: S.outColAddress, dataIndex: 'addressMasked', responsive: ['md'] },
            {
              title: S.outColOutages,
              dataIndex: 'outageCount',
              render: (n: number) => (n > 0 ? <Tag color="orange">{S.outAffected(n)}</Tag> : <Tag color="green">{S.outNormal}</Tag>),
            },
            {
              title: S.outColSubscribe,
              render: (_: unknown, s: (typeof shown)[number]) => (
                <Switch
                  checked={s.subscribed}
                  aria-label={S.outSwitchLabel(s.number)}
                  loading={
                    set.isPending &&
                    'accountIds' in (set.variables ?? {}) &&
                    (set.variables as { accountIds: string[] }).accountIds.includes(s.accountId)
                  }
                  onChange={(on) => void change({ accountIds: [s.accountId], on })}
                />
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
