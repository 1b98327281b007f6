'use client';

import { EyeOutlined, PhoneOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState, type HTMLAttributes } from 'react';
import type { AccountLike } from '@/components/AccountCard';
import { SupplyStateTag } from '@/components/common';
import { CallerContextPanel, CallerOrderButton } from '@/components/workorders/CallerOrder';
import { CallAssist } from '@/components/knowledge/CallAssist';
import { SensitiveBadge } from '@/components/warnings/SensitiveBadge';
import { useLiveOrders } from '@/components/workorders/useLiveOrders';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { formatFen } from '@/lib/money';
import { useTRPC } from '@/lib/trpc';

type Revealed = { holderName: string; phone: string; address: string };
type Customer = {
  id: string;
  nameMasked: string;
  phoneMasked: string;
  tier: string;
  flags: { important: boolean; sensitive: boolean; vulnerable: boolean };
  accounts: AccountLike[];
};

const TIER_COLOR: Record<string, string> = { A: 'gold', B: 'blue', C: 'default' };

function RevealModal({
  account,
  onClose,
  onRevealed,
}: {
  account: AccountLike | null;
  onClose: () => void;
  onRevealed: (accountId: string, data: Revealed) => void;
}) {
  const trpc = useTRPC();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string | null>(null);
  const reveal = useMutation(trpc.staff.revealAccount.mutationOptions());

  const submit = async () => {
    if (!account) return;
    setError(null);
    let reason: string;
    try {
      reason = (await form.validateFields()).reason.trim();
    } catch {
      return;
    }
    try {
      const data = await reveal.mutateAsync({ accountId: account.id, reason });
      onRevealed(account.id, data);
      form.resetFields();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <Modal
      open={!!account}
      title={t.screenPop.revealTitle}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      onOk={submit}
      okText={t.app.confirm}
      cancelText={t.app.cancel}
      confirmLoading={reveal.isPending}
      okButtonProps={{ 'data-testid': 'reveal-confirm' } as Record<string, string>}
      destroyOnHidden
    >
      <Alert type="warning" showIcon icon={<SafetyCertificateOutlined />} title={t.screenPop.revealNotice} style={{ marginBottom: 16 }} />
      {account && (
        <p>
          {t.home.number}：{account.number}
        </p>
      )}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label={t.screenPop.reason}
          rules={[
            { required: true, message: t.screenPop.reasonRequired },
            { min: 2, whitespace: true, message: t.screenPop.reasonRequired },
          ]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount placeholder={t.screenPop.reasonPlaceholder} data-testid="reveal-reason" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="reveal-error" />}
    </Modal>
  );
}

function CustomerCard({ customer, phone }: { customer: Customer; phone: string }) {
  const [revealing, setRevealing] = useState<AccountLike | null>(null);
  const [revealed, setRevealed] = useState<Record<string, Revealed>>({});

  const columns: ColumnsType<AccountLike> = [
    { title: t.home.number, dataIndex: 'number', key: 'number', width: 140 },
    {
      title: t.home.holder,
      key: 'holder',
      render: (_, a) => revealed[a.id]?.holderName ?? a.holderNameMasked,
    },
    {
      title: t.home.address,
      key: 'address',
      ellipsis: true,
      render: (_, a) => revealed[a.id]?.address ?? a.addressMasked,
    },
    {
      title: t.home.category,
      key: 'category',
      render: (_, a) => (
        <Space size={2} wrap>
          <Tag>{t.enums.usageCategory[a.usageCategory] ?? a.usageCategory}</Tag>
          <Tag color="blue">{t.enums.paymentMode[a.paymentMode] ?? a.paymentMode}</Tag>
        </Space>
      ),
    },
    { title: t.home.area, dataIndex: 'transformerAreaName', key: 'area', ellipsis: true },
    { title: t.home.supplyState, key: 'state', render: (_, a) => <SupplyStateTag state={a.supplyState} /> },
    {
      title: `${t.home.balance} / ${t.home.arrears}`,
      key: 'money',
      align: 'right',
      render: (_, a) =>
        a.arrearsFen > 0 ? (
          <span style={{ color: '#d4380d' }}>
            {t.home.arrears} {formatFen(a.arrearsFen)}
          </span>
        ) : (
          <span>{formatFen(a.balanceFen)}</span>
        ),
    },
    {
      title: t.screenPop.actions,
      key: 'actions',
      width: 130,
      render: (_, a) =>
        revealed[a.id] ? (
          <Tag color="orange" icon={<SafetyCertificateOutlined />}>
            {t.screenPop.revealedTag}
          </Tag>
        ) : (
          <Button size="small" icon={<EyeOutlined />} onClick={() => setRevealing(a)} data-testid={`reveal-${a.number}`}>
            {t.screenPop.reveal}
          </Button>
        ),
    },
  ];

  const revealedList = customer.accounts.filter((a) => revealed[a.id]);

  return (
    <Card
      style={{ marginBottom: 16 }}
      data-testid={`customer-${customer.id}`}
      title={
        <Space wrap>
          <span data-testid="customer-name">{customer.nameMasked}</span>
          <Tag color={TIER_COLOR[customer.tier] ?? 'default'}>{t.enums.tier[customer.tier] ?? customer.tier}</Tag>
          {customer.flags.important && <Tag color="red">{t.screenPop.important}</Tag>}
          {customer.flags.sensitive && <Tag color="volcano">{t.screenPop.sensitive}</Tag>}
          <SensitiveBadge customerId={customer.id} phone={phone} />
          {customer.flags.vulnerable && <Tag color="purple">{t.screenPop.vulnerable}</Tag>}
        </Space>
      }
      extra={
        <Space>
          <span>
            <PhoneOutlined /> {customer.phoneMasked}
          </span>
          <CallerOrderButton accounts={customer.accounts} phone={phone} customerId={customer.id} />
        </Space>
      }
    >
      <Table<AccountLike>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={customer.accounts}
        pagination={false}
        scroll={{ x: 960 }}
        locale={{ emptyText: t.screenPop.noAccounts }}
        onRow={(a) => ({ 'data-testid': `account-row-${a.number}` }) as HTMLAttributes<HTMLElement>}
      />
      {revealedList.map((a) => {
        const r = revealed[a.id]!;
        return (
          <Descriptions
            key={a.id}
            style={{ marginTop: 16 }}
            size="small"
            bordered
            column={{ xs: 1, md: 3 }}
            title={
              <Space>
                {t.screenPop.revealed} · {a.number}
                <Typography.Text type="warning" style={{ fontSize: 12, fontWeight: 'normal' }}>
                  <SafetyCertificateOutlined /> {t.screenPop.revealedAudited}
                </Typography.Text>
              </Space>
            }
            data-testid={`revealed-${a.number}`}
          >
            <Descriptions.Item label={t.screenPop.fullName}>{r.holderName}</Descriptions.Item>
            <Descriptions.Item label={t.screenPop.fullPhone}>{r.phone}</Descriptions.Item>
            <Descriptions.Item label={t.screenPop.fullAddress}>{r.address}</Descriptions.Item>
          </Descriptions>
        );
      })}
      <CallerContextPanel customerId={customer.id} phone={phone} />
      <RevealModal
        account={revealing}
        onClose={() => setRevealing(null)}
        onRevealed={(id, data) => setRevealed((prev) => ({ ...prev, [id]: data }))}
      />
    </Card>
  );
}

export default function ScreenPopPage() {
  const trpc = useTRPC();
  const [phone, setPhone] = useState<string | null>(null);
  const result = useQuery({ ...trpc.staff.findCustomer.queryOptions({ phone: phone ?? '' }), enabled: !!phone });
  // Keeps the caller's open orders current while the agent is on the call.
  useLiveOrders();

  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          <PhoneOutlined /> {t.screenPop.title}
        </Typography.Title>
        <p className="ps-muted" style={{ marginTop: 0 }}>
          {t.screenPop.desc}
        </p>
        <Form layout="inline" onFinish={(v: { phone: string }) => setPhone(v.phone.trim())}>
          <Form.Item
            name="phone"
            rules={[
              { required: true, message: t.login.phoneRequired },
              { pattern: /^\s*1\d{10}\s*$/, message: t.login.phoneInvalid },
            ]}
          >
            <Input
              prefix={<PhoneOutlined />}
              placeholder={t.screenPop.phonePlaceholder}
              maxLength={11}
              style={{ width: 240 }}
              data-testid="pop-phone"
              allowClear
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={result.isFetching} data-testid="pop-search">
              {t.screenPop.search}
            </Button>
          </Form.Item>
        </Form>
      </Card>

      {result.isError && <Alert type="error" showIcon title={errorMessage(result.error)} data-testid="pop-error" />}
      {result.data && result.data.customers.length === 0 && (
        <Card>
          <Empty description={t.screenPop.notFound} />
        </Card>
      )}
      {result.data?.customers.map((c) => (
        <CustomerCard key={c.id} customer={c} phone={phone ?? ''} />
      ))}
      <CallAssist />
    </>
  );
}
