'use client';

import { SoundOutlined, MutedOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { CountdownCell, LiveBadge, PriorityTag, StatusTag, TypeTag } from '@/components/workorders/OrderBits';
import { AssignModal, StaffOrderDrawer } from '@/components/workorders/StaffOrderDrawer';
import { useLiveOrders, type LiveEvent } from '@/components/workorders/useLiveOrders';
import { useStep } from '@/components/workorders/useStep';
import { beep, readMuted, unlockAudio, writeMuted } from '@/lib/beep';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useMe } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { OPEN_STATUSES, ORDER_TYPES, PRIORITIES, countdownState, useNow, type OrderSummary } from '@/lib/workorders';

type Filters = {
  types: string[];
  priority: string[];
  regionId?: string;
  statuses: string[];
  overdue: boolean;
  mine: boolean;
};

const DESK = ['agent', 'expert', 'supervisor'];

/** Region names: from the crews list where the role may read it, else from the transformer-area names seen. */
function useRegionOptions(items: OrderSummary[] | undefined, canReadCrews: boolean) {
  const trpc = useTRPC();
  const crews = useQuery({ ...trpc.workorder.crews.queryOptions(), enabled: canReadCrews, staleTime: 5 * 60_000 });
  const [seen, setSeen] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!items) return;
    setSeen((prev) => {
      let changed = false;
      const next = { ...prev };
      for (const o of items) {
        if (o.regionId && !next[o.regionId] && o.transformerAreaName) {
          next[o.regionId] = `${o.transformerAreaName.slice(0, 2)}片区`;
          changed = true;
        }
      }
      return changed ? next : prev;
    });
  }, [items]);
  return useMemo(() => {
    const names: Record<string, string> = { ...seen };
    for (const c of crews.data ?? []) names[c.regionId] = c.name.replace(/抢修\d+班$/, '');
    return Object.entries(names)
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
  }, [crews.data, seen]);
}

