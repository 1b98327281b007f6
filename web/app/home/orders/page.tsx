'use client';

import { RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, List, Segmented, Skeleton, Space } from 'antd';
import Link from 'next/link';
import { useState } from 'react';
import { CustomerPage } from '@/components/CustomerPage';
import { CustomerStatusTag, TypeTag } from '@/components/workorders/OrderBits';
import { formatShort } from '@/lib/customer';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

function Orders() {
  const trpc = useTRPC();
  const [state, setState] = useState<'all' | 'open' | 'closed'>('all');
  const orders = useQuery({ ...trpc.workorder.mine.queryOptions({ state, limit: 100 }), refetchInterval: 15_000 });

  return (
    <Card
      title={t.portal.ordersTitle}
      extra={
        <Segmented
          size="small"
          value={state}
          onChange={(v) => setState(v as typeof state)}
          options={[
            { value: 'all', label: t.portal.filterAll },
            { value: 'open', label: t.portal.filterOpen },
            { value: 'closed', label: t.portal.filterClosed },
          ]}
          data-testid="orders-filter"
        />
      }
    >
      {orders.isPending && <Skeleton active />}
      {orders.isError && <Alert type="error" showIcon title={errorMessage(orders.error)} />}
      {orders.data && orders.data.length === 0 && <Empty description={t.portal.ordersEmpty} />}
      {orders.data && orders.data.length > 0 && (
        <List
          data-testid="my-orders"
          dataSource={orders.data}
          renderItem={(o) => (
            <List.Item key={o.id} data-testid={`my-order-${o.orderNo}`} data-order-id={o.id}>
              <Link
                href={`/home/orders/${o.id}`}
                style={{ display: 'block', width: '100%', color: 'inherit' }}
                data-testid={`open-order-${o.orderNo}`}
              >
                <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                  <Space size={4} wrap>
                    <TypeTag type={o.type} />
                    <CustomerStatusTag status={o.status} label={o.statusLabel} />
                    <span className="ps-muted" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                      {o.orderNo}
                    </span>
                  </Space>
                  <RightOutlined className="ps-muted" />
                </div>
                <div style={{ margin: '6px 0', wordBreak: 'break-all' }}>
                  {o.faultKindLabel ?? o.category ?? ''} {o.descriptionPreview}
                </div>
                <Space size={12} wrap style={{ fontSize: 12 }}>
                  <span className="ps-muted">{formatDateTime(o.createdAt)}</span>
                  {o.progress?.crew && <span>{o.progress.crew.name}</span>}
                  {o.progress?.expected && (
                    <span style={{ color: o.progress.expected.late ? '#d46b08' : '#00706b' }}>
                      {o.progress.expected.label} {formatShort(o.progress.expected.at)}
                    </span>
                  )}
                </Space>
              </Link>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

export default function MyOrdersPage() {
  return <CustomerPage>{() => <Orders />}</CustomerPage>;
}
