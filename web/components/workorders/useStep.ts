'use client';

import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useState } from 'react';
import { errorCode, errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

/**
 * Runs one work-order step and refreshes every work-order query afterwards. A CONFLICT (someone else
 * acted first, or a stale screen) is shown as such and the data is reloaded.
 */
export function useStep() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);

  async function run<T>(key: string, fn: () => Promise<T>, success?: string): Promise<T | null> {
    setBusy(key);
    try {
      const r = await fn();
      if (success) message.success(success);
      return r;
    } catch (err) {
      message.error(errorCode(err) === 'CONFLICT' && !errorMessage(err) ? t.wo.conflict : errorMessage(err));
      return null;
    } finally {
      setBusy(null);
      await queryClient.invalidateQueries({ queryKey: trpc.workorder.pathKey() });
    }
  }
  return { run, busy };
}
