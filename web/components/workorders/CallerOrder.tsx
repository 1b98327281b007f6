'use client';

import { FileAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState, type HTMLAttributes } from 'react';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { ORDER_TYPES, useNow, type OrderSummary } from '@/lib/workorders';
import { CountdownCell, StatusTag, TypeTag } from './OrderBits';
import { StaffOrderDrawer } from './StaffOrderDrawer';

type Acc = { id: string; number: string; transformerAreaName: string };
type Values = {
  type: (typeof ORDER_TYPES)[number];
  accountId?: string;
  faultKind?: string;
  subtype?: string;
  category?: string;
  description: string;
  contactName?: string;
  contactPhone: string;
};

const NEEDS_ACCOUNT = ['fault_repair', 'service_request', 'reconnection'];

/** "为来电客户建单": an agent files an order for the caller from the screen-pop card. */
export function CallerOrderButton({ accounts, phone, customerId, onCreated }: { accounts: Acc[]; phone: string; customerId: string; onCreated?: (id: string) => void }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const categories = useQuery(trpc.workorder.categories.queryOptions());
  const create = useMutation(trpc.workorder.createForCaller.mutationOptions());
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form) ?? 'fault_repair';
  const cat = categories.data?.find((c) => c.type === type);

  const submit = async () => {
    setError(null);
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      const o = await create.mutateAsync({
        type: v.type,
        channel: 'phone',
        accountId: v.accountId || null,
        faultKind: v.type === 'fault_repair' ? (v.faultKind as 'whole_house_outage') : null,
        subtype: v.type === 'service_request' ? (v.subtype as 'meter_check') : null,
        category: v.category || null,
        description: v.description.trim(),
        contactName: v.contactName?.trim() || null,
        contactPhone: v.contactPhone.trim(),
      });
      message.success(t.callerOrder.created(o.orderNo));
      setOpen(false);
      form.resetFields();
      onCreated?.(o.id);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <>
      <Button type="primary" icon={<FileAddOutlined />} onClick={() => setOpen(true)} data-testid={`create-for-caller-${customerId}`}>
        {t.callerOrder.create}
      </Button>
      <Modal
        open={open}
        title={t.callerOrder.title}
        onCancel={() => setOpen(false)}
        onOk={submit}
        okText={t.portal.submit}
        cancelText={t.app.cancel}
        confirmLoading={create.isPending}
        okButtonProps={{ 'data-testid': 'caller-order-submit' } as Record<string, string>}
        width={600}
        destroyOnHidden
      >
        <Form<Values>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ type: 'fault_repair', accountId: accounts.length === 1 ? accounts[0].id : undefined, contactPhone: phone }}
          onValuesChange={(c: Partial<Values>) => {
            if (c.type) form.setFieldsValue({ category: undefined, faultKind: undefined, subtype: undefined });
          }}
        >
          <Form.Item name="type" label={t.callerOrder.type} rules={[{ required: true }]}>
            <Select
              data-testid="caller-order-type"
              options={(categories.data ?? []).filter((c) => c.type !== 'return_visit').map((c) => ({ value: c.type, label: t.wo.type[c.type] ?? c.label }))}
            />
          </Form.Item>
          <Form.Item
            name="accountId"
            label={t.callerOrder.account}
            rules={[{ required: NEEDS_ACCOUNT.includes(type), message: t.portal.chooseAccountRequired }]}
          >
            <Select
              allowClear
              placeholder={t.callerOrder.accountNone}
              data-testid="caller-order-account"
              options={accounts.map((a) => ({ value: a.id, label: `${a.number} · ${a.transformerAreaName}` }))}
            />
          </Form.Item>
          {type === 'fault_repair' && (
            <Form.Item name="faultKind" label={t.callerOrder.faultKind} rules={[{ required: true, message: t.portal.faultKindRequired }]}>
              <Select data-testid="caller-order-fault-kind" options={(cat?.faultKinds ?? []).map((k) => ({ value: k.value, label: k.label }))} />
            </Form.Item>
          )}
          {type === 'service_request' && (
            <Form.Item name="subtype" label={t.callerOrder.category} rules={[{ required: true, message: t.portal.categoryRequired }]}>
              <Select data-testid="caller-order-subtype" options={(cat?.subtypes ?? []).map((k) => ({ value: k.value, label: k.label }))} />
            </Form.Item>
          )}
          {(cat?.categories.length ?? 0) > 0 && (
            <Form.Item name="category" label={t.callerOrder.category}>
              <Select allowClear data-testid="caller-order-category" options={cat!.categories.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
          )}
          <Form.Item
            name="description"
            label={t.callerOrder.description}
            rules={[
              { required: true, message: t.callerOrder.descriptionRequired },
              { min: 5, whitespace: true, message: t.callerOrder.descriptionRequired },
            ]}
          >
            <Input.TextArea rows={4} maxLength={2000} showCount data-testid="caller-order-description" />
          </Form.Item>
          <Space style={{ width: '100%' }} size={12} wrap>
            <Form.Item name="contactName" label={t.callerOrder.contactName}>
              <Input maxLength={50} data-testid="caller-order-contact-name" />
            </Form.Item>
            <Form.Item name="contactPhone" label={t.callerOrder.contactPhone} rules={[{ required: true, pattern: /^\s*1\d{10}\s*$/, message: t.login.phoneInvalid }]}>
              <Input maxLength={11} data-testid="caller-order-phone" />
            </Form.Item>
          </Space>
        </Form>
        {error && <Alert type="error" showIcon title={error} data-testid="caller-order-error" />}
      </Modal>
    </>
  );
}

