'use client';

import {
  CheckCircleOutlined,
  EnvironmentOutlined,
  FileDoneOutlined,
  PauseCircleOutlined,
  PhoneOutlined,
  PlayCircleOutlined,
  RollbackOutlined,
  ThunderboltOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Form, Input, Skeleton, Space, Switch, Typography } from 'antd';
import { useSearchParams } from 'next/navigation';
import { Suspense, useState } from 'react';
import { CountdownCell, LiveBadge, PriorityTag, StatusTag } from '@/components/workorders/OrderBits';
import { PhotoPicker } from '@/components/workorders/PhotoPicker';
import { CloseReasonModal, PauseModal, StaffOrderDrawer } from '@/components/workorders/StaffOrderDrawer';
import css from './crew.module.css';
import { useLiveOrders } from '@/components/workorders/useLiveOrders';
import { useStep } from '@/components/workorders/useStep';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { FormModal } from '@/components/FormModal';
import { StaffNotices } from '@/components/warnings/StaffNotices';
import { useNow, type OrderSummary } from '@/lib/workorders';

function ResolveModal({ order, onClose }: { order: OrderSummary | null; onClose: () => void }) {
  const trpc = useTRPC();
  const resolve = useMutation(trpc.workorder.resolve.mutationOptions());
  const { run, busy } = useStep();
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const submit = async (v: { notes: string }) => {
    const r = await run(
      'resolve',
      () => resolve.mutateAsync({ orderId: order!.id, version: order!.version, notes: v.notes.trim(), attachments: photos }),
      t.crew.resolved,
    );
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
      onSubmit={async (v) =>
        !!(await run('return', () => ret.mutateAsync({ orderId: order!.id, version: order!.version, reason: v.reason.trim() }), t.crew.returned))
      }
      onClose={onClose}
    >
      <Alert type="info" showIcon title={t.crew.noRefuse} style={{ marginBottom: 12 }} />
      <Form.Item name="reason" label={t.crew.returnReason} rules={[{ required: true, whitespace: true, message: t.crew.returnReasonRequired }]}>
        <Input.TextArea rows={3} maxLength={500} placeholder={t.crew.returnReasonPlaceholder} data-testid="crew-return-reason" />
      </Form.Item>
    </FormModal>
  );
}

type CrewOrder = OrderSummary & { fieldContact: { name: string | null; phone: string | null; address: string | null } | null };

function OrderCard({
  o,
  now,
  onResolve,
  onReturn,
  onOpen,
  onPause,
  onCloseReason,
}: {
  o: CrewOrder;
  now: number;
  onResolve: () => void;
  onReturn: () => void;
  onOpen: () => void;
  onPause: () => void;
  onCloseReason: () => void;
}) {
  const trpc = useTRPC();
  const accept = useMutation(trpc.workorder.accept.mutationOptions());
  const arrive = useMutation(trpc.workorder.arrive.mutationOptions());
  const resume = useMutation(trpc.workorder.resume.mutationOptions());
  const { run, busy } = useStep();
  const v = { orderId: o.id, version: o.version };
  const fieldOpen = ['dispatched', 'accepted', 'arrived'].includes(o.status);
  const c = o.fieldContact;

  return (
    <Card size="small" className={css.card} data-testid={`crew-order-${o.orderNo}`} data-status={o.status}>
      <div className={css.top}>
        <Space size={4} wrap>
          <PriorityTag level={o.priority.level} />
          <StatusTag status={o.status} />
          <span className={css.kind}>{o.faultKindLabel ?? o.typeLabel}</span>
        </Space>
        <Button type="link" size="small" onClick={onOpen} className={css.orderNo} data-testid={`crew-open-${o.orderNo}`}>
          {o.orderNo}
        </Button>
      </div>
      {o.countdown && (
        <div className={css.countdown}>
          <CountdownCell order={o} now={now} testId={`crew-countdown-${o.orderNo}`} />
        </div>
      )}
      <div className={css.where}>
        <div className={css.address}>
          <EnvironmentOutlined /> {c?.address ?? (fieldOpen ? t.desk.crewAddressUnknown : (o.transformerAreaName ?? '—'))}
        </div>
        <div className={css.sub}>
          {o.transformerAreaName ?? ''}
          {o.accountNumber ? ` · ${t.wo.account} ${o.accountNumber}` : ''}
        </div>
        <div className={css.sub}>
          <UserOutlined /> {c?.name ?? o.contactNameMasked} {c?.phone ?? o.contactPhoneMasked ?? ''}
        </div>
      </div>
      <div className={css.desc}>{o.descriptionPreview}</div>
      <div className={css.sub} style={{ marginTop: 4 }}>
        {t.wo.createdAt} {formatDateTime(o.createdAt)}
      </div>
      {c?.phone && (
        <div className={css.call}>
          <Button block type="default" icon={<PhoneOutlined />} href={`tel:${c.phone}`} data-testid={`crew-call-${o.orderNo}`}>
            {t.desk.crewCall} {c.phone}
          </Button>
          <div className={css.sub} style={{ marginTop: 4 }}>
            {t.desk.crewContactAudited}
          </div>
        </div>
      )}
      {o.paused && fieldOpen && <Alert className={css.paused} type="warning" showIcon title={t.wo.paused} />}
      {fieldOpen && (
        <div className={css.actions}>
          {o.paused ? (
            <Button
              type="primary"
              className={css.primary}
              icon={<PlayCircleOutlined />}
              loading={busy === 'resume'}
              onClick={() => run('resume', () => resume.mutateAsync(v), t.desk.resumed)}
            >
              {t.desk.resume}
            </Button>
          ) : (
            <>
              {o.status === 'dispatched' && (
                <Button
                  type="primary"
                  className={css.primary}
                  icon={<ThunderboltOutlined />}
                  loading={busy === 'accept'}
                  onClick={() => run('accept', () => accept.mutateAsync(v), t.crew.accepted)}
                  data-testid={`crew-accept-${o.orderNo}`}
                >
                  {t.crew.accept}
                </Button>
              )}
              {o.status === 'accepted' && (
                <Button
                  type="primary"
                  className={css.primary}
                  icon={<EnvironmentOutlined />}
                  loading={busy === 'arrive'}
                  onClick={() => run('arrive', () => arrive.mutateAsync({ ...v, notes: null }), t.crew.arrived)}
                  data-testid={`crew-arrive-${o.orderNo}`}
                >
                  {t.crew.arrive}
                </Button>
              )}
              {o.status === 'arrived' && (
                <Button
                  type="primary"
                  className={css.primary}
                  icon={<CheckCircleOutlined />}
                  onClick={onResolve}
                  data-testid={`crew-resolve-${o.orderNo}`}
                >
                  {t.crew.resolve}
                </Button>
              )}
              <Button icon={<PauseCircleOutlined />} onClick={onPause}>
                {t.desk.pause}
              </Button>
              <Button icon={<FileDoneOutlined />} onClick={onCloseReason}>
                {t.desk.closeWithReason}
              </Button>
            </>
          )}
          <Button icon={<RollbackOutlined />} onClick={onReturn} data-testid={`crew-return-${o.orderNo}`}>
            {t.crew.returnBack}
          </Button>
          <Button onClick={onOpen}>{t.desk.crewDetail}</Button>
        </div>
      )}
    </Card>
  );
}