export function QueueView({ mineOnly = false, title = t.queue.title }: { mineOnly?: boolean; title?: string }) {
  const trpc = useTRPC();
  const me = useMe();
  const { message } = App.useApp();
  const roles = me.data?.roles ?? [];
  const canClaim = roles.some((r) => DESK.includes(r));
  const canAssign = roles.some((r) => r === 'supervisor' || r === 'admin');
  const [filters, setFilters] = useState<Filters>({ types: [], priority: [], statuses: [], overdue: false, mine: mineOnly });
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [selected, setSelected] = useState<string[]>([]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [assignTarget, setAssignTarget] = useState<OrderSummary | null>(null);
  const [muted, setMuted] = useState(false);
  const [beeps, setBeeps] = useState(0);
  const [fresh, setFresh] = useState<Record<string, number>>({});
  const now = useNow(1000);
  const claim = useMutation(trpc.workorder.claim.mutationOptions());
  const { run, busy } = useStep();

  useEffect(() => setMuted(readMuted()), []);

  const input = {
    types: filters.types.length ? (filters.types as (typeof ORDER_TYPES)[number][]) : undefined,
    priority: filters.priority.length ? (filters.priority as (typeof PRIORITIES)[number][]) : undefined,
    regionId: filters.regionId,
    statuses: filters.statuses.length ? (filters.statuses as (typeof OPEN_STATUSES)[number][]) : undefined,
    overdue: filters.overdue || undefined,
    mine: filters.mine || undefined,
    limit: page.pageSize,
    offset: (page.current - 1) * page.pageSize,
  };
  const queue = useQuery({ ...trpc.workorder.queue.queryOptions(input), placeholderData: (prev) => prev });
  const regions = useRegionOptions(
    queue.data?.items,
    roles.some((r) => ['dispatcher', 'supervisor', 'admin'].includes(r)),
  );

  const onEvent = useCallback(
    (e: LiveEvent) => {
      if (e.type !== 'workorder.created') return;
      if (e.orderId) setFresh((f) => ({ ...f, [e.orderId!]: Date.now() }));
      if (!readMuted()) {
        beep();
        setBeeps((n) => n + 1);
      }
      const no = typeof e.payload.orderNo === 'string' ? e.payload.orderNo : '';
      message.info({ content: t.queue.newOrder(no), key: `new-${e.orderId}` });
    },
    [message],
  );
  const live = useLiveOrders(onEvent);

  const toggleMute = () => {
    unlockAudio();
    const m = !muted;
    writeMuted(m);
    setMuted(m);
  };

  const bulkClaim = async () => {
    const items = (queue.data?.items ?? []).filter((o) => selected.includes(o.id));
    let ok = 0;
    let fail = 0;
    for (const o of items) {
      try {
        await claim.mutateAsync({ orderId: o.id, version: o.version });
        ok++;
      } catch {
        fail++;
      }
    }
    setSelected([]);
    (fail ? message.warning : message.success)(t.queue.bulkResult(ok, fail));
    await queue.refetch();
  };

  // Fits 1280 px with the menu open: no horizontal scroll; the summary takes what is left.
  const columns: ColumnsType<OrderSummary> = [
    {
      title: t.wo.orderNo,
      key: 'no',
      width: 150,
      render: (_, o) => (
        <div>
          <Space size={4}>
            <span style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="row-order-no">
              {o.orderNo}
            </span>
            {fresh[o.id] && now - fresh[o.id] < 60_000 && (
              <Tag color="magenta" style={{ marginInlineEnd: 0 }}>
                {t.desk.newTag}
              </Tag>
            )}
          </Space>
          <div className="ps-muted" style={{ fontSize: 12 }}>
            {formatDateTime(o.createdAt)}
          </div>
        </div>
      ),
    },
    {
      title: `${t.wo.typeLabel} / ${t.wo.statusLabel}`,
      key: 'type',
      width: 130,
      render: (_, o) => (
        <Space size={[2, 4]} wrap>
          <TypeTag type={o.type} />
          <PriorityTag level={o.priority.level} />
          <StatusTag status={o.status} />
        </Space>
      ),
    },
    {
      title: t.queue.description,
      key: 'desc',
      ellipsis: true,
      render: (_, o) => (
        <Tooltip title={o.descriptionPreview}>
          <div style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
            {o.faultKindLabel ?? o.category ?? ''} {o.descriptionPreview}
          </div>
          <div className="ps-muted" style={{ fontSize: 12, overflow: 'hidden', textOverflow: 'ellipsis' }}>
            {o.transformerAreaName ?? ''}
          </div>
        </Tooltip>
      ),
    },
    {
      title: t.wo.countdown,
      key: 'countdown',
      width: 170,
      render: (_, o) => <CountdownCell order={o} now={now} testId={`countdown-${o.orderNo}`} />,
    },
    {
      title: t.wo.agentAssigned,
      key: 'agent',
      width: 96,
      render: (_, o) =>
        o.type === 'fault_repair' ? (
          (o.assignee.department ?? '—')
        ) : o.assignee.agentId ? (
          o.assignee.agentId === me.data?.id ? (
            <Tag color="green">{t.wo.claimedByMe}</Tag>
          ) : (
            t.wo.claimedByOther
          )
        ) : (
          <span className="ps-muted">{t.wo.unclaimed}</span>
        ),
    },
    {
      title: t.queue.actions,
      key: 'actions',
      width: 150,
      render: (_, o) => (
        <Space size={4} wrap onClick={(e) => e.stopPropagation()}>
          {canClaim && o.status === 'received' && (
            <Button
              size="small"
              type="primary"
              loading={busy === `claim-${o.id}`}
              onClick={() => run(`claim-${o.id}`, () => claim.mutateAsync({ orderId: o.id, version: o.version }), t.queue.claimed)}
              data-testid={`claim-${o.orderNo}`}
            >
              {t.queue.claim}
            </Button>
          )}
          {canAssign && ['received', 'accepted', 'replied', 'processing'].includes(o.status) && (
            <Button size="small" onClick={() => setAssignTarget(o)} data-testid={`assign-${o.orderNo}`}>
              {t.queue.assign}
            </Button>
          )}
          <Button size="small" type="link" onClick={() => setOpenId(o.id)} data-testid={`open-${o.orderNo}`}>
            {t.wo.detail}
          </Button>
        </Space>
      ),
    },
  ];

  const set = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage((p) => ({ ...p, current: 1 }));
  };

  // Browsers let a page play sound only after a user gesture: the first click anywhere unlocks the beep.
  useEffect(() => {
    document.addEventListener('pointerdown', unlockAudio, { once: true });
    return () => document.removeEventListener('pointerdown', unlockAudio);
  }, []);

  return (
    <div>
      <Card style={{ marginBottom: 16 }} styles={{ body: { paddingBottom: 8 } }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
          <Space size={12}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {title}
            </Typography.Title>
            <LiveBadge status={live.status} />
            {queue.data && (
              <span className="ps-muted" data-testid="queue-total">
                {t.queue.total(queue.data.total)}
              </span>
            )}
          </Space>
          <Space>
            <Button
              icon={muted ? <MutedOutlined /> : <SoundOutlined />}
              onClick={toggleMute}
              data-testid="mute-toggle"
              data-muted={muted ? 'true' : 'false'}
              data-beeps={beeps}
            >
              {muted ? t.queue.mute : t.queue.unmute}
            </Button>
            {canClaim && (
              <Button type="primary" disabled={!selected.length} onClick={bulkClaim} loading={claim.isPending && !busy} data-testid="bulk-claim">
                {t.queue.bulkClaim(selected.length)}
              </Button>
            )}
          </Space>
        </div>
        <Space wrap size={[8, 8]} data-testid="queue-filters">
          <Select
            mode="multiple"
            allowClear
            placeholder={t.queue.filterType}
            style={{ minWidth: 160 }}
            value={filters.types}
            onChange={(v) => set({ types: v })}
            options={ORDER_TYPES.map((x) => ({ value: x, label: t.wo.type[x] }))}
            data-testid="filter-type"
            aria-label={t.queue.filterType}
            maxTagCount="responsive"
          />
          <Select
            mode="multiple"
            allowClear
            placeholder={t.queue.filterPriority}
            style={{ minWidth: 140 }}
            value={filters.priority}
            onChange={(v) => set({ priority: v })}
            options={PRIORITIES.map((x) => ({ value: x, label: t.wo.priority[x] }))}
            data-testid="filter-priority"
            aria-label={t.queue.filterPriority}
            maxTagCount="responsive"
          />
          <Select
            allowClear
            placeholder={t.queue.filterRegion}
            style={{ minWidth: 140 }}
            value={filters.regionId}
            onChange={(v) => set({ regionId: v })}
            options={regions}
            data-testid="filter-region"
            aria-label={t.queue.filterRegion}
          />
          <Select
            mode="multiple"
            allowClear
            placeholder={t.queue.filterStatus}
            style={{ minWidth: 160 }}
            value={filters.statuses}
            onChange={(v) => set({ statuses: v })}
            options={[...OPEN_STATUSES, 'resolved', 'visited'].map((x) => ({ value: x, label: t.wo.status[x] }))}
            data-testid="filter-status"
            aria-label={t.queue.filterStatus}
            maxTagCount="responsive"
          />
          <Space size={4}>
            <Switch size="small" checked={filters.overdue} onChange={(v) => set({ overdue: v })} data-testid="filter-overdue" />
            <span>{t.queue.filterOverdue}</span>
          </Space>
          {canClaim && (
            <Space size={4}>
              <Switch size="small" checked={filters.mine} onChange={(v) => set({ mine: v })} data-testid="filter-mine" />
              <span>{t.queue.filterMine}</span>
            </Space>
          )}
          <Tooltip title={t.wo.refresh}>
            <Button size="small" icon={<ReloadOutlined />} onClick={() => queue.refetch()} loading={queue.isFetching} data-testid="queue-refresh" />
          </Tooltip>
        </Space>
      </Card>

      {queue.isError && <Alert type="error" showIcon title={errorMessage(queue.error)} style={{ marginBottom: 16 }} />}
      <Table<OrderSummary>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={queue.data?.items ?? []}
        loading={queue.isPending}
        tableLayout="fixed"
        data-testid="queue-table"
        rowSelection={
          canClaim
            ? {
                selectedRowKeys: selected,
                onChange: (k) => setSelected(k as string[]),
                getCheckboxProps: (o) => ({ disabled: o.status !== 'received', 'data-testid': `select-${o.orderNo}` }) as never,
              }
            : undefined
        }
        rowClassName={(o) => {
          const s = countdownState(o, now);
          return `ps-order-row ${s.level === 'overdue' ? 'ps-row-overdue' : s.level === 'warn' ? 'ps-row-warn' : ''}`;
        }}
        onRow={(o) =>
          ({
            onClick: () => setOpenId(o.id),
            'data-testid': `queue-row-${o.orderNo}`,
            'data-order-id': o.id,
            'data-type': o.type,
            'data-account': o.accountNumber ?? '',
          }) as HTMLAttributes<HTMLElement>
        }
        pagination={{
          current: page.current,
          pageSize: page.pageSize,
          total: queue.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
      />
      <StaffOrderDrawer orderId={openId} onClose={() => setOpenId(null)} />
      {assignTarget && <AssignModal order={assignTarget} open onClose={() => setAssignTarget(null)} />}
    </div>
  );
}
