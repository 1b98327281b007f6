'use client';

import { ArrowLeftOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Radio, Space, Tabs } from 'antd';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useState } from 'react';
import { Forbidden } from '@/components/common';
import { CustomerGate } from '@/components/CustomerGate';
import { PortalShell } from '@/components/PortalShell';
import { useCountdown } from '@/components/useCountdown';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC, useTRPCClient } from '@/lib/trpc';

type Relation = 'self' | 'family' | 'tenant';
type Found = { number: string; holderNameMasked: string; phoneOnFile: boolean };

const RELATIONS: Relation[] = ['self', 'family', 'tenant'];

function RelationField({ testId }: { testId: string }) {
  return (
    <Form.Item name="relation" label={t.bind.relation} rules={[{ required: true, message: t.bind.relationRequired }]}>
      <Radio.Group optionType="button" buttonStyle="solid" data-testid={testId}>
        {RELATIONS.map((r) => (
          <Radio.Button key={r} value={r} data-testid={`${testId}-${r}`}>
            {t.enums.relation[r]}
          </Radio.Button>
        ))}
      </Radio.Group>
    </Form.Item>
  );
}

function BindFlow() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { message } = App.useApp();

  const [found, setFound] = useState<Found | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [looking, setLooking] = useState(false);
  const [bindError, setBindError] = useState<string | null>(null);
  const [codeInfo, setCodeInfo] = useState<string | null>(null);
  const countdown = useCountdown();
  // /home/bind?number=…&upgrade=1 (from an account card): verify as 户主 with the code to the phone on file.
  const params = useSearchParams();
  const presetNumber = params.get('number') ?? '';
  const upgrade = params.get('upgrade') === '1' && /^\d{13}$/.test(presetNumber);
  const [tab, setTab] = useState(upgrade ? 'code' : 'name');
  const [form] = Form.useForm();

  const bind = useMutation(trpc.account.bind.mutationOptions());
  const sendBindCode = useMutation(trpc.account.sendBindCode.mutationOptions());
  const bindWithCode = useMutation(trpc.account.bindWithCode.mutationOptions());

  const onLookup = async ({ number }: { number: string }) => {
    setLookupError(null);
    setBindError(null);
    setCodeInfo(null);
    setFound(null);
    setLooking(true);
    try {
      setFound(await client.account.lookup.query({ number: number.trim() }));
    } catch (err) {
      setLookupError(errorMessage(err));
    } finally {
      setLooking(false);
    }
  };

  useEffect(() => {
    if (!upgrade) return;
    form.setFieldsValue({ number: presetNumber });
    void onLookup({ number: presetNumber });
    // Once, for the number in the link.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const done = async (level: 'follow' | 'holder' = 'follow') => {
    await queryClient.invalidateQueries({ queryKey: trpc.account.list.queryKey() });
    message.success(upgrade && level === 'holder' ? t.bind.upgraded : t.bind.success);
    router.push('/home');
  };

  const onBindByName = async (v: { holderName: string; relation: Relation }) => {
    if (!found) return;
    setBindError(null);
    try {
      await bind.mutateAsync({ number: found.number, holderName: v.holderName.trim(), relation: v.relation });
      await done();
    } catch (err) {
      setBindError(errorMessage(err));
    }
  };

  const onSendCode = async () => {
    if (!found) return;
    setBindError(null);
    try {
      const res = await sendBindCode.mutateAsync({ number: found.number });
      setCodeInfo(t.bind.codeSentTo(res.phoneMasked));
      countdown.start(60);
    } catch (err) {
      setBindError(errorMessage(err));
    }
  };

  const onBindByCode = async (v: { code: string; relation: Relation }) => {
    if (!found) return;
    setBindError(null);
    try {
      const bound = await bindWithCode.mutateAsync({ number: found.number, code: v.code.trim(), relation: v.relation });
      await done(bound.level);
    } catch (err) {
      setBindError(errorMessage(err));
    }
  };

  const errorBox = bindError && <Alert type="error" showIcon title={bindError} style={{ marginBottom: 16 }} data-testid="bind-error" />;

  return (
    <Card
      title={upgrade ? t.bind.upgradeTitle : t.bind.title}
      extra={
        <Link href="/home">
          <ArrowLeftOutlined /> {t.bind.back}
        </Link>
      }
    >
      <p className="ps-muted" style={{ marginTop: 0 }}>
        {upgrade ? t.bind.upgradeDesc : t.bind.desc}
      </p>
      {!upgrade && <Alert type="info" showIcon title={t.bind.levelsHint} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={onLookup} requiredMark={false}>
        <Form.Item label={t.bind.number} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item
              name="number"
              noStyle
              rules={[
                { required: true, message: t.bind.numberRequired },
                { pattern: /^\s*\d{13}\s*$/, message: t.bind.numberInvalid },
              ]}
            >
              <Input
                placeholder={t.bind.numberPlaceholder}
                maxLength={13}
                inputMode="numeric"
                data-testid="bind-number"
                onChange={() => setFound(null)}
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={looking} data-testid="bind-lookup">
              {t.bind.lookup}
            </Button>
          </Space.Compact>
        </Form.Item>
      </Form>
      {lookupError && <Alert type="error" showIcon title={lookupError} data-testid="lookup-error" />}

      {found && (
        <>
          <Descriptions size="small" bordered column={1} style={{ marginBottom: 16 }} title={t.bind.found}>
            <Descriptions.Item label={t.bind.number}>{found.number}</Descriptions.Item>
            <Descriptions.Item label={t.bind.holderMasked}>
              <span data-testid="bind-holder-masked">{found.holderNameMasked}</span>
            </Descriptions.Item>
          </Descriptions>

          <Tabs
            activeKey={tab}
            items={[
              {
                key: 'name',
                label: t.bind.byName,
                children: (
                  <Form layout="vertical" onFinish={onBindByName} initialValues={{ relation: 'self' }} requiredMark={false}>
                    <Form.Item
                      name="holderName"
                      label={t.bind.holderName}
                      rules={[{ required: true, whitespace: true, message: t.bind.holderNameRequired }]}
                    >
                      <Input placeholder={t.bind.holderNamePlaceholder} data-testid="bind-holder" autoComplete="off" />
                    </Form.Item>
                    <RelationField testId="bind-relation" />
                    {errorBox}
                    <Button type="primary" htmlType="submit" block loading={bind.isPending} data-testid="bind-submit">
                      {t.bind.submit}
                    </Button>
                  </Form>
                ),
              },
              {
                key: 'code',
                label: t.bind.byCode,
                children: found.phoneOnFile ? (
                  <Form layout="vertical" onFinish={onBindByCode} initialValues={{ relation: 'self' }} requiredMark={false}>
                    <Form.Item label={t.bind.code} required extra={codeInfo}>
                      <Space.Compact style={{ width: '100%' }}>
                        <Form.Item
                          name="code"
                          noStyle
                          rules={[
                            { required: true, message: t.login.codeRequired },
                            { pattern: /^\s*\d{6}\s*$/, message: t.login.codeInvalid },
                          ]}
                        >
                          <Input maxLength={6} inputMode="numeric" placeholder={t.login.codePlaceholder} data-testid="bind-code" />
                        </Form.Item>
                        <Button onClick={onSendCode} loading={sendBindCode.isPending} disabled={countdown.left > 0} data-testid="bind-send-code">
                          {countdown.left > 0 ? t.login.resend(countdown.left) : t.bind.sendCode}
                        </Button>
                      </Space.Compact>
                    </Form.Item>
                    <RelationField testId="bind-code-relation" />
                    {errorBox}
                    <Button type="primary" htmlType="submit" block loading={bindWithCode.isPending} data-testid="bind-code-submit">
                      {t.bind.submit}
                    </Button>
                  </Form>
                ) : (
                  <Alert type="warning" showIcon title={t.bind.noPhoneOnFile} />
                ),
              },
            ]}
            onChange={(k) => {
              setTab(k);
              setBindError(null);
            }}
          />
        </>
      )}
    </Card>
  );
}

export default function BindPage() {
  return (
    <CustomerGate>
      {(me) => (
        <PortalShell narrow>
          {me.roles.includes('resident') ? (
            <Suspense>
              <BindFlow />
            </Suspense>
          ) : (
            <Forbidden desc={t.bind.residentOnly} homeHref="/home" />
          )}
        </PortalShell>
      )}
    </CustomerGate>
  );
}
