'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Drawer, Form, Grid, Input, Modal, Radio, Rate, Select, Skeleton, Space, Tabs, Tag } from 'antd';
import Link from 'next/link';
import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useMe } from '@/lib/hooks';
import { DrawerSupervisionButton } from '@/components/warnings/ManualSupervision';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { FormModal } from '@/components/FormModal';
import { AgentAssist, useStyleGate } from '@/components/knowledge/AgentAssist';
import type { OrderDetail } from '@/lib/workorders';
import { LiveCountdown, OrderTimeline, PriorityTag, StatusTag, TypeTag } from './OrderBits';
import { useStep } from './useStep';
import { VisitModal } from './VisitModal';

function ReplyBox({ order }: { order: OrderDetail }) {
  const trpc = useTRPC();
  const reply = useMutation(trpc.workorder.reply.mutationOptions());
  const { run, busy } = useStep();
  const [tab, setTab] = useState<'customer' | 'internal'>('customer');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  // knowledge: seed 000's house style checked before a customer-visible reply (the agent may send anyway)
  const style = useStyleGate();
  const customerLast = [...order.timeline].reverse().find((e) => e.actorRole === 'customer' && e.note)?.note ?? order.description;

  const send = async () => {
    setError(null);
    if (!text.trim()) {
      setError(t.detail.textRequired);
      return;
    }
    if (tab === 'customer' && !(await style.check(text.trim(), customerLast))) return;
    const r = await run(
      'reply',
      () => reply.mutateAsync({ orderId: order.id, version: order.version, notes: text.trim(), visibility: tab }),
      tab === 'customer' ? t.detail.replySent : t.detail.noteSaved,
    );
    if (r) {
      setText('');
      style.reset();
    }
  };

  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="reply-box">
      <Tabs
        size="small"
        activeKey={tab}
        onChange={(k) => setTab(k as typeof tab)}
        items={[
          { key: 'customer', label: <span data-testid="tab-reply">{t.detail.reply}</span> },
          {
            key: 'internal',
            label: (
              <span data-testid="tab-note">
                {t.detail.note}
                <Tag color="purple" style={{ marginLeft: 6 }}>
                  {t.wo.internal}
                </Tag>
              </span>
            ),
          },
        ]}
      />
      <Input.TextArea
        rows={3}
        maxLength={2000}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={tab === 'customer' ? t.detail.replyPlaceholder : t.detail.notePlaceholder}
        data-testid="reply-text"
        style={tab === 'internal' ? { background: '#fbf7ff' } : undefined}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
      {tab === 'customer' && style.banner(text.trim(), send)}
      <div style={{ textAlign: 'right', marginTop: 8 }}>
        <Button type="primary" onClick={send} loading={busy === 'reply'} data-testid="reply-send">
          {tab === 'customer' ? t.detail.sendReply : t.detail.sendNote}
        </Button>
      </div>
      <AgentAssist onInsert={(s) => setText((prev) => (prev.trim() ? `${prev}${s}` : s))} />
    </Card>
  );
}

