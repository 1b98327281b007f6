'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { FormModal } from '@/components/FormModal';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { useMe } from '@/lib/hooks';
import { OPEN_STATUSES } from '@/lib/workorders';

/** A manual 督办 on an open order: by its number (督办 page) or for the order open in the drawer (`orderId`). */
export function ManualSupervisionButton({ orderId, size }: { orderId?: string; size?: 'small' | 'middle' }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const create = useMutation(trpc.warnings.createSupervision.mutationOptions());
  return (
    <>
      <Button size={size} onClick={() => setOpen(true)} data-testid="manual-supervision">
        {orderId ? t.warnings.manualFromDrawer : t.warnings.manual}
      </Button>
      <FormModal<{ orderNo?: string; reason: string }>
        open={open}
        title={t.warnings.manualTitle}
        okTestId="manual-supervision-ok"
        loading={create.isPending}
        onClose={() => setOpen(false)}
        onSubmit={async (v) => {
          try {
            await create.mutateAsync({ orderId: orderId ?? null, orderNo: orderId ? null : v.orderNo?.trim(), reason: v.reason.trim() });
            message.success(t.warnings.manualDone);
            await queryClient.invalidateQueries({ queryKey: trpc.warnings.pathKey() });
            await queryClient.invalidateQueries({ queryKey: trpc.workorder.pathKey() });
            return true;
          } catch (err) {
            message.error(errorMessage(err));
            return false;
          }
        }}
      >
        {!orderId && (
          <Form.Item
            name="orderNo"
            label={t.warnings.manualOrderNo}
            rules={[{ required: true, whitespace: true, message: t.warnings.manualOrderNoRequired }]}
          >
            <Input placeholder={t.warnings.manualOrderNoPlaceholder} maxLength={40} />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={t.warnings.manualReason}
          rules={[{ required: true, whitespace: true, message: t.warnings.manualReasonRequired }]}
        >
          <Input.TextArea rows={3} maxLength={200} placeholder={t.warnings.manualReasonPlaceholder} />
        </Form.Item>
      </FormModal>
    </>
  );
}

/** In the staff order drawer: 发起督办 on an open order, for supervisors and admins. */
export function DrawerSupervisionButton({ order }: { order: { id: string; status: string } }) {
  const me = useMe();
  const may = (me.data?.roles ?? []).some((r) => r === 'supervisor' || r === 'admin');
  if (!may || !(OPEN_STATUSES as readonly string[]).includes(order.status)) return null;
  return <ManualSupervisionButton orderId={order.id} />;
}
