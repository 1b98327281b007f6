'use client';

import { FileAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Form, Input, Modal, Select, Space, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState, type HTMLAttributes } from 'react';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { formatFen } from '@/lib/money';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { type ORDER_TYPES, useNow, type OrderSummary } from '@/lib/workorders';
import { CountdownCell, StatusTag, TypeTag } from './OrderBits';
import { StaffOrderDrawer } from './StaffOrderDrawer';

type Acc = { id: string; number: string; transformerAreaName: string; supplyState?: string; arrearsFen?: number; balanceFen?: number };
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
export function CallerOrderButton({
  accounts,
  phone,
  customerId,
  onCreated,
}: {
  accounts: Acc[];
  phone: string;
  customerId: string;
  onCreated?: (id: string) => void;
}) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const categories = useQuery(trpc.workorder.categories.queryOptions());
  const create = useMutation(trpc.workorder.createForCaller.mutationOptions());
  const attach = useMutation(trpc.workorder.reply.mutationOptions());
  const ctx = useCallerContext(customerId, phone);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form) ?? 'fault_repair';
  const accountId = Form.useWatch('accountId', form);
  const faultKind = Form.useWatch('faultKind', form);
  const cat = categories.data?.find((c) => c.type === type);
  const chosen = accounts.find((a) => a.id === accountId);
  // Already an open fault report on this account: offer to add this call to it instead of a second dispatch.
  const existing =
    type === 'fault_repair' && chosen
      ? (ctx.data?.open ?? []).find(
          (o) => o.type === 'fault_repair' && o.accountNumber === chosen.number && !['resolved', 'visited', 'closed'].includes(o.status),
        )
      : undefined;
  // Disconnected for arrears: a "no power" report goes to payment, not to a crew.
  const arrears =
    type === 'fault_repair' && chosen?.supplyState === 'disconnected' && (!faultKind || ['whole_house_outage', 'area_outage'].includes(faultKind));
  const dueFen = chosen ? Math.max(chosen.arrearsFen ?? 0, -(chosen.balanceFen ?? 0), 0) : 0;

  const attachToExisting = async () => {
    if (!existing) return;
    setError(null);
    let description: string;
    try {
      description = (await form.validateFields(['description'])).description.trim();
    } catch {
      return;
    }
    try {
      await attach.mutateAsync({ orderId: existing.id, version: existing.version, notes: t.desk.attachNote(description), visibility: 'internal' });
      message.success(t.desk.attached(existing.orderNo));
      setOpen(false);
      form.resetFields();
      onCreated?.(existing.id);
      await ctx.refetch();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

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
      if (o.arrearsRedirect) message.warning(t.desk.arrearsFiled(o.orderNo));
      else message.success(t.callerOrder.created(o.orderNo));
      setOpen(false);
      void ctx.refetch();
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
              options={(categories.data ?? [])
                .filter((c) => c.type !== 'return_visit')
                .map((c) => ({ value: c.type, label: t.wo.type[c.type] ?? c.label }))}
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
          {existing && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={t.desk.existingFault(existing.orderNo)}
              description={`${existing.statusLabel} · ${existing.descriptionPreview}。${t.desk.existingFaultDesc}`}
              action={
                <Button size="small" type="primary" loading={attach.isPending} onClick={attachToExisting}>
                  {t.desk.attach}
                </Button>
              }
              data-testid="caller-order-existing"
            />
          )}
          {arrears && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              title={t.desk.arrearsWarn}
              description={t.desk.arrearsWarnDesc(formatFen(dueFen))}
              data-testid="caller-order-arrears"
            />
          )}
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
            <Form.Item
              name="contactPhone"
              label={t.callerOrder.contactPhone}
              rules={[{ required: true, pattern: /^\s*1\d{10}\s*$/, message: t.login.phoneInvalid }]}
            >
              <Input maxLength={11} data-testid="caller-order-phone" />
            </Form.Item>
          </Space>
        </Form>
        {error && <Alert type="error" showIcon title={error} data-testid="caller-order-error" />}
      </Modal>
    </>
  );
}

/** Screen-pop context of one customer: orders by customer (open and recent), outages on their areas, last contacts. */
export function useCallerContext(customerId: string, phone: string) {
  const trpc = useTRPC();
  return useQuery(trpc.staff.callerContext.queryOptions({ customerId, phone: /^1\d{10}$/.test(phone) ? phone : null }));
}