function TransferModal({ order, open, onClose }: { order: OrderDetail; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const transfer = useMutation(trpc.workorder.transfer.mutationOptions());
  const { run, busy } = useStep();
  return (
    <FormModal<{ department: string; notes: string }>
      open={open}
      title={t.detail.transferTitle}
      okTestId="transfer-confirm"
      loading={busy === 'transfer'}
      onSubmit={async (v) =>
        !!(await run(
          'transfer',
          () => transfer.mutateAsync({ orderId: order.id, version: order.version, department: v.department, notes: v.notes.trim() }),
          t.detail.transferred,
        ))
      }
      onClose={onClose}
    >
      <Form.Item name="department" label={t.detail.transferDept} rules={[{ required: true, message: t.detail.transferDeptRequired }]}>
        <Select
          data-testid="transfer-dept"
          options={t.detail.departments.filter((d) => d !== order.assignee.department).map((d) => ({ value: d, label: d }))}
        />
      </Form.Item>
      <Form.Item name="notes" label={t.detail.transferNotes} rules={[{ required: true, whitespace: true, message: t.detail.transferNotesRequired }]}>
        <Input.TextArea rows={3} maxLength={1000} data-testid="transfer-notes" />
      </Form.Item>
    </FormModal>
  );
}

function NotesModal({
  open,
  title,
  label,
  required,
  onClose,
  onSubmit,
  loading,
  testId,
}: {
  open: boolean;
  title: string;
  label: string;
  required: string;
  onClose: () => void;
  onSubmit: (notes: string) => Promise<boolean>;
  loading: boolean;
  testId: string;
}) {
  return (
    <FormModal<{ notes: string }>
      open={open}
      title={title}
      okTestId={`${testId}-confirm`}
      loading={loading}
      onSubmit={(v) => onSubmit(v.notes.trim())}
      onClose={onClose}
    >
      <Form.Item name="notes" label={label} rules={[{ required: true, whitespace: true, message: required }]}>
        <Input.TextArea rows={4} maxLength={2000} data-testid={`${testId}-notes`} />
      </Form.Item>
    </FormModal>
  );
}

/** Pick a desk agent by name, with how many open desk orders each holds now (fewest first). */
export function AssignModal({ order, open, onClose }: { order: { id: string; version: number }; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const me = useMe();
  const agents = useQuery({ ...trpc.workorder.agents.queryOptions(), enabled: open });
  const assign = useMutation(trpc.workorder.assign.mutationOptions());
  const { run, busy } = useStep();
  const [form] = Form.useForm<{ agentId: string; notes?: string }>();
  const submit = async () => {
    let v: Awaited<ReturnType<typeof form.validateFields>>;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const r = await run(
      'assign',
      () => assign.mutateAsync({ orderId: order.id, version: order.version, agentId: v.agentId, notes: v.notes?.trim() || null }),
      t.detail.done,
    );
    if (r) onClose();
  };
  return (
    <Modal
      open={open}
      title={t.queue.assignTitle}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy === 'assign'}
      okText={t.app.confirm}
      cancelText={t.app.cancel}
      okButtonProps={{ 'data-testid': 'assign-confirm' } as Record<string, string>}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="agentId" label={t.desk.assignPick} rules={[{ required: true, message: t.desk.assignRequired }]}>
          <Select
            showSearch
            optionFilterProp="label"
            loading={agents.isPending}
            placeholder={t.desk.assignPlaceholder}
            data-testid="assign-who"
            options={(agents.data ?? []).map((g) => ({
              value: g.id,
              label: `${g.name}${g.id === me.data?.id ? t.desk.me : ''}`,
              load: g.load,
              overdue: g.overdue,
              roleLabel: g.roleLabel,
            }))}
            optionRender={(o) => (
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                <span>
                  {o.data.label}{' '}
                  <span className="ps-muted" style={{ fontSize: 12 }}>
                    {o.data.roleLabel}
                  </span>
                </span>
                <span className="ps-muted" style={{ fontSize: 12, color: o.data.overdue ? '#cf1322' : undefined }}>
                  {t.desk.agentLoad(o.data.load, o.data.overdue)}
                </span>
              </div>
            )}
          />
        </Form.Item>
        <Form.Item name="notes" label={t.queue.assignNotes}>
          <Input.TextArea rows={2} maxLength={500} data-testid="assign-notes" />
        </Form.Item>
      </Form>
      {agents.isError && <Alert type="error" showIcon title={errorMessage(agents.error)} />}
    </Modal>
  );
}

/** Pause (waiting for the customer): the clock stops; a note is required and kept. */
export function PauseModal({ order, onClose }: { order: { id: string; version: number } | null; onClose: () => void }) {
  const trpc = useTRPC();
  const pause = useMutation(trpc.workorder.pause.mutationOptions());
  const { run, busy } = useStep();
  return (
    <FormModal<{ notes: string }>
      open={!!order}
      title={t.desk.pauseTitle}
      okTestId="pause-confirm"
      loading={busy === 'pause'}
      onSubmit={async (v) =>
        !!(await run(
          'pause',
          () => pause.mutateAsync({ orderId: order!.id, version: order!.version, reasonCode: 'waiting_customer', notes: v.notes.trim() }),
          t.desk.paused,
        ))
      }
      onClose={onClose}
    >
      <Alert type="info" showIcon title={t.desk.pauseHint} style={{ marginBottom: 12 }} />
      <Form.Item name="notes" label={t.desk.pauseNotes} rules={[{ required: true, whitespace: true, message: t.desk.pauseNotesRequired }]}>
        <Input.TextArea rows={3} maxLength={500} placeholder={t.desk.pauseNotesPlaceholder} />
      </Form.Item>
    </FormModal>
  );
}

/**
 * Reason-code close (客户内部故障 / 欠费停电): the order is closed at once with advice to the customer instead of
 * letting the clock run out. Crews go through workorder.resolve, the desk through workorder.close.
 */
export function CloseReasonModal({ order, onClose }: { order: { id: string; version: number } | null; onClose: () => void }) {
  const trpc = useTRPC();
  const me = useMe();
  // workorder.close is the desk's and the dispatcher's; crews and area managers close through workorder.resolve.
  const via = (me.data?.roles ?? []).some((r) => ['agent', 'expert', 'dispatcher', 'supervisor', 'admin'].includes(r)) ? 'close' : 'resolve';
  const resolve = useMutation(trpc.workorder.resolve.mutationOptions());
  const close = useMutation(trpc.workorder.close.mutationOptions());
  const { run, busy } = useStep();
  const [reason, setReason] = useState<string | undefined>();
  type V = { reasonCode: 'customer_internal_fault' | 'arrears_outage'; notes: string };
  const submit = async (v: V) => {
    const base = { orderId: order!.id, version: order!.version, reasonCode: v.reasonCode, notes: v.notes.trim() };
    return !!(await run('closeReason', () => (via === 'resolve' ? resolve.mutateAsync(base) : close.mutateAsync(base)), t.desk.closedWithReason));
  };
  return (
    <FormModal<V>
      open={!!order}
      title={t.desk.closeReasonTitle}
      okTestId="close-reason-confirm"
      loading={busy === 'closeReason'}
      onSubmit={submit}
      onClose={onClose}
    >
      <Form.Item name="reasonCode" label={t.desk.closeReason} rules={[{ required: true, message: t.desk.closeReasonRequired }]}>
        <Radio.Group onChange={(e) => setReason(e.target.value)}>
          <Space direction="vertical">
            {Object.entries(t.desk.closeReasons).map(([value, label]) => (
              <Radio key={value} value={value}>
                {label}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      {reason && <Alert type="warning" showIcon title={t.desk.closeReasonHints[reason]} style={{ marginBottom: 12 }} />}
      <Form.Item name="notes" label={t.desk.closeNotes} rules={[{ required: true, whitespace: true, message: t.desk.closeNotesRequired }]}>
        <Input.TextArea rows={3} maxLength={1000} placeholder={t.desk.closeNotesPlaceholder} />
      </Form.Item>
    </FormModal>
  );
}

export function OrderActions({ order }: { order: OrderDetail }) {
  const trpc = useTRPC();
  const claim = useMutation(trpc.workorder.claim.mutationOptions());
  const process = useMutation(trpc.workorder.process.mutationOptions());
  const resolve = useMutation(trpc.workorder.resolve.mutationOptions());
  const close = useMutation(trpc.workorder.close.mutationOptions());
  const resume = useMutation(trpc.workorder.resume.mutationOptions());
  const { run, busy } = useStep();
  const [modal, setModal] = useState<null | 'transfer' | 'resolve' | 'assign' | 'visit' | 'pause' | 'closeReason'>(null);
  const a = order.actions;
  const v = { orderId: order.id, version: order.version };
  const desk = order.type !== 'fault_repair';

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }} data-testid="order-actions">
        {a.includes('claim') && (
          <Button
            type="primary"
            loading={busy === 'claim'}
            onClick={() => run('claim', () => claim.mutateAsync(v), t.queue.claimed)}
            data-testid="detail-claim"
          >
            {t.queue.claim}
          </Button>
        )}
        {a.includes('assign') && (
          <Button onClick={() => setModal('assign')} data-testid="detail-assign">
            {t.queue.assign}
          </Button>
        )}
        {a.includes('process') && (
          <Button
            loading={busy === 'process'}
            onClick={() => run('process', () => process.mutateAsync({ ...v, notes: null }), t.detail.done)}
            data-testid="detail-process"
          >
            {t.detail.process}
          </Button>
        )}
        {desk && a.includes('resolve') && (
          <Button onClick={() => setModal('resolve')} data-testid="detail-resolve">
            {t.detail.resolve}
          </Button>
        )}
        {a.includes('transfer') && (
          <Button onClick={() => setModal('transfer')} data-testid="detail-transfer">
            {t.detail.transfer}
          </Button>
        )}
        {a.includes('visit') && (
          <Button onClick={() => setModal('visit')} data-testid="detail-visit">
            {t.visits.record}
          </Button>
        )}
        {a.includes('resume') && (
          <Button type="primary" loading={busy === 'resume'} onClick={() => run('resume', () => resume.mutateAsync(v), t.desk.resumed)}>
            {t.desk.resume}
          </Button>
        )}
        {a.includes('pause') && <Button onClick={() => setModal('pause')}>{t.desk.pause}</Button>}
        {a.includes('closeWithReason') && <Button onClick={() => setModal('closeReason')}>{t.desk.closeWithReason}</Button>}
        {a.includes('close') && (
          <Button
            danger
            loading={busy === 'close'}
            onClick={() => run('close', () => close.mutateAsync({ ...v, notes: null }), t.detail.closed)}
            data-testid="detail-close"
          >
            {t.detail.close}
          </Button>
        )}
        {a.includes('dispatch') && (
          <Link href={`/staff/dispatch?order=${order.id}`}>
            <Button type="primary" data-testid="detail-dispatch">
              {t.detail.goDispatch}
            </Button>
          </Link>
        )}
        <DrawerSupervisionButton order={order} />
      </Space>
      <TransferModal order={order} open={modal === 'transfer'} onClose={() => setModal(null)} />
      <AssignModal order={order} open={modal === 'assign'} onClose={() => setModal(null)} />
      <NotesModal
        open={modal === 'resolve'}
        title={t.detail.resolveTitle}
        label={t.detail.resolveNotes}
        required={t.detail.resolveNotesRequired}
        loading={busy === 'resolve'}
        testId="resolve"
        onClose={() => setModal(null)}
        onSubmit={async (notes) => !!(await run('resolve', () => resolve.mutateAsync({ ...v, notes }), t.detail.done))}
      />
      <VisitModal order={modal === 'visit' ? order : null} onClose={() => setModal(null)} />
      <PauseModal order={modal === 'pause' ? order : null} onClose={() => setModal(null)} />
      <CloseReasonModal order={modal === 'closeReason' ? order : null} onClose={() => setModal(null)} />
    </>
  );
}

/** When the running pause began: the latest pause entry on the timeline. */
function lastPauseAt(o: OrderDetail): string | null {
  return [...o.timeline].reverse().find((e) => e.action === 'pause')?.at ?? null;
}

export function StaffOrderView({ order }: { order: OrderDetail }) {
  const o = order;
  const canWrite = o.actions.includes('reply') || o.actions.includes('note');
  return (
    <div data-testid="staff-order-detail" data-order-id={o.id} data-status={o.status}>
      <Space size={6} wrap style={{ marginBottom: 8 }}>
        <TypeTag type={o.type} />
        <StatusTag status={o.status} />
        <PriorityTag level={o.priority.level} />
        {o.escalated && <Tag color="red">{t.wo.escalated}</Tag>}
        {o.reopenCount > 0 && <Tag color="orange">{t.wo.reopened(o.reopenCount)}</Tag>}
      </Space>
      {o.countdown && (
        <div style={{ marginBottom: 12 }}>
          <LiveCountdown order={o} testId="detail-countdown" />
        </div>
      )}
      {o.paused && (
        <Alert
          type="warning"
          showIcon
          title={t.desk.pausedBanner(formatDateTime(o.pauses.find((p) => !p.to)?.from ?? lastPauseAt(o)))}
          style={{ marginBottom: 12 }}
        />
      )}
      {o.type === 'fault_repair' && o.status === 'reported' && !o.paused && (
        <Alert type="info" showIcon title={t.detail.dispatchHint} style={{ marginBottom: 12 }} />
      )}
      <OrderActions order={o} />
      <Descriptions size="small" bordered column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t.wo.channelLabel}>{t.wo.channel[o.channel] ?? o.channel}</Descriptions.Item>
        {o.faultKindLabel && <Descriptions.Item label={t.portal.faultKind}>{o.faultKindLabel}</Descriptions.Item>}
        {o.category && <Descriptions.Item label={t.portal.category}>{o.category}</Descriptions.Item>}
        {o.accountNumber && <Descriptions.Item label={t.wo.account}>{o.accountNumber}</Descriptions.Item>}
        {o.transformerAreaName && <Descriptions.Item label={t.wo.area}>{o.transformerAreaName}</Descriptions.Item>}
        {o.fieldContact ? (
          <>
            <Descriptions.Item label={t.crew.siteAddress}>{o.fieldContact.address ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t.crew.callCustomer}>
              {o.fieldContact.name ?? ''} {o.fieldContact.phone ? <a href={`tel:${o.fieldContact.phone}`}>{o.fieldContact.phone}</a> : '—'}
              <div className="ps-muted" style={{ fontSize: 12 }}>
                {t.crew.fieldContactNote}
              </div>
            </Descriptions.Item>
          </>
        ) : (
          <Descriptions.Item label={t.wo.contact}>
            {o.contactNameMasked} {o.contactPhoneMasked}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t.wo.description}>
          <span style={{ whiteSpace: 'pre-wrap' }}>{o.description}</span>
        </Descriptions.Item>
        {o.photos.length > 0 && <Descriptions.Item label={t.wo.photos}>{t.wo.photoCount(o.photos.length)}</Descriptions.Item>}
        <Descriptions.Item label={t.wo.department}>{o.assignee.department ?? '—'}</Descriptions.Item>
        {o.reasonCode && <Descriptions.Item label={t.desk.closeReason}>{t.desk.closeReasons[o.reasonCode] ?? o.reasonCode}</Descriptions.Item>}
        {o.resolution && <Descriptions.Item label={t.wo.resolution}>{o.resolution}</Descriptions.Item>}
        {o.pauses.length > 0 && (
          <Descriptions.Item label={t.desk.pauses}>
            {o.pauses.map((p) => (
              <div key={p.from}>{t.desk.pauseRow(formatDateTime(p.from), p.to ? formatDateTime(p.to) : t.desk.pauseOngoing, p.note)}</div>
            ))}
          </Descriptions.Item>
        )}
        {o.rating && (
          <Descriptions.Item label={t.detail.rating}>
            <Rate disabled value={o.rating.stars} style={{ fontSize: 14 }} /> {o.rating.comment}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t.wo.createdAt}>{formatDateTime(o.createdAt)}</Descriptions.Item>
      </Descriptions>
      {canWrite && <ReplyBox order={o} />}
      <Card size="small" title={t.wo.timeline}>
        <OrderTimeline orderId={o.id} items={o.timeline} staff />
      </Card>
    </div>
  );
}

/** Staff order detail in a drawer; follows the live feed through the shared query cache. */
export function StaffOrderDrawer({ orderId, onClose }: { orderId: string | null; onClose: () => void }) {
  const trpc = useTRPC();
  const order = useQuery({ ...trpc.workorder.get.queryOptions({ orderId: orderId ?? '' }), enabled: !!orderId });
  const phone = Grid.useBreakpoint().sm === false;
  return (
    <Drawer
      open={!!orderId}
      onClose={onClose}
      size={phone ? '100%' : 640}
      title={order.data ? t.detail.title(order.data.orderNo) : ''}
      destroyOnHidden
      data-testid="order-drawer"
    >
      {order.isPending && <Skeleton active />}
      {order.isError && <Alert type="error" showIcon title={errorMessage(order.error)} />}
      {order.data && <StaffOrderView order={order.data} />}
    </Drawer>
  );
}
