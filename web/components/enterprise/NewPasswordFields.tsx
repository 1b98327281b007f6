'use client';

import { LockOutlined } from '@ant-design/icons';
import { Form, Input } from 'antd';
import { t } from '@/lib/i18n';

const a = t.ent.apply;

/** A new password and its confirmation, inside an antd Form (sign-up and invitation acceptance): ≥ 8 with letters and digits. */
export function NewPasswordFields() {
  return (
    <>
      <Form.Item
        name="password"
        label={a.password}
        rules={[
          { required: true, message: a.required(a.password) },
          { min: 8, message: a.passwordShort },
          { pattern: /^(?=.*[A-Za-z])(?=.*\d).+$/, message: a.passwordWeak },
        ]}
      >
        <Input.Password prefix={<LockOutlined />} placeholder={a.passwordPh} autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="password2"
        label={a.password2}
        dependencies={['password']}
        rules={[
          { required: true, message: a.required(a.password2) },
          ({ getFieldValue }) => ({
            validator: (_r, value) =>
              !value || value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(a.passwordMismatch)),
          }),
        ]}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
