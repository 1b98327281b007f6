'use client';

import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Radio, Select, Skeleton, Typography } from 'antd';
import { useSearchParams } from 'next/navigation';
import { Suspense, useState } from 'react';
import { ArticleSuggestions, SolvedResult } from '@/components/knowledge/ArticleSuggestions';
import type { Me } from '@/components/CustomerGate';
import { CustomerPage } from '@/components/CustomerPage';
import { useFileOrder } from '@/components/workorders/useFileOrder';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const REQUEST_TYPES = ['consultation', 'complaint', 'report', 'opinion', 'praise'] as const;
type RequestType = (typeof REQUEST_TYPES)[number];
type Values = { type: RequestType; category: string; accountId?: string; description: string; contactPhone: string };

function RequestForm({ me }: { me: Me }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const categories = useQuery(trpc.workorder.categories.queryOptions());
  const accounts = useQuery(trpc.account.list.queryOptions());
  const filing = useFileOrder();
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form);
  const description = Form.useWatch('description', form);
  const [solved, setSolved] = useState(false); // knowledge: 问题已解决 on a suggested article
  const maskedPhone = me.phoneMasked ?? '';
  const initialType = (REQUEST_TYPES as readonly string[]).includes(params.get('type') ?? '') ? (params.get('type') as RequestType) : 'consultation';

  if (categories.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (categories.isError) return <Alert type="error" showIcon title={errorMessage(categories.error)} />;
  if (solved) return <SolvedResult />;

  const types = categories.data.filter((c) => (REQUEST_TYPES as readonly string[]).includes(c.type));
  const cats = types.find((c) => c.type === (type ?? initialType))?.categories ?? [];

  const submit = (v: Values) =>
    filing.submit({
      type: v.type,
      category: v.category,
      accountId: v.accountId || null,
      description: v.description.trim(),
      contactPhone: v.contactPhone,
    });

  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t.portal.requestTitle}
      </Typography.Title>
      <p className="ps-muted">{t.portal.requestIntro}</p>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ type: initialType, contactPhone: maskedPhone }}
        onValuesChange={(changed) => {
          if ('type' in changed) form.setFieldValue('category', undefined);
        }}
        data-testid="request-form"
      >
        <Form.Item name="type" label={t.portal.requestType} rules={[{ required: true, message: t.portal.requestTypeRequired }]}>
          <Radio.Group data-testid="request-type">
            {types.map((c) => (
              <Radio.Button key={c.type} value={c.type} style={{ marginBottom: 6 }}>
                <span data-testid={`request-type-${c.type}`}>{t.wo.type[c.type] ?? c.label}</span>
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="category" label={t.portal.category} rules={[{ required: true, message: t.portal.categoryRequired }]}>
          <Radio.Group data-testid="request-category">
            {cats.map((c) => (
              <Radio.Button key={c} value={c} style={{ marginBottom: 6 }}>
                <span data-testid={`category-${c}`}>{c}</span>
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {accounts.data && accounts.data.length > 0 && (
          <Form.Item name="accountId" label={t.portal.relatedAccount}>
            <Select
              allowClear
              data-testid="request-account"
              options={accounts.data.map((a) => ({ value: a.id, label: `${a.number} · ${a.holderNameMasked}` }))}
            />
          </Form.Item>
        )}
        <Form.Item
          name="description"
          label={t.portal.description}
          rules={[
            { required: true, message: t.portal.descriptionRequired },
            { min: 5, whitespace: true, message: t.portal.descriptionRequired },
          ]}
        >
          <Input.TextArea rows={5} maxLength={2000} showCount data-testid="request-description" />
        </Form.Item>
        {(type ?? initialType) === 'consultation' && <ArticleSuggestions text={description} source="consultation" onSolved={() => setSolved(true)} />}
        <Form.Item
          name="contactPhone"
          label={t.portal.contactPhone}
          extra={t.portal.contactPhoneHelp}
          rules={[
            {
              validator: (_, v: string) =>
                !v || v === maskedPhone || /^1\d{10}$/.test(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t.portal.contactPhoneInvalid)),
            },
          ]}
        >
          <Input maxLength={11} data-testid="request-phone" />
        </Form.Item>
        {filing.error && <Alert type="error" showIcon title={filing.error} style={{ marginBottom: 16 }} data-testid="request-error" />}
        <Button type="primary" htmlType="submit" block size="large" loading={filing.pending} data-testid="request-submit">
          {t.portal.submit}
        </Button>
      </Form>
    </Card>
  );
}

export default function RequestPage() {
  return (
    <CustomerPage>
      {(me) => (
        <Suspense>
          <RequestForm me={me} />
        </Suspense>
      )}
    </CustomerPage>
  );
}