function OrdersTable({ items, empty, onOpen }: { items: OrderSummary[]; empty: string; onOpen: (id: string) => void }) {
  const now = useNow(1000);
  const columns: ColumnsType<OrderSummary> = [
    {
      title: t.wo.orderNo,
      key: 'no',
      width: 160,
      render: (_, o) => (
        <div>
          <div>{o.orderNo}</div>
          <div className="ps-muted" style={{ fontSize: 12 }}>
            {formatDateTime(o.createdAt)}
          </div>
        </div>
      ),
    },
    {
      title: `${t.wo.typeLabel} / ${t.wo.statusLabel}`,
      key: 't',
      width: 150,
      render: (_, o) => (
        <Space size={[2, 4]} wrap>
          <TypeTag type={o.type} />
          <StatusTag status={o.status} />
        </Space>
      ),
    },
    { title: t.wo.channelLabel, key: 'ch', width: 100, render: (_, o) => t.wo.channel[o.channel] ?? o.channel },
    { title: t.wo.account, key: 'a', width: 130, render: (_, o) => o.accountNumber ?? '—' },
    { title: t.queue.description, key: 'd', ellipsis: true, render: (_, o) => `${o.faultKindLabel ?? o.category ?? ''} ${o.descriptionPreview}` },
    { title: t.wo.countdown, key: 'c', width: 170, render: (_, o) => (o.status === 'closed' ? '—' : <CountdownCell order={o} now={now} />) },
  ];
  return (
    <Table<OrderSummary>
      size="small"
      rowKey="id"
      columns={columns}
      dataSource={items}
      pagination={false}
      tableLayout="fixed"
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      rowClassName={() => 'ps-order-row'}
      onRow={(o) => ({ onClick: () => onOpen(o.id), 'data-testid': `caller-order-row-${o.orderNo}` }) as HTMLAttributes<HTMLElement>}
    />
  );
}

/** The caller's orders (open and recent, by customer — not guessed from the queue), outages on their areas, last contacts. */
export function CallerContextPanel({ customerId, phone }: { customerId: string; phone: string }) {
  const ctx = useCallerContext(customerId, phone);
  const [openId, setOpenId] = useState<string | null>(null);
  const d = ctx.data;
  return (
    <div style={{ marginTop: 16 }} data-testid="caller-context">
      {ctx.isError && <Alert type="error" showIcon title={errorMessage(ctx.error)} />}
      <Typography.Text strong>{t.desk.lastContacts}</Typography.Text>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, margin: '8px 0 16px' }} data-testid="last-contacts">
        {(d?.lastContacts ?? []).map((c) => (
          <div key={c.channel} style={{ flex: '1 1 200px', border: '1px solid #e6ebf0', borderRadius: 6, padding: '6px 10px' }}>
            <div className="ps-muted" style={{ fontSize: 12 }}>
              {c.channelLabel}
            </div>
            {c.at ? (
              <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={() => c.orderId && setOpenId(c.orderId)}>
                {formatDateTime(c.at)} · {c.typeLabel} · {c.statusLabel}
              </Button>
            ) : (
              <span className="ps-muted">{t.desk.noContact}</span>
            )}
          </div>
        ))}
      </div>
      <Typography.Text strong>{t.desk.outagesTitle}</Typography.Text>
      <div style={{ margin: '8px 0 16px' }} data-testid="caller-outages">
        {d && d.outages.length === 0 && <span className="ps-muted">{t.desk.noOutages}</span>}
        {d?.outages.map((o) => (
          <Alert
            key={o.id}
            type={o.phase === 'active' ? 'error' : 'warning'}
            showIcon
            style={{ marginBottom: 8 }}
            title={`${o.kindLabel} · ${o.phaseLabel} · ${o.areaText}`}
            description={`${o.etrText}；${t.outages.startAt} ${formatDateTime(o.startAt)}；${t.outages.reason}：${o.reason}；${t.desk.outageAccounts(o.accountNumbers.join('、'))}`}
          />
        ))}
      </div>
      <Typography.Text strong>{t.desk.callerOrders}</Typography.Text>
      <Tabs
        size="small"
        items={[
          {
            key: 'open',
            label: t.desk.openTab(d?.open.length ?? 0),
            children: <OrdersTable items={d?.open ?? []} empty={t.callerOrder.noOpenOrders} onOpen={setOpenId} />,
          },
          {
            key: 'recent',
            label: t.desk.recentTab(d?.recent.length ?? 0),
            children: <OrdersTable items={d?.recent ?? []} empty={t.desk.noRecent} onOpen={setOpenId} />,
          },
        ]}
      />
      <StaffOrderDrawer orderId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}
