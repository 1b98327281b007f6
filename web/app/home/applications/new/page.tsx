'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { APPLICATION_KIND_LABELS, CAPACITY_DIRECTION_LABELS } from '@power/api/labels';
import { Alert, Button, Card, Form, Input, InputNumber, Radio, Select, Skeleton, Typography } from 'antd';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useMemo, useState } from 'react';
import type { Me } from '@/components/CustomerGate';
import { CustomerPage } from '@/components/CustomerPage';
import { DocumentPicker } from '@/components/DocumentPicker';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import type { FileView } from '@/lib/upload';
import { newRequestId } from '@/lib/workorders';

/** DocumentPicker's own file input is meant to stay hidden (its button opens it); keep it so inside this form. */
const HIDE_FILE_INPUT = '.ps-apply-docs input[type=file]{display:none}';
const KINDS = ['new_connection', 'capacity_change', 'meter_check', 'name_change'] as const;
type Kind = (typeof KINDS)[number];
type Values = {
  accountId?: string;
  address?: string;
  supplyClass?: 'residential' | 'lv_non_residential' | 'hv_single' | 'hv_dual';
  capacityKva?: number;
  capacityDirection?: 'increase' | 'decrease';
  newHolderName?: string;
  reason: string;
  contactName: string;
  contactPhone: string;
};

function NewApplication({ me }: { me: Me }) {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const kind: Kind = (KINDS as readonly string[]).includes(params.get('kind') ?? '') ? (params.get('kind') as Kind) : 'new_connection';
  const spec = useQuery(trpc.application.formSpec.queryOptions({ kind }));
  const accounts = useQuery(trpc.account.list.queryOptions());
  const submit = useMutation(trpc.application.submit.mutationOptions());
  const [docs, setDocs] = useState<Record<string, FileView[]>>({});
  const [busy, setBusy] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const requestId = useMemo(() => newRequestId(), []);

  if (spec.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (spec.isError) return <Alert type="error" showIcon title={errorMessage(spec.error)} />;
  const s = spec.data;

  const onFinish = async (v: Values) => {
    setError(null);
    const missing = s.documents.find((d) => d.required && !(docs[d.kind]?.length > 0));
    if (missing) {
      setError(t.apply.docRequired(missing.label));
      return;
    }
    try {
      const r = await submit.mutateAsync({
        kind,
        accountId: v.accountId ?? null,
        address: v.address ?? null,
        supplyClass: v.supplyClass ?? null,
        capacityKva: v.capacityKva ?? null,
        capacityDirection: v.capacityDirection ?? null,
        newHolderName: v.newHolderName ?? null,
        reason: v.reason,
        contactName: v.contactName,
        contactPhone: v.contactPhone,
        documents: Object.entries(docs).flatMap(([k, files]) => files.map((f) => ({ kind: k as 'id_card', fileId: f.id }))),
        channel: 'web',
        requestId,
      });
      router.push(`/home/applications/${r.id}`);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t.apply.formTitle(APPLICATION_KIND_LABELS[kind])}
      </Typography.Title>
      <p className="ps-muted">{t.apply.kindHints[kind]}</p>
      <Form<Values>
        className="ps-apply-docs"
        layout="vertical"
        onFinish={onFinish}
        initialValues={{
          contactName: me.displayName,
          supplyClass: s.supplyClasses[0]?.value,
          capacityDirection: kind === 'capacity_change' ? 'increase' : undefined,
        }}
        style={{ maxWidth: 640 }}
      >
        {s.needs.account && (
          <Form.Item name="accountId" label={t.apply.account} rules={[{ required: true, message: t.apply.accountPh }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t.apply.accountPh}
              loading={accounts.isPending}
              options={(accounts.data ?? []).map((a) => ({ value: a.id, label: `${a.number} ${a.addressMasked ?? ''}` }))}
            />
          </Form.Item>
        )}
        {s.needs.address && (
          <Form.Item name="address" label={t.apply.address} rules={[{ required: true, message: t.apply.addressPh }]}>
            <Input placeholder={t.apply.addressPh} maxLength={200} />
          </Form.Item>
        )}
        {s.supplyClasses.length > 0 && (
          <Form.Item name="supplyClass" label={t.apply.supplyClass}>
            <Radio.Group options={s.supplyClasses} />
          </Form.Item>
        )}
        {kind === 'capacity_change' && (
          <Form.Item name="capacityDirection" label={t.apply.direction}>
            <Radio.Group options={(['increase', 'decrease'] as const).map((d) => ({ value: d, label: CAPACITY_DIRECTION_LABELS[d] }))} />
          </Form.Item>
        )}
        {s.needs.capacity && (
          <Form.Item name="capacityKva" label={t.apply.capacity} rules={[{ required: true, message: t.apply.capacity }]}>
            <InputNumber min={1} max={100000} precision={0} style={{ width: 200 }} />
          </Form.Item>
        )}
        {s.needs.newHolder && (
          <Form.Item name="newHolderName" label={t.apply.newHolder} rules={[{ required: true, message: t.apply.newHolder }]}>
            <Input maxLength={100} />
          </Form.Item>
        )}
        <Form.Item name="reason" label={t.apply.reason} rules={[{ required: true, message: t.apply.reasonPh }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t.apply.reasonPh} />
        </Form.Item>
        <Form.Item name="contactName" label={t.apply.contactName} rules={[{ required: true, message: t.apply.contactName }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="contactPhone"
          label={t.apply.contactPhone}
          rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: t.login.phoneInvalid }]}
        >
          <Input maxLength={11} inputMode="numeric" />
        </Form.Item>
        <Typography.Title level={5}>{t.apply.documents}</Typography.Title>
        <p className="ps-muted">{t.apply.docsHint}</p>
        <style>{HIDE_FILE_INPUT}</style>
        {s.documents.map((d) => (
          <Form.Item key={d.kind} label={d.label} required={d.required}>
            <DocumentPicker
              purpose="application_doc"
              label={t.apply.uploadDoc(d.label)}
              value={docs[d.kind] ?? []}
              onChange={(files) => setDocs((cur) => ({ ...cur, [d.kind]: files }))}
              onBusy={(b) => setBusy((n) => n + (b ? 1 : -1))}
            />
          </Form.Item>
        ))}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={submit.isPending} disabled={busy > 0}>
          {t.apply.submit}
        </Button>
      </Form>
    </Card>
  );
}

export default function NewApplicationPage() {
  return (
    <CustomerPage back="/home/applications" backLabel={t.apply.back}>
      {(me) => (
        <Suspense>
          <NewApplication me={me} />
        </Suspense>
      )}
    </CustomerPage>
  );
}