/**
 * The caller's open orders. The API has no "orders of this customer" query yet, so they are matched
 * by account number against the open queue (the 200 most urgent orders).
 */
export function CallerOpenOrders({ accountNumbers }: { accountNumbers: string[] }) {
  const trpc = useTRPC();
  const queue = useQuery(trpc.workorder.queue.queryOptions({ limit: 200 }));
  const now = useNow(1000);
  const [openId, setOpenId] = useState<string | null>(null);
  const mine = (queue.data?.items ?? []).filter((o) => o.accountNumber && accountNumbers.includes(o.accountNumber));
  const columns: ColumnsType<OrderSummary> = [
    { title: t.wo.orderNo, dataIndex: 'orderNo', key: 'no', width: 170 },
    { title: t.wo.typeLabel, key: 't', width: 100, render: (_, o) => <TypeTag type={o.type} /> },
    { title: t.wo.statusLabel, key: 's', width: 100, render: (_, o) => <StatusTag status={o.status} /> },
    { title: t.wo.account, dataIndex: 'accountNumber', key: 'a', width: 140 },
    { title: t.queue.description, key: 'd', ellipsis: true, render: (_, o) => o.descriptionPreview },
    { title: t.wo.countdown, key: 'c', width: 200, render: (_, o) => <CountdownCell order={o} now={now} /> },
  ];
  return (
    <div style={{ marginTop: 16 }} data-testid="caller-open-orders">
      <Typography.Text strong>{t.callerOrder.openOrders}</Typography.Text>
      <span className="ps-muted" style={{ marginLeft: 8, fontSize: 12 }}>{t.callerOrder.openOrdersHint}</span>
      {queue.isError && <Alert type="error" showIcon title={errorMessage(queue.error)} />}
      <Table<OrderSummary>
        size="small"
        rowKey="id"
        style={{ marginTop: 8 }}
        columns={columns}
        dataSource={mine}
        loading={queue.isPending}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.callerOrder.noOpenOrders} /> }}
        rowClassName={() => 'ps-order-row'}
        onRow={(o) => ({ onClick: () => setOpenId(o.id), 'data-testid': `caller-order-row-${o.orderNo}` }) as HTMLAttributes<HTMLElement>}
      />
      <StaffOrderDrawer orderId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}
