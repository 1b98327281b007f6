'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppRouter } from '@power/api';
import type { inferRouterOutputs } from '@trpc/server';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, List, Space, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Forbidden } from '@/components/common';
import { FormModal } from '@/components/FormModal';
import { ManualSupervisionButton } from '@/components/warnings/ManualSupervision';
import { StaffOrderDrawer } from '@/components/workorders/StaffOrderDrawer';
import { errorCode, errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

type Item = inferRouterOutputs<AppRouter>['warnings']['supervision']['items'][number];
type State = 'open' | 'acknowledged' | 'resolved' | 'all';
const tw = t.warnings;
const STATE_COLOR: Record<string, string> = { open: 'red', acknowledged: 'gold', resolved: 'green' };

function ItemCard({ item, canAct, onOpenOrder }: { item: Item; canAct: boolean; onOpenOrder: (id: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const ack = useMutation(trpc.warnings.acknowledge.mutationOptions());
  const comment = useMutation(trpc.warnings.comment.mutationOptions());
  const urge = useMutation(trpc.warnings.urge.mutationOptions());
  const [urging, setUrging] = useState(false);
  const [text, setText] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.warnings.pathKey() });
  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      message.success(ok);
      await refresh();
      return true;
    } catch (err) {
      message.error(errorMessage(err));
      await refresh();
      return false;
    }
  };
  const open = item.state !== 'resolved';
  return (
    <Card
      size="small"
      data-testid={`supervision-${item.id}`}
      title={
        <Space wrap>
          <Tag color={STATE_COLOR[item.state]}>{item.stateLabel}</Tag>
          <span>{item.orderNo}</span>
          <Tag>{item.orderTypeLabel}</Tag>
          <Tag color={item.source === 'sla' ? 'volcano' : 'blue'}>{item.sourceLabel}</Tag>
        </Space>
      }
      extra={
        <Button type="link" size="small" onClick={() => onOpenOrder(item.orderId)}>
          {tw.viewOrder}
        </Button>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        {item.deadlineLabel && <Descriptions.Item label={tw.deadline}>{item.deadlineLabel}</Descriptions.Item>}
        {item.dueAt && <Descriptions.Item label={tw.dueAt}>{formatDateTime(item.dueAt)}</Descriptions.Item>}
        <Descriptions.Item label={tw.createdAt}>{formatDateTime(item.createdAt)}</Descriptions.Item>
        {item.reason && <Descriptions.Item label={tw.manualReason}>{item.reason}</Descriptions.Item>}
      </Descriptions>
      {item.ackAt && (
        <div className="ps-muted" style={{ marginBottom: 4 }}>
          {tw.ackInfo(item.ackByName ?? '', formatDateTime(item.ackAt))}
        </div>
      )}
      {item.resolvedAt && (
        <div className="ps-muted" style={{ marginBottom: 4 }}>
          {tw.resolvedInfo(formatDateTime(item.resolvedAt))}
        </div>
      )}
      {item.urges.length > 0 && (
        <List
          size="small"
          header={<Typography.Text strong>{tw.urgeHistory}</Typography.Text>}
          dataSource={item.urges}
          renderItem={(u) => (
            <List.Item>
              {formatDateTime(u.at)} {u.byName}：{u.text}（{tw.urgedTo(u.to.join('、'))}）
            </List.Item>
          )}
        />
      )}
      {item.comments.length > 0 && (
        <List
          size="small"
          header={<Typography.Text strong>{tw.comments}</Typography.Text>}
          dataSource={item.comments}
          renderItem={(c) => (
            <List.Item>
              {formatDateTime(c.at)} {c.byName}：{c.text}
            </List.Item>
          )}
        />
      )}
      {canAct && open && (
        <Space wrap style={{ marginTop: 8 }}>
          {item.state === 'open' && (
            <Button type="primary" loading={ack.isPending} onClick={() => act(() => ack.mutateAsync({ id: item.id }), tw.acknowledged)}>
              {tw.acknowledge}
            </Button>
          )}
          <Button danger onClick={() => setUrging(true)}>
            {tw.urge}
          </Button>
          <Space.Compact>
            <Input
              aria-label={tw.comment}
              placeholder={tw.commentPlaceholder}
              value={text}
              maxLength={500}
              onChange={(e) => setText(e.target.value)}
              style={{ width: 280 }}
            />
            <Button
              loading={comment.isPending}
              disabled={!text.trim()}
              onClick={async () => {
                if (await act(() => comment.mutateAsync({ id: item.id, text: text.trim() }), tw.commented)) setText('');
              }}
            >
              {tw.commentSubmit}
            </Button>
          </Space.Compact>
        </Space>
      )}
      <FormModal<{ text?: string }>
        open={urging}
        title={`${tw.urgeTitle}：${item.orderNo}`}
        okText={tw.urge}
        okTestId="urge-ok"
        loading={urge.isPending}
        onClose={() => setUrging(false)}
        onSubmit={(v) => act(() => urge.mutateAsync({ id: item.id, text: v.text?.trim() || null }), tw.urged)}
      >
        <Form.Item name="text" label={tw.urgeLabel}>
          <Input.TextArea rows={3} maxLength={200} placeholder={tw.urgePlaceholder} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}

export default function SupervisionPage() {
  const trpc = useTRPC();
  const [state, setState] = useState<State>('open');
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useQuery({ ...trpc.warnings.supervision.queryOptions({ state }), refetchInterval: 15_000 });
  if (list.isError && errorCode(list.error) === 'FORBIDDEN') return <Forbidden />;
  const c = list.data?.counts ?? { open: 0, acknowledged: 0, resolved: 0 };
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {tw.supervisionTitle}
        </Typography.Title>
        {list.data?.canAct && <ManualSupervisionButton />}
      </Space>
      <p className="ps-muted">{tw.supervisionDesc}</p>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} style={{ marginBottom: 16 }} />}
      <Tabs
        activeKey={state}
        onChange={(k) => setState(k as State)}
        items={[
          { key: 'open', label: tw.tabOpen(c.open) },
          { key: 'acknowledged', label: tw.tabAck(c.acknowledged) },
          { key: 'resolved', label: tw.tabResolved(c.resolved) },
          { key: 'all', label: tw.tabAll },
        ]}
      />
      {list.isPending ? (
        <Card loading />
      ) : list.data && list.data.items.length === 0 ? (
        <Card>
          <Empty description={tw.empty} />
        </Card>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          {(list.data?.items ?? []).map((i) => (
            <ItemCard key={i.id} item={i} canAct={!!list.data?.canAct} onOpenOrder={setOpenId} />
          ))}
        </Space>
      )}
      <StaffOrderDrawer orderId={openId} onClose={() => setOpenId(null)} />
    </>
  );
}
