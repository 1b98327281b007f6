'use client';

import { ThunderboltOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Form, Input, Radio, Select, Skeleton, Typography } from 'antd';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { Suspense, useState } from 'react';
import type { Me } from '@/components/CustomerGate';
import { CustomerPage } from '@/components/CustomerPage';
import { ArticleSuggestions, SafetyTips, SolvedResult } from '@/components/knowledge/ArticleSuggestions';
import { OutageCard } from '@/components/outages/OutageBits';
import { useFileOrder } from '@/components/workorders/useFileOrder';
import { PhotoPicker } from '@/components/workorders/PhotoPicker';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import type { OutageBrief } from '@/lib/outages';
import { useTRPC } from '@/lib/trpc';

type Values = { accountId: string; faultKind: string; description: string; contactPhone: string };

const DANGER = ['sparking'];

/** The outage to tell about before filing: one in progress, else the next one announced. */
function relevantOutage(outages: OutageBrief[]): OutageBrief | null {
  const active = outages.find((o) => o.phase === 'active');
  if (active) return active;
  return [...outages].filter((o) => o.phase === 'upcoming').sort((a, b) => Date.parse(a.startAt) - Date.parse(b.startAt))[0] ?? null;
}

/** A known outage covering the chosen account's transformer area, with its ETR, shown before the report is filed. */
function KnownOutage({ outage }: { outage: OutageBrief }) {
  const active = outage.phase === 'active';
  return (
    <Alert
      type={active ? 'warning' : 'info'}
      showIcon
      icon={<ThunderboltOutlined />}
      style={{ marginBottom: 16 }}
      role="status"
      title={`${active ? t.customer.outageActive : t.customer.outageUpcoming}：${outage.etrText}`}
      description={
        <div>
          <div style={{ marginBottom: 8 }}>{active ? t.customer.outageActiveHint : t.customer.outageUpcomingHint}</div>
          <OutageCard outage={outage} href={`/outages/${outage.id}`} />
        </div>
      }
    />
  );
}

function RepairForm({ me }: { me: Me }) {
  const trpc = useTRPC();
  const accounts = useQuery(trpc.account.list.queryOptions());
  // Known outages per account (never blocks the form: the API links a report to an outage in progress anyway).
  const outages = useQuery({ ...trpc.outage.mine.queryOptions(), refetchInterval: 60_000 });
  const params = useSearchParams();
  const filing = useFileOrder();
  const [form] = Form.useForm<Values>();
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const faultKind = Form.useWatch('faultKind', form);
  const accountId = Form.useWatch('accountId', form);
  const description = Form.useWatch('description', form);
  const [solved, setSolved] = useState(false); // knowledge: 问题已解决 on a suggested article
  const maskedPhone = me.phoneMasked ?? '';

  if (accounts.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (accounts.isError) return <Alert type="error" showIcon title={errorMessage(accounts.error)} />;
  if (solved) return <SolvedResult />;
  if (accounts.data.length === 0) {
    return (
      <Card>
        <Empty description={t.portal.noAccounts}>
          {me.roles.includes('resident') && (
            <Link href="/home/bind">
              <Button type="primary">{t.home.bindNow}</Button>
            </Link>
          )}
        </Empty>
      </Card>
    );
  }

  const preset = params.get('account');
  const initialAccount = accounts.data.length === 1 ? accounts.data[0].id : accounts.data.some((a) => a.id === preset) ? preset! : undefined;
  const known = accountId ? relevantOutage(outages.data?.find((o) => o.accountId === accountId)?.outages ?? []) : null;

  const submit = (v: Values) =>
    filing.submit({
      type: 'fault_repair',
      accountId: v.accountId,
      faultKind: v.faultKind as 'whole_house_outage',
      description: v.description.trim(),
      photos,
      contactPhone: v.contactPhone,
    });

  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t.portal.repairTitle}
      </Typography.Title>
      <p className="ps-muted">{t.portal.repairIntro}</p>
      <SafetyTips />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ accountId: initialAccount, contactPhone: maskedPhone }}
        data-testid="repair-form"
      >
        <Form.Item name="accountId" label={t.portal.chooseAccount} rules={[{ required: true, message: t.portal.chooseAccountRequired }]}>
          <Select
            data-testid="repair-account"
            // An enterprise picks one of many sites (within its scope): typing a number or an area narrows the list.
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t.portal.chooseAccountRequired}
            options={accounts.data.map((a) => ({
              value: a.id,
              label: `${a.number} · ${a.holderNameMasked} · ${a.transformerAreaName}`,
            }))}
            optionRender={(o) => <span data-testid={`account-option-${accounts.data.find((a) => a.id === o.value)?.number}`}>{o.label}</span>}
          />
        </Form.Item>
        {known && <KnownOutage outage={known} />}
        <Form.Item name="faultKind" label={t.portal.faultKind} rules={[{ required: true, message: t.portal.faultKindRequired }]}>
          <Radio.Group data-testid="repair-kind">
            {t.wo.faultKindsForCustomer.map((k) => (
              <Radio.Button key={k.value} value={k.value} style={{ marginBottom: 6 }}>
                <span data-testid={`fault-kind-${k.value}`}>{k.label}</span>
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {DANGER.includes(faultKind) && (
          <Alert type="error" showIcon icon={<WarningOutlined />} title={t.wo.dangerTip} style={{ marginBottom: 16 }} data-testid="danger-tip" />
        )}
        <Form.Item
          name="description"
          label={t.portal.description}
          rules={[
            { required: true, message: t.portal.descriptionRequired },
            { min: 5, whitespace: true, message: t.portal.descriptionRequired },
          ]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t.portal.descriptionPlaceholder} data-testid="repair-description" />
        </Form.Item>
        <ArticleSuggestions text={description} source="fault" onSolved={() => setSolved(true)} />
        <Form.Item label={t.portal.photos}>
          <PhotoPicker max={3} onChange={setPhotos} onBusy={setUploading} />
        </Form.Item>
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
          <Input maxLength={11} data-testid="repair-phone" onFocus={(e) => e.target.value === maskedPhone && e.target.select()} />
        </Form.Item>
        {filing.error && <Alert type="error" showIcon title={filing.error} style={{ marginBottom: 16 }} data-testid="repair-error" />}
        <Button type="primary" htmlType="submit" block size="large" loading={filing.pending} disabled={uploading} data-testid="repair-submit">
          {t.portal.submit}
        </Button>
      </Form>
    </Card>
  );
}

export default function RepairPage() {
  return (
    <CustomerPage>
      {(me) => (
        <Suspense>
          <RepairForm me={me} />
        </Suspense>
      )}
    </CustomerPage>
  );
}
