'use client';

import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

export type LoggedInUser = { kind: string; roles: readonly string[]; displayName: string };

/**
 * Username + password form (enterprise users and staff). `onSuccess` decides where to go;
 * returning a string shows it as an error instead (e.g. wrong kind of account).
 */
export function PasswordLoginForm({ onSuccess }: { onSuccess: (user: LoggedInUser) => Promise<string | null> | string | null }) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const login = useMutation(trpc.auth.passwordLogin.mutationOptions());

  const onFinish = async (values: { username: string; password: string }) => {
    setError(null);
    try {
      const res = await login.mutateAsync({ username: values.username.trim(), password: values.password });
      const problem = await onSuccess(res.user);
      if (problem) setError(problem);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <Form layout="vertical" size="large" onFinish={onFinish} requiredMark={false}>
      <Form.Item name="username" label={t.login.username} rules={[{ required: true, whitespace: true, message: t.login.usernameRequired }]}>
        <Input prefix={<UserOutlined />} placeholder={t.login.usernamePlaceholder} autoComplete="username" data-testid="username" />
      </Form.Item>
      <Form.Item name="password" label={t.login.password} rules={[{ required: true, message: t.login.passwordRequired }]}>
        <Input.Password prefix={<LockOutlined />} placeholder={t.login.passwordPlaceholder} autoComplete="current-password" data-testid="password" />
      </Form.Item>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
      <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit" id="login-submit">
        {t.login.submit}
      </Button>
    </Form>
  );
}
