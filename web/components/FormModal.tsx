'use client';

import type { ButtonProps } from 'antd';
import { Form, Modal } from 'antd';
import type { ReactNode } from 'react';
import { t } from '@/lib/i18n';

/**
 * A dialog holding one small form: OK validates the fields, then `onSubmit` runs; it closes when that
 * returns true (a refusal keeps the dialog, and what was typed, open).
 */
export function FormModal<V extends object>({
  open,
  title,
  okText = t.app.confirm,
  okTestId,
  danger,
  loading,
  okDisabled,
  initialValues,
  onSubmit,
  onClose,
  children,
}: {
  open: boolean;
  title: ReactNode;
  okText?: string;
  okTestId: string;
  danger?: boolean;
  loading?: boolean;
  /** OK stays disabled (e.g. while a photo uploads). */
  okDisabled?: boolean;
  initialValues?: Partial<V>;
  onSubmit: (values: V) => Promise<boolean>;
  onClose: () => void;
  children: ReactNode;
}) {
  const [form] = Form.useForm<V>();
  const ok = async () => {
    let v: V;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (await onSubmit(v)) onClose();
  };
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      onOk={ok}
      confirmLoading={loading}
      okText={okText}
      cancelText={t.app.cancel}
      okButtonProps={{ danger, disabled: okDisabled, 'data-testid': okTestId } as ButtonProps}
      destroyOnHidden
    >
      {open && (
        <Form form={form} layout="vertical" preserve={false} initialValues={initialValues}>
          {children}
        </Form>
      )}
    </Modal>
  );
}
