'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Form, Input, Radio, Row, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { QC_ITEM_LABELS } from '@power/api/labels';
import { CenterSpin } from '@/components/common';
import { OrderTimeline, StatusTag, TypeTag } from '@/components/workorders/OrderBits';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const T = t.points.qc;
const ITEMS = Object.keys(QC_ITEM_LABELS) as (keyof typeof QC_ITEM_LABELS)[];

interface Candidate {
  orderId: string;
  orderNo: string;
  orderTypeLabel: string;
  agentName: string;
  resolvedAt: string;
}
interface CheckRow {
  id: string;
  orderNo: string;
  orderTypeLabel: string;
  agentName: string;
  failed: number;
  items: { item: string; label: string; passed: boolean }[];
  comment: string;
  createdAt: string;
}

function CheckForm({ orderNo, onDone }: { orderNo: string; onDone: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const found = useQuery(trpc.points.qcOrder.queryOptions({ orderNo }));
  const submit = useMutation(trpc.points.qcSubmit.mutationOptions());
  const [form] = Form.useForm<Record<string, string>>();
  const [error, setError] = useState<string | null>(null);

  if (found.error) return <Alert type="error" showIcon title={errorMessage(found.error)} />;
  if (!found.data) return <CenterSpin />;
  const { order, agentName, check } = found.data;

  const save = async () => {
    setError(null);
    let v: Record<string, string>;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      await submit.mutateAsync({
        orderId: order.id,
        items: ITEMS.map((item) => ({ item, passed: v[item] === 'pass' })),
        comment: v.comment?.trim() || null,
      });
      message.success(T.submitted);
      await qc.invalidateQueries({ queryKey: trpc.points.pathKey() });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Row gutter={16}>
      <Col xs={24} lg={12}>
        <Card size="small" title={`${t.wo.orderNo} ${order.orderNo}`} style={{ marginBottom: 16 }}>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t.wo.typeLabel}>
              <TypeTag type={order.type} />
            </Descriptions.Item>
            <Descriptions.Item label={t.wo.statusLabel}>
              <StatusTag status={order.status} />
            </Descriptions.Item>
            <Descriptions.Item label={T.handler}>{agentName}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>{T.timeline}</Typography.Title>
          <OrderTimeline orderId={order.id} items={order.timeline} staff />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={T.checklist}>
          {check ? (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Alert type="info" showIcon title={T.done} />
              {check.items.map((i) => (
                <div key={i.item}>
                  {i.label}：{i.passed ? <Tag color="green">{T.pass}</Tag> : <Tag color="red">{T.fail}</Tag>}
                </div>
              ))}
              {check.comment && (
                <Typography.Paragraph>
                  {T.comment}：{check.comment}
                </Typography.Paragraph>
              )}
            </Space>
          ) : (
            <Form form={form} layout="vertical" name="quality-check" aria-label={T.checklist}>
              {ITEMS.map((item) => (
                <Form.Item key={item} name={item} label={QC_ITEM_LABELS[item]} rules={[{ required: true, message: T.itemRequired }]}>
                  <Radio.Group
                    aria-label={QC_ITEM_LABELS[item]}
                    options={[
                      { value: 'pass', label: T.pass },
                      { value: 'fail', label: T.fail },
                    ]}
                  />
                </Form.Item>
              ))}
              <Form.Item name="comment" label={T.comment}>
                <Input.TextArea rows={3} maxLength={500} placeholder={T.commentPlaceholder} />
              </Form.Item>
              {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
              <Button type="primary" onClick={save} loading={submit.isPending}>
                {T.submit}
              </Button>
            </Form>
          )}
        </Card>
      </Col>
    </Row>
  );
}

export default function QualityChecksPage() {
  const trpc = useTRPC();
  const [input, setInput] = useState('');
  const [orderNo, setOrderNo] = useState<string | null>(null);
  const candidates = useQuery(trpc.points.qcCandidates.queryOptions({ limit: 20 }));
  const history = useQuery(trpc.points.qcList.queryOptions({ limit: 30 }));

  const candCols: ColumnsType<Candidate> = [
    { title: t.wo.orderNo, key: 'no', width: 170, render: (_, c) => c.orderNo },
    { title: t.wo.typeLabel, key: 'type', width: 100, render: (_, c) => c.orderTypeLabel },
    { title: T.handler, key: 'agent', render: (_, c) => c.agentName },
    { title: T.handledAt, key: 'at', width: 150, render: (_, c) => formatDateTime(c.resolvedAt) },
    {
      title: '',
      key: 'go',
      width: 80,
      render: (_, c) => (
        <Button size="small" onClick={() => setOrderNo(c.orderNo)} aria-label={`${T.pick} ${c.orderNo}`}>
          {T.pick}
        </Button>
      ),
    },
  ];
  const histCols: ColumnsType<CheckRow> = [
    { title: T.checkedAt, key: 'at', width: 150, render: (_, c) => formatDateTime(c.createdAt) },
    { title: t.wo.orderNo, key: 'no', width: 170, render: (_, c) => c.orderNo },
    { title: T.handler, key: 'agent', width: 110, render: (_, c) => c.agentName },
    {
      title: T.result,
      key: 'r',
      render: (_, c) =>
        c.failed === 0 ? (
          <Tag color="green">{T.allPassed}</Tag>
        ) : (
          <Space wrap>
            <Tag color="red">{T.failedCount(c.failed)}</Tag>
            {c.items
              .filter((i) => !i.passed)
              .map((i) => (
                <span key={i.item}>{i.label}</span>
              ))}
          </Space>
        ),
    },
    { title: T.comment, key: 'c', ellipsis: true, render: (_, c) => c.comment || '—' },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {T.title}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{T.intro}</Typography.Paragraph>
        <Space.Compact style={{ maxWidth: 480, width: '100%' }}>
          <Input
            aria-label={t.wo.orderNo}
            placeholder={T.noPlaceholder}
            value={input}
            onChange={(e) => setInput(e.target.value)}
            onPressEnter={() => input.trim() && setOrderNo(input.trim())}
          />
          <Button type="primary" onClick={() => input.trim() && setOrderNo(input.trim())}>
            {T.find}
          </Button>
        </Space.Compact>
      </Card>
      {orderNo && <CheckForm key={orderNo} orderNo={orderNo} onDone={() => undefined} />}
      <Card size="small" title={T.recent}>
        {candidates.error && <Alert type="error" showIcon title={errorMessage(candidates.error)} />}
        <Table<Candidate>
          size="small"
          rowKey="orderId"
          loading={candidates.isPending}
          columns={candCols}
          dataSource={(candidates.data ?? []) as Candidate[]}
          pagination={false}
          locale={{ emptyText: <Empty description={T.noCandidates} /> }}
        />
      </Card>
      <Card size="small" title={T.history}>
        <Table<CheckRow>
          size="small"
          rowKey="id"
          loading={history.isPending}
          columns={histCols}
          dataSource={(history.data ?? []) as CheckRow[]}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t.points.empty} /> }}
        />
      </Card>
    </Space>
  );
}
