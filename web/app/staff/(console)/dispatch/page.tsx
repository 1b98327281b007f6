'use client';

import { SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { ButtonProps } from 'antd';
import { Alert, Button, Card, Checkbox, Col, Empty, Form, Input, Modal, Progress, Radio, Row, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { CountdownCell, LiveBadge, PriorityTag, StatusTag } from '@/components/workorders/OrderBits';
import { StaffOrderDrawer } from '@/components/workorders/StaffOrderDrawer';
import { useLiveOrders } from '@/components/workorders/useLiveOrders';
import { useStep } from '@/components/workorders/useStep';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { useNow, type Crew, type OrderSummary } from '@/lib/workorders';

const regionName = (c: Crew) => c.name.replace(/抢修\d+班$/, '');

function DispatchModal({ order, crews, onClose }: { order: OrderSummary | null; crews: Crew[]; onClose: () => void }) {
  const trpc = useTRPC();
  const dispatch = useMutation(trpc.workorder.dispatch.mutationOptions());
  const { run, busy } = useStep();
  const [form] = Form.useForm<{ crewId: string; notes?: string; overCapacity?: boolean }>();
  const crewId = Form.useWatch('crewId', form);
  // The API only accepts a crew responsible for the order's region.
  const eligible = useMemo(
    () => (order?.regionId ? crews.filter((c) => c.regionId === order.regionId) : crews).slice().sort((a, b) => b.available - a.available),
    [crews, order],
  );
  const chosen = eligible.find((c) => c.id === crewId);
  const full = !!chosen && chosen.available <= 0;

  const submit = async () => {
    if (!order) return;
    let v: Awaited<ReturnType<typeof form.validateFields>>;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const r = await run(
      'dispatch',
      () =>
        dispatch.mutateAsync({
          orderId: order.id,
          version: order.version,
          crewId: v.crewId,
          notes: v.notes?.trim() || null,
          overCapacity: full ? !!v.overCapacity : undefined,
        }),
      t.dispatch.dispatched,
    );
    if (r) onClose();
  };

  return (
    <Modal
      open={!!order}
      title={order ? t.dispatch.dispatchTitle(order.orderNo) : ''}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy === 'dispatch'}
      okText={t.dispatch.dispatch}
      cancelText={t.app.cancel}
      okButtonProps={{ 'data-testid': 'dispatch-confirm', disabled: full && !form.getFieldValue('overCapacity') } as ButtonProps}
      destroyOnHidden
      width={560}
    >
      {order && (
        <p>
          <PriorityTag level={order.priority.level} /> {order.faultKindLabel} · {order.transformerAreaName} · {order.descriptionPreview}
        </p>
      )}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="crewId"
          label={t.dispatch.chooseCrew}
          extra={t.dispatch.sameRegionOnly}
          rules={[{ required: true, message: t.dispatch.chooseCrewRequired }]}
        >
          <Radio.Group style={{ width: '100%' }} data-testid="crew-options">
            <Space direction="vertical" style={{ width: '100%' }}>
              {eligible.map((c) => (
                <Radio key={c.id} value={c.id}>
                  <Space data-testid={`crew-option-${c.name}`} data-crew-id={c.id}>
                    <strong>{c.name}</strong>
                    <span className="ps-muted">
                      {t.dispatch.load} {c.load}/{c.capacity}
                    </span>
                    {c.available <= 0 ? (
                      <Tag color="red">{t.dispatch.full}</Tag>
                    ) : (
                      <Tag color="green">
                        {t.dispatch.available} {c.available}
                      </Tag>
                    )}
                  </Space>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        {full && (
          <Form.Item name="overCapacity" valuePropName="checked">
            <Checkbox data-testid="dispatch-over-capacity" onChange={() => form.validateFields().catch(() => undefined)}>
              {t.dispatch.overCapacity}
            </Checkbox>
          </Form.Item>
        )}
        <Form.Item name="notes" label={t.dispatch.notes}>
          <Input.TextArea rows={2} maxLength={500} data-testid="dispatch-notes" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DispatchBoard() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const now = useNow(1000);
  const live = useLiveOrders();
  const pending = useQuery(trpc.workorder.queue.queryOptions({ types: ['fault_repair'], statuses: ['reported'], limit: 200 }));
  const crews = useQuery(trpc.workorder.crews.queryOptions());
  const [target, setTarget] = useState<OrderSummary | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const wanted = params.get('order');

  useEffect(() => {
    if (!wanted || !pending.data) return;
    const o = pending.data.items.find((x) => x.id === wanted);
    if (o) setTarget(o);
  }, [wanted, pending.data]);

  const crewList = crews.data ?? [];
  const regionOf = (id: string | null) => {
    const c = crewList.find((x) => x.regionId === id);
    return c ? regionName(c) : '—';
  };

  const columns: ColumnsType<OrderSummary> = [
    { title: t.wo.orderNo, dataIndex: 'orderNo', key: 'no', width: 170 },
    { title: t.wo.priorityLabel, key: 'p', width: 70, render: (_, o) => <PriorityTag level={o.priority.level} /> },
    { title: t.portal.faultKind, key: 'k', width: 130, render: (_, o) => o.faultKindLabel },
    { title: t.wo.region, key: 'r', width: 90, render: (_, o) => regionOf(o.regionId) },
    { title: t.wo.area, key: 'a', ellipsis: true, render: (_, o) => o.transformerAreaName },
    { title: t.wo.countdown, key: 'c', width: 190, render: (_, o) => <CountdownCell order={o} now={now} /> },
    {
      title: t.queue.actions,
      key: 'x',
      width: 90,
      fixed: 'right',
      render: (_, o) => (
        <Button
          size="small"
          type="primary"
          icon={<SendOutlined />}
          onClick={(e) => {
            e.stopPropagation();
            setTarget(o);
          }}
          data-testid={`dispatch-${o.orderNo}`}
        >
          {t.dispatch.dispatch}
        </Button>
      ),
    },
  ];

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={15}>
        <Card
          title={
            <Space>
              {t.dispatch.pending}
              <LiveBadge status={live.status} />
            </Space>
          }
          extra={pending.data && <span className="ps-muted">{t.queue.total(pending.data.total)}</span>}
        >
          {pending.isError && <Alert type="error" showIcon title={errorMessage(pending.error)} />}
          <Table<OrderSummary>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={pending.data?.items ?? []}
            loading={pending.isPending}
            pagination={false}
            scroll={{ x: 820 }}
            locale={{ emptyText: <Empty description={t.dispatch.empty} /> }}
            rowClassName={() => 'ps-order-row'}
            onRow={(o) => ({ onClick: () => setOpenId(o.id), 'data-testid': `pending-row-${o.orderNo}` }) as HTMLAttributes<HTMLElement>}
            data-testid="pending-table"
          />
        </Card>
      </Col>
      <Col xs={24} xl={9}>
        <Card title={t.dispatch.crews} data-testid="crew-loads">
          {crews.isError && <Alert type="error" showIcon title={errorMessage(crews.error)} />}
          {crewList.map((c) => (
            <div key={c.id} style={{ marginBottom: 10 }} data-testid={`crew-load-${c.name}`} data-load={c.load} data-capacity={c.capacity}>
              <div style={{ display: 'flex', justifyContent: 'space-between' }}>
                <span>
                  {c.name} <span className="ps-muted">· {t.desk.members(c.memberCount)}</span>
                </span>
                <span style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {c.load}/{c.capacity}
                </span>
              </div>
              <Progress
                percent={Math.round((c.load / Math.max(1, c.capacity)) * 100)}
                showInfo={false}
                size="small"
                status={c.available <= 0 ? 'exception' : 'normal'}
              />
            </div>
          ))}
        </Card>
      </Col>
      <DispatchModal order={target} crews={crewList} onClose={() => setTarget(null)} />
      <StaffOrderDrawer orderId={openId} onClose={() => setOpenId(null)} />
    </Row>
  );
}

export default function DispatchPage() {
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t.dispatch.title}
      </Typography.Title>
      <Suspense>
        <DispatchBoard />
      </Suspense>
    </>
  );
}
