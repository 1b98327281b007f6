'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Rate, Result, Skeleton, Space, Typography } from 'antd';
import { useParams } from 'next/navigation';
import { useState } from 'react';
import { CustomerPage } from '@/components/CustomerPage';
import { OutageCard } from '@/components/outages/OutageBits';
import { CustomerStatusTag, OrderTimeline, ProgressCard, TypeTag } from '@/components/workorders/OrderBits';
import { errorCode, errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import type { OrderDetail } from '@/lib/workorders';

function RateCard({ order, onRated }: { order: OrderDetail; onRated: (stars: number) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rate = useMutation(trpc.workorder.rate.mutationOptions());
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    setError(null);
    if (!stars) {
      setError(t.portal.rateRequired);
      return;
    }
    try {
      await rate.mutateAsync({ orderId: order.id, version: order.version, stars, comment: comment.trim() || null });
      onRated(stars);
    } catch (err) {
      setError(errorCode(err) === 'CONFLICT' ? t.wo.conflict : errorMessage(err));
    } finally {
      await queryClient.invalidateQueries({ queryKey: trpc.workorder.pathKey() });
    }
  };

  return (
    <Card title={t.portal.rateTitle} style={{ marginBottom: 16 }} data-testid="rate-card">
      <p className="ps-muted" style={{ marginTop: 0 }}>
        {t.portal.rateDesc}
      </p>
      <div data-testid="rate-stars" data-value={stars}>
        <Rate value={stars} onChange={setStars} style={{ fontSize: 30 }} />
      </div>
      <Input.TextArea
        rows={3}
        maxLength={500}
        showCount
        placeholder={t.portal.rateComment}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        style={{ marginTop: 12 }}
        data-testid="rate-comment"
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="rate-error" />}
      <Button type="primary" block style={{ marginTop: 12 }} onClick={submit} loading={rate.isPending} data-testid="rate-submit">
        {t.portal.rateSubmit}
      </Button>
    </Card>
  );
}

function Detail({ id }: { id: string }) {
  const trpc = useTRPC();
  // Customers have no live feed: a light poll keeps the progress current while the page is open.
  const order = useQuery({ ...trpc.workorder.get.queryOptions({ orderId: id }), refetchInterval: 5_000 });
  const [ratedStars, setRatedStars] = useState<number | null>(null);
  // A report merged into an outage follows the outage (its phase and ETR), a public read.
  const outageId = order.data?.incidentId && order.data.incidentId !== order.data.id ? order.data.incidentId : null;
  const outage = useQuery({ ...trpc.outage.get.queryOptions({ outageId: outageId ?? '' }), enabled: !!outageId, refetchInterval: 30_000 });

  if (order.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (order.isError) {
    if (errorCode(order.error) === 'NOT_FOUND') return <Result status="404" title={errorMessage(order.error)} />;
    return <Alert type="error" showIcon title={errorMessage(order.error)} />;
  }
  const o = order.data;
  const canRate = o.actions.includes('visit');
  const reopened = ratedStars != null ? ratedStars <= 2 : false;

  return (
    <div data-testid="order-detail" data-order-id={o.id} data-status={o.status}>
      <Card style={{ marginBottom: 16 }}>
        <Space size={6} wrap style={{ marginBottom: 8 }}>
          <TypeTag type={o.type} />
          <CustomerStatusTag status={o.status} label={o.statusLabel} />
          {o.reopenCount > 0 && <span className="ps-muted">{t.wo.reopened(o.reopenCount)}</span>}
        </Space>
        <Typography.Title level={5} style={{ margin: '4px 0' }} data-testid="order-no">
          {t.wo.orderNo} {o.orderNo}
        </Typography.Title>
        {o.progress && (
          <div style={{ margin: '12px 0 4px', padding: 12, background: '#f4faf9', borderRadius: 8 }}>
            <ProgressCard progress={o.progress} />
          </div>
        )}
        <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
          {o.faultKindLabel && <Descriptions.Item label={t.portal.faultKind}>{o.faultKindLabel}</Descriptions.Item>}
          {o.category && <Descriptions.Item label={t.portal.category}>{o.category}</Descriptions.Item>}
          {o.accountNumber && <Descriptions.Item label={t.wo.account}>{o.accountNumber}</Descriptions.Item>}
          <Descriptions.Item label={t.wo.description}>
            <span style={{ whiteSpace: 'pre-wrap' }} data-testid="order-description">
              {o.description}
            </span>
          </Descriptions.Item>
          {o.photos.length > 0 && <Descriptions.Item label={t.wo.photos}>{t.wo.photoCount(o.photos.length)}</Descriptions.Item>}
          {o.contactPhoneMasked && <Descriptions.Item label={t.wo.contactPhone}>{o.contactPhoneMasked}</Descriptions.Item>}
          <Descriptions.Item label={t.wo.createdAt}>{formatDateTime(o.createdAt)}</Descriptions.Item>
          {o.resolution && <Descriptions.Item label={t.wo.resolution}>{o.resolution}</Descriptions.Item>}
        </Descriptions>
      </Card>

      {outage.data && (
        <div style={{ marginBottom: 16 }}>
          <Typography.Text strong style={{ display: 'block', marginBottom: 8 }}>
            {t.customer.linkedOutage}
          </Typography.Text>
          <OutageCard outage={outage.data} href={`/outages/${outage.data.id}`} />
        </div>
      )}
      {reopened && <Alert type="warning" showIcon title={t.portal.reopenedNotice} style={{ marginBottom: 16 }} data-testid="reopened-notice" />}
      {ratedStars != null && !reopened && (
        <Alert
          type="success"
          showIcon
          title={o.status === 'closed' ? t.portal.closedNotice : `${t.portal.rated}。${o.status === 'visited' ? t.portal.awaitingClose : ''}`}
          style={{ marginBottom: 16 }}
          data-testid="rated-notice"
        />
      )}
      {canRate && ratedStars == null && <RateCard order={o} onRated={setRatedStars} />}
      {o.rating && (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="my-rating">
          <Space>
            <span>{t.portal.yourRating}</span>
            <Rate disabled value={o.rating.stars} />
            {o.rating.comment && <span>{o.rating.comment}</span>}
          </Space>
        </Card>
      )}

      <Card title={t.wo.timeline}>
        <OrderTimeline orderId={o.id} items={o.timeline} />
      </Card>
    </div>
  );
}

export default function OrderDetailPage() {
  const params = useParams<{ id: string }>();
  return (
    <CustomerPage back="/home/orders" backLabel={t.portal.ordersTitle}>
      {() => <Detail id={params.id} />}
    </CustomerPage>
  );
}
