'use client';

import type { AppRouter } from '@power/api';
import { useMutation } from '@tanstack/react-query';
import type { inferRouterInputs } from '@trpc/server';
import { App } from 'antd';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { newRequestId } from '@/lib/workorders';

type CreateInput = inferRouterInputs<AppRouter>['workorder']['create'];

/**
 * Files a customer's order from a portal form, then opens it. One request id per form, so a resend after a
 * lost reply finds the order already filed; the contact field shows the masked phone on file, so only a
 * newly typed number is sent.
 */
export function useFileOrder() {
  const trpc = useTRPC();
  const router = useRouter();
  const { message } = App.useApp();
  const create = useMutation(trpc.workorder.create.mutationOptions());
  const [requestId] = useState(newRequestId);
  const [error, setError] = useState<string | null>(null);

  const submit = async (input: Omit<CreateInput, 'channel' | 'requestId' | 'contactPhone'> & { contactPhone?: string }) => {
    setError(null);
    const phone = input.contactPhone?.trim();
    try {
      const order = await create.mutateAsync({ ...input, channel: 'web', requestId, contactPhone: phone && /^1\d{10}$/.test(phone) ? phone : null });
      message.success(t.portal.submitted);
      router.push(`/home/orders/${order.id}`);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return { submit, error, pending: create.isPending };
}
