'use client';

import { LockOutlined, MobileOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Space } from 'antd';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { PortalShell } from '@/components/PortalShell';
import { useCountdown } from '@/components/useCountdown';
import { errorMessage } from '@/lib/errors';
import { nextPath } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const PHONE_RE = /^1\d{10}$/;

export default function ResidentLoginPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ phone: string; code: string }>();
  const [error, setError] = useState<string | null>(null);
  const countdown = useCountdown();

  const sendCode = useMutation(trpc.auth.sendSmsCode.mutationOptions());
  const login = useMutation(trpc.auth.smsLogin.mutationOptions());

  const onSend = async () => {
    setError(null);
    try {
      const { phone } = await form.validateFields(['phone']);
      const res = await sendCode.mutateAsync({ phone });
      countdown.start(res.retryAfterSec > 0 ? res.retryAfterSec : 60);
      message.success(t.login.codeSent);
    } catch (err) {
      if (err && typeof err === 'object' && 'errorFields' in err) return; // form validation
      setError(errorMessage(err));
    }
  };

  const onFinish = async (values: { phone: string; code: string }) => {
    setError(null);
    try {
      const res = await login.mutateAsync({ phone: values.phone, code: values.code });
      router.replace(res.user.kind === 'staff' ? '/staff' : nextPath('/home'));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <PortalShell narrow>
      <Card className="ps-auth-card">
        <div className="ps-auth-head">
          <h2>{t.login.residentTitle}</h2>
          <p>{t.login.residentSubtitle}</p>
        </div>
        <Form form={form} layout="vertical" size="large" onFinish={onFinish} requiredMark={false}>
          <Form.Item
            name="phone"
            label={t.login.phone}
            rules={[
              { required: true, message: t.login.phoneRequired },
              { pattern: PHONE_RE, message: t.login.phoneInvalid },
            ]}
          >
            <Input
              prefix={<MobileOutlined />}
              placeholder={t.login.phonePlaceholder}
              maxLength={11}
              inputMode="numeric"
              autoComplete="tel"
              data-testid="phone"
            />
          </Form.Item>
          <Form.Item label={t.login.code} required>
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item
                name="code"
                noStyle
                rules={[
                  { required: true, message: t.login.codeRequired },
                  { pattern: /^\d{6}$/, message: t.login.codeInvalid },
                ]}
              >
                <Input
                  prefix={<LockOutlined />}
                  placeholder={t.login.codePlaceholder}
                  maxLength={6}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  data-testid="sms-code"
                />
              </Form.Item>
              <Button
                onClick={onSend}
                loading={sendCode.isPending}
                disabled={countdown.left > 0}
                data-testid="send-code"
                id="send-code"
                style={{ minWidth: 116 }}
              >
                {countdown.left > 0 ? t.login.resend(countdown.left) : t.login.sendCode}
              </Button>
            </Space.Compact>
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
          <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit" id="login-submit">
            {t.login.submit}
          </Button>
        </Form>
        <div className="ps-muted" style={{ textAlign: 'center', marginTop: 16 }}>
          {t.login.agreement}
        </div>
        <div style={{ display: 'flex', justifyContent: 'center', gap: 16, marginTop: 12, fontSize: 13 }}>
          <Link href="/login/enterprise">{t.login.toEnterprise}</Link>
          <Link href="/staff/login">{t.login.toStaff}</Link>
        </div>
      </Card>
    </PortalShell>
  );
}
