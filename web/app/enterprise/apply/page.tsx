'use client';

import { BankOutlined, IdcardOutlined, MobileOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Space } from 'antd';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { NewPasswordFields } from '@/components/enterprise/NewPasswordFields';
import { PortalShell } from '@/components/PortalShell';
import { useCountdown } from '@/components/useCountdown';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const PHONE_RE = /^1[3-9]\d{9}$/;
const a = t.ent.apply;

type Values = { companyName: string; creditCode: string; contactName: string; phone: string; code: string; password: string; password2: string };

/** 企业入驻申请 (public): the contact becomes the enterprise's first admin; the licence follows on /enterprise/status. */
export default function EnterpriseApplyPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const countdown = useCountdown();
  const sendCode = useMutation(trpc.auth.sendSmsCode.mutationOptions());
  const signUp = useMutation(trpc.enterprise.signUp.mutationOptions());

  const onSend = async () => {
    setError(null);
    try {
      const { phone } = await form.validateFields(['phone']);
      const res = await sendCode.mutateAsync({ phone });
      countdown.start(res.retryAfterSec > 0 ? res.retryAfterSec : 60);
      message.success(a.codeSent);
    } catch (err) {
      if (err && typeof err === 'object' && 'errorFields' in err) return;
      setError(errorMessage(err));
    }
  };

  const onFinish = async (v: Values) => {
    setError(null);
    try {
      await signUp.mutateAsync({
        companyName: v.companyName.trim(),
        creditCode: v.creditCode.trim().toUpperCase(),
        contactName: v.contactName.trim(),
        phone: v.phone,
        code: v.code,
        password: v.password,
      });
      router.replace('/enterprise/status');
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <PortalShell narrow>
      <Card className="ps-auth-card">
        <div className="ps-auth-head">
          <h2>{a.title}</h2>
          <p>{a.subtitle}</p>
        </div>
        <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item name="companyName" label={a.companyName} rules={[{ required: true, whitespace: true, message: a.required(a.companyName) }]}>
            <Input prefix={<BankOutlined />} placeholder={a.companyNamePh} maxLength={100} />
          </Form.Item>
          <Form.Item
            name="creditCode"
            label={a.creditCode}
            rules={[
              { required: true, whitespace: true, message: a.required(a.creditCode) },
              { pattern: /^[0-9A-Za-z]{18}$/, message: a.creditCodeInvalid },
            ]}
          >
            <Input prefix={<IdcardOutlined />} placeholder={a.creditCodePh} maxLength={18} style={{ textTransform: 'uppercase' }} />
          </Form.Item>
          <Form.Item name="contactName" label={a.contactName} rules={[{ required: true, whitespace: true, message: a.required(a.contactName) }]}>
            <Input prefix={<UserOutlined />} placeholder={a.contactNamePh} maxLength={30} />
          </Form.Item>
          <Form.Item
            name="phone"
            label={a.phone}
            rules={[
              { required: true, message: t.login.phoneRequired },
              { pattern: PHONE_RE, message: t.login.phoneInvalid },
            ]}
          >
            <Input prefix={<MobileOutlined />} placeholder={a.phonePh} maxLength={11} inputMode="numeric" autoComplete="tel" />
          </Form.Item>
          <Form.Item label={a.code} required>
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item
                name="code"
                noStyle
                rules={[
                  { required: true, message: t.login.codeRequired },
                  { pattern: /^\d{6}$/, message: t.login.codeInvalid },
                ]}
              >
                <Input aria-label={a.code} placeholder={a.codePh} maxLength={6} inputMode="numeric" autoComplete="one-time-code" />
              </Form.Item>
              <Button onClick={onSend} loading={sendCode.isPending} disabled={countdown.left > 0} style={{ minWidth: 116 }}>
                {countdown.left > 0 ? a.resend(countdown.left) : a.sendCode}
              </Button>
            </Space.Compact>
          </Form.Item>
          <NewPasswordFields />
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block size="large" loading={signUp.isPending}>
            {a.submit}
          </Button>
        </Form>
        <div className="ps-muted" style={{ textAlign: 'center', marginTop: 12, fontSize: 13 }}>
          {a.loginHint}
        </div>
        <div style={{ display: 'flex', justifyContent: 'center', gap: 16, marginTop: 12, fontSize: 13 }}>
          <Link href="/login/enterprise">{a.hasAccount}</Link>
        </div>
      </Card>
    </PortalShell>
  );
}
