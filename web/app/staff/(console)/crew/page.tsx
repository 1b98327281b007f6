'use client';

import { CheckCircleOutlined, EnvironmentOutlined, PhoneOutlined, RollbackOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Form, Input, Skeleton, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { CountdownCell, LiveBadge, PriorityTag, StatusTag } from '@/components/workorders/OrderBits';
import { PhotoPicker } from '@/components/workorders/PhotoPicker';
import { StaffOrderDrawer } from '@/components/workorders/StaffOrderDrawer';
import { useLiveOrders } from '@/components/workorders/useLiveOrders';
import { useStep } from '@/components/workorders/useStep';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { FormModal } from '@/components/FormModal';
import { useNow, type OrderSummary } from '@/lib/workorders';

function ResolveModal({ order, onClose }: { order: OrderSummary | null; onClose: () => void }) {
  const trpc = useTRPC();
  const resolve = useMutation(trpc.workorder.resolve.mutationOptions());
  const { run, busy } = useStep();
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const submit = async (v: { notes: string }) => {
    const r = await run('resolve', () => resolve.mutateAsync({ orderId: order!.id, version: order!.version, notes: v.notes.trim(), attachments: photos }), t.crew.resolved);
    if (r) setPhotos([]);
    return !!r;
  };
  return (
    <FormModal<{ notes: string }>
      open={!!order}
      title={t.crew.resolveTitle}
      okTestId="crew-resolve-confirm"
      loading={busy === 'resolve'}
      okDisabled={uploading}
      onSubmit={submit}
      onClose={onClose}
    >
      <Form.Item name="notes" label={t.crew.resolveNotes} rules={[{ required: true, whitespace: true, message: t.crew.resolveNotesRequired }]}>
        <Input.TextArea rows={4} maxLength={2000} placeholder={t.crew.resolveNotesPlaceholder} data-testid="crew-resolve-notes" />
      </Form.Item>
      <Form.Item label={t.crew.resolvePhotos}>
        <PhotoPicker max={3} onChange={setPhotos} onBusy={setUploading} testIdPrefix="crew-photo" />
      </Form.Item>
    </FormModal>
  );
}

function ReturnModal({ order, onClose }: { order: OrderSummary | null; onClose: () => void }) {
  const trpc = useTRPC();
  const ret = useMutation(trpc.workorder.returnForRedispatch.mutationOptions());
  const { run, busy } = useStep();
  return (
    <FormModal<{ reason: string }>
      open={!!order}
      title={t.crew.returnTitle}
      okTestId="crew-return-confirm"
      loading={busy === 'return'}
      onSubmit={async (v) => !!(await run('return', () => ret.mutateAsync({ orderId: order!.id, version: order!.version, reason: v.reason.trim() }), t.crew.returned))}
      onClose={onClose}
    >
      <Alert type="info" showIcon title={t.crew.noRefuse} style={{ marginBottom: 12 }} />
      <Form.Item name="reason" label={t.crew.returnReason} rules={[{ required: true, whitespace: true, message: t.crew.returnReasonRequired }]}>
        <Input.TextArea rows={3} maxLength={500} placeholder={t.crew.returnReasonPlaceholder} data-testid="crew-return-reason" />
      </Form.Item>
    </FormModal>
  );
}

function OrderCard({
  o,
  now,
  onResolve,
  onReturn,
  onOpen,
}: {
  o: OrderSummary;
  now: number;
  onResolve: () => void;
  onReturn: () => void;
  onOpen: () => void;
}) {
  const trpc = useTRPC();
  const accept = useMutation(trpc.workorder.accept.mutationOptions());
  const arrive = useMutation(trpc.workorder.arrive.mutationOptions());
  const { run, busy } = useStep();
  const v = { orderId: o.id, version: o.version };
  const fieldOpen = ['dispatched', 'accepted', 'arrived'].includes(o.status);

  return (
    <Card size="small" className="ps-crew-card" data-testid={`crew-order-${o.orderNo}`} data-status={o.status}>
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, flexWrap: 'wrap' }}>
        <Space size={4} wrap>
          <PriorityTag level={o.priority.level} />
          <StatusTag status={o.status} />
          <strong>{o.faultKindLabel ?? o.typeLabel}</strong>
        </Space>
        <a onClick={onOpen} data-testid={`crew-open-${o.orderNo}`}>
          {o.orderNo}
        </a>
      </div>
      <div style={{ margin: '8px 0', wordBreak: 'break-all' }}>{o.descriptionPreview}</div>
      <div className="ps-muted" style={{ fontSize: 13 }}>
        <div>
          <EnvironmentOutlined /> {o.transformerAreaName ?? '—'} {o.accountNumber ? `· ${t.wo.account} ${o.accountNumber}` : ''}
        </div>
        <div>
          <PhoneOutlined /> {o.contactNameMasked} {o.contactPhoneMasked}
        </div>
        <div>{formatDateTime(o.createdAt)}</div>
      </div>
      {o.countdown && (
        <div style={{ marginTop: 6 }}>
          <CountdownCell order={o} now={now} testId={`crew-countdown-${o.orderNo}`} />
        </div>
      )}
      {fieldOpen && (
        <Space wrap className="ps-crew-actions" style={{ marginTop: 10, width: '100%' }}>
          {o.status === 'dispatched' && (
            <Button type="primary" icon={<ThunderboltOutlined />} loading={busy === 'accept'} onClick={() => run('accept', () => accept.mutateAsync(v), t.crew.accepted)} data-testid={`crew-accept-${o.orderNo}`}>
              {t.crew.accept}
            </Button>
          )}
          {o.status === 'accepted' && (
            <Button type="primary" icon={<EnvironmentOutlined />} loading={busy === 'arrive'} onClick={() => run('arrive', () => arrive.mutateAsync({ ...v, notes: null }), t.crew.arrived)} data-testid={`crew-arrive-${o.orderNo}`}>
              {t.crew.arrive}
            </Button>
          )}
          {o.status === 'arrived' && (
            <Button type="primary" icon={<CheckCircleOutlined />} onClick={onResolve} data-testid={`crew-resolve-${o.orderNo}`}>
              {t.crew.resolve}
            </Button>
          )}
          <Button icon={<RollbackOutlined />} onClick={onReturn} data-testid={`crew-return-${o.orderNo}`}>
            {t.crew.returnBack}
          </Button>
        </Space>
      )}
    </Card>
  );
}

