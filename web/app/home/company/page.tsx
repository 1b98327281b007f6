'use client';

import { BankOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Skeleton, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { CustomerGate } from '@/components/CustomerGate';
import { HeaderUser } from '@/components/HeaderUser';
import { PortalShell } from '@/components/PortalShell';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const c = t.ent.company;
type TitleValues = { title: string; taxId: string; registeredAddress?: string; registeredPhone?: string; bankName?: string; bankAccount?: string };

function Company() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const company = useQuery(trpc.enterprise.company.queryOptions());
  const save = useMutation(trpc.enterprise.updateInvoiceTitle.mutationOptions());
  const [form] = Form.useForm<TitleValues>();
  const d = company.data;

  useEffect(() => {
    if (d) {
      const it = d.invoiceTitle;
      form.setFieldsValue({
        title: it.title,
        taxId: it.taxId,
        registeredAddress: it.registeredAddress ?? '',
        registeredPhone: it.registeredPhone ?? '',
        bankName: it.bankName ?? '',
        bankAccount: it.bankAccount ?? '',
      });
    }
  }, [d, form]);

  const onFinish = async (v: TitleValues) => {
    try {
      await save.mutateAsync({
        title: v.title.trim(),
        taxId: v.taxId.trim().toUpperCase(),
        registeredAddress: v.registeredAddress?.trim() || null,
        registeredPhone: v.registeredPhone?.trim() || null,
        bankName: v.bankName?.trim() || null,
        bankAccount: v.bankAccount?.trim() || null,
      });
      message.success(c.saved);
      await queryClient.invalidateQueries({ queryKey: trpc.enterprise.company.queryKey() });
    } catch (err) {
      message.error(errorMessage(err));
    }
  };

  if (company.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (company.isError) return <Alert type="error" showIcon title={errorMessage(company.error)} />;
  if (!d) return null;
  const readOnly = !d.canEdit;
  const show = (v: string | null) => v || <span className="ps-muted">{c.empty}</span>;

  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          <BankOutlined /> {c.title}
        </Typography.Title>
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <Descriptions.Item label={c.name}>
            <span data-testid="company-name">{d.name}</span>
          </Descriptions.Item>
          <Descriptions.Item label={c.creditCode}>{d.creditCode}</Descriptions.Item>
          <Descriptions.Item label={c.tier}>{t.enums.tier[d.tier] ?? d.tier}</Descriptions.Item>
          <Descriptions.Item label={c.status}>
            <Tag color={d.status === 'verified' ? 'green' : 'orange'}>{t.ent.status[d.status]}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={c.accounts}>{d.accountCount}</Descriptions.Item>
          <Descriptions.Item label={c.manager}>
            {d.accountManager ? (
              <span>
                {d.accountManager.name}
                {d.accountManager.workPhone && (
                  <span className="ps-muted" style={{ marginLeft: 8 }}>
                    {c.managerPhone}：{d.accountManager.workPhone}
                  </span>
                )}
              </span>
            ) : (
              <span className="ps-muted">{c.noManager}</span>
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card
        title={c.invoiceTitle}
        extra={d.invoiceTitle.specialReady ? <Tag color="green">{c.specialReady}</Tag> : <Tag color="orange">{c.specialMissing}</Tag>}
      >
        <p className="ps-muted" style={{ marginTop: 0 }}>
          {c.invoiceDesc}
        </p>
        {readOnly ? (
          <>
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label={c.titleLabel}>{d.invoiceTitle.title}</Descriptions.Item>
              <Descriptions.Item label={c.taxId}>{d.invoiceTitle.taxId}</Descriptions.Item>
              <Descriptions.Item label={c.registeredAddress}>{show(d.invoiceTitle.registeredAddress)}</Descriptions.Item>
              <Descriptions.Item label={c.registeredPhone}>{show(d.invoiceTitle.registeredPhone)}</Descriptions.Item>
              <Descriptions.Item label={c.bankName}>{show(d.invoiceTitle.bankName)}</Descriptions.Item>
              <Descriptions.Item label={c.bankAccount}>{show(d.invoiceTitle.bankAccount)}</Descriptions.Item>
            </Descriptions>
            <div className="ps-muted" style={{ marginTop: 8 }}>
              {c.readonly}
            </div>
          </>
        ) : (
          <Form form={form} layout="vertical" onFinish={onFinish} style={{ maxWidth: 560 }}>
            <Form.Item name="title" label={c.titleLabel} rules={[{ required: true, whitespace: true, message: t.ent.apply.required(c.titleLabel) }]}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="taxId" label={c.taxId} rules={[{ required: true, whitespace: true, message: t.ent.apply.required(c.taxId) }]}>
              <Input maxLength={18} />
            </Form.Item>
            <Form.Item name="registeredAddress" label={c.registeredAddress}>
              <Input maxLength={150} />
            </Form.Item>
            <Form.Item name="registeredPhone" label={c.registeredPhone}>
              <Input maxLength={20} />
            </Form.Item>
            <Form.Item name="bankName" label={c.bankName}>
              <Input maxLength={60} />
            </Form.Item>
            <Form.Item name="bankAccount" label={c.bankAccount}>
              <Input maxLength={40} inputMode="numeric" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {c.save}
            </Button>
          </Form>
        )}
      </Card>
    </>
  );
}

export default function CompanyPage() {
  return (
    <CustomerGate>
      {(me) => (
        <PortalShell right={<HeaderUser me={me} />}>
          <Company />
        </PortalShell>
      )}
    </CustomerGate>
  );
}
