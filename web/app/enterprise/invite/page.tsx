'use client';

import { MobileOutlined, SafetyOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input } from 'antd';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { NewPasswordFields } from '@/components/enterprise/NewPasswordFields';
import { PortalShell } from '@/components/PortalShell';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const a = t.ent.apply;
const v = t.ent.invite;

type Values = { phone: string; code: string; password: string; password2: string };

/** 接受企业邀请 (public): the invitee proves the phone with the SMS code and sets a password; then signed in. */
export default function EnterpriseInvitePage() {
  const trpc = useTRPC();
  const router = useRouter();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const accept = useMutation(trpc.enterprise.acceptInvite.mutationOptions());

  const onFinish = async (values: Values) => {
    setError(null);
    try {
      await accept.mutateAsync({ phone: values.phone, code: values.code, password: values.password });
      message.success(v.done);
      router.replace('/home');
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <PortalShell narrow>
      <Card className="ps-auth-card">
        <div className="ps-auth-head">
          <h2>{v.title}</h2>
          <p>{v.subtitle}</p>
        </div>
        <Form layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item
            name="phone"
            label={v.phone}
            rules={[
              { required: true, message: t.login.phoneRequired },
              { pattern: /^1[3-9]\d{9}$/, message: t.login.phoneInvalid },
            ]}
          >
            <Input prefix={<MobileOutlined />} maxLength={11} inputMode="numeric" autoComplete="tel" />
          </Form.Item>
          <Form.Item
            name="code"
            label={v.code}
            rules={[
              { required: true, message: t.login.codeRequired },
              { pattern: /^\d{6}$/, message: t.login.codeInvalid },
            ]}
          >
            <Input prefix={<SafetyOutlined />} placeholder={v.codePh} maxLength={6} inputMode="numeric" autoComplete="one-time-code" />
          </Form.Item>
          <NewPasswordFields />
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block size="large" loading={accept.isPending}>
            {v.submit}
          </Button>
        </Form>
        <div style={{ display: 'flex', justifyContent: 'center', gap: 16, marginTop: 16, fontSize: 13 }}>
          <Link href="/login/enterprise">{a.hasAccount}</Link>
        </div>
      </Card>
    </PortalShell>
  );
}
