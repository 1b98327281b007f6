'use client';

import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState, type HTMLAttributes } from 'react';
import { CountdownCell, LiveBadge, StatusTag, TypeTag } from '@/components/workorders/OrderBits';
import { StaffOrderDrawer } from '@/components/workorders/StaffOrderDrawer';
import { useLiveOrders } from '@/components/workorders/useLiveOrders';
import { VisitModal } from '@/components/workorders/VisitModal';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { useNow, type OrderSummary } from '@/lib/workorders';

export default function VisitsPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.workorder.returnVisits.queryOptions({ limit: 200 }));
  const live = useLiveOrders();
  const now = useNow(1000);
  const [target, setTarget] = useState<OrderSummary | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);

  const columns: ColumnsType<OrderSummary> = [
    { title: t.wo.orderNo, dataIndex: 'orderNo', key: 'no', width: 170 },
    { title: t.wo.typeLabel, key: 'type', width: 100, render: (_, o) => <TypeTag type={o.type} /> },
    { title: t.wo.statusLabel, key: 'status', width: 90, render: (_, o) => <StatusTag status={o.status} /> },
    { title: t.queue.description, key: 'd', ellipsis: true, render: (_, o) => `${o.faultKindLabel ?? o.category ?? ''} ${o.descriptionPreview}` },
    { title: t.wo.contact, key: 'c', width: 150, render: (_, o) => `${o.contactNameMasked} ${o.contactPhoneMasked ?? ''}` },
    { title: t.wo.updatedAt, key: 'u', width: 170, render: (_, o) => formatDateTime(o.updatedAt) },
    { title: t.wo.countdown, key: 'cd', width: 190, render: (_, o) => <CountdownCell order={o} now={now} /> },
    {
      title: t.queue.actions,
      key: 'x',
      width: 100,
      fixed: 'right',
      render: (_, o) => (
        <Button
          size="small"
          type="primary"
          onClick={(e) => {
            e.stopPropagation();
            setTarget(o);
          }}
          data-testid={`visit-${o.orderNo}`}
        >
          {t.visits.record}
        </Button>
      ),
    },
  ];

  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t.visits.title} <LiveBadge status={live.status} />
      </Typography.Title>
      <p className="ps-muted">{t.visits.desc}</p>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} style={{ marginBottom: 16 }} />}
      <Card>
        <Table<OrderSummary>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data ?? []}
          loading={list.isPending}
          pagination={{ pageSize: 20 }}
          scroll={{ x: 1100 }}
          locale={{ emptyText: <Empty description={t.visits.empty} /> }}
          rowClassName={() => 'ps-order-row'}
          onRow={(o) => ({ onClick: () => setOpenId(o.id), 'data-testid': `visit-row-${o.orderNo}` }) as HTMLAttributes<HTMLElement>}
          data-testid="visits-table"
        />
      </Card>
      <VisitModal order={target} onClose={() => setTarget(null)} />
      <StaffOrderDrawer orderId={openId} onClose={() => setOpenId(null)} />
    </>
  );
}