export default function CrewPage() {
  const trpc = useTRPC();
  const [includeDone, setIncludeDone] = useState(false);
  const orders = useQuery(trpc.workorder.crewOrders.queryOptions({ includeDone }));
  const live = useLiveOrders();
  const now = useNow(1000);
  const [resolving, setResolving] = useState<OrderSummary | null>(null);
  const [returning, setReturning] = useState<OrderSummary | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);

  return (
    <div style={{ maxWidth: 720 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8, marginBottom: 12 }}>
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t.crew.title}
          </Typography.Title>
          <LiveBadge status={live.status} />
        </Space>
        <Space size={4}>
          <Switch size="small" checked={includeDone} onChange={setIncludeDone} data-testid="crew-show-done" />
          <span>{t.crew.showDone}</span>
        </Space>
      </div>
      {orders.isPending && <Card><Skeleton active /></Card>}
      {orders.isError && <Alert type="error" showIcon title={errorMessage(orders.error)} />}
      {orders.data && orders.data.length === 0 && (
        <Card>
          <Empty description={t.crew.empty} />
        </Card>
      )}
      <div data-testid="crew-orders">
        {orders.data?.map((o) => (
          <OrderCard key={o.id} o={o} now={now} onResolve={() => setResolving(o)} onReturn={() => setReturning(o)} onOpen={() => setOpenId(o.id)} />
        ))}
      </div>
      <ResolveModal order={resolving} onClose={() => setResolving(null)} />
      <ReturnModal order={returning} onClose={() => setReturning(null)} />
      <StaffOrderDrawer orderId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}