function CrewOrders() {
  const trpc = useTRPC();
  const [includeDone, setIncludeDone] = useState(false);
  const orders = useQuery(trpc.workorder.crewOrders.queryOptions({ includeDone }));
  const live = useLiveOrders();
  const now = useNow(1000);
  const [resolving, setResolving] = useState<OrderSummary | null>(null);
  const [returning, setReturning] = useState<OrderSummary | null>(null);
  const [pausing, setPausing] = useState<OrderSummary | null>(null);
  const [closing, setClosing] = useState<OrderSummary | null>(null);
  // /staff/crew?order=<id>: a link from a message or another screen opens that order (if it is ours to see).
  const [openId, setOpenId] = useState<string | null>(useSearchParams().get('order'));

  return (
    <div className={css.page}>
      <StaffNotices />
      <div className={css.head}>
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t.crew.title}
          </Typography.Title>
          <LiveBadge status={live.status} />
        </Space>
        <Space size={4}>
          <Switch size="small" checked={includeDone} onChange={setIncludeDone} data-testid="crew-show-done" aria-label={t.crew.showDone} />
          <span>{t.crew.showDone}</span>
        </Space>
      </div>
      {orders.isPending && (
        <Card>
          <Skeleton active />
        </Card>
      )}
      {orders.isError && <Alert type="error" showIcon title={errorMessage(orders.error)} />}
      {orders.data && orders.data.length === 0 && (
        <Card>
          <Empty description={t.crew.empty} />
        </Card>
      )}
      <div data-testid="crew-orders">
        {(orders.data as CrewOrder[] | undefined)?.map((o) => (
          <OrderCard
            key={o.id}
            o={o}
            now={now}
            onResolve={() => setResolving(o)}
            onReturn={() => setReturning(o)}
            onOpen={() => setOpenId(o.id)}
            onPause={() => setPausing(o)}
            onCloseReason={() => setClosing(o)}
          />
        ))}
      </div>
      <ResolveModal order={resolving} onClose={() => setResolving(null)} />
      <ReturnModal order={returning} onClose={() => setReturning(null)} />
      <PauseModal order={pausing} onClose={() => setPausing(null)} />
      <CloseReasonModal order={closing} onClose={() => setClosing(null)} />
      <StaffOrderDrawer orderId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}

export default function CrewPage() {
  return (
    <Suspense>
      <CrewOrders />
    </Suspense>
  );
}
