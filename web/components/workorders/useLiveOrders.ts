'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef } from 'react';
import { useTRPC } from '@/lib/trpc';

export type LiveEvent = { seq: number; type: string; orderId: string | null; regionId: string | null; at: string; payload: Record<string, unknown> };

/**
 * Subscribes to the work-order event feed (SSE) and refreshes every work-order query on each event:
 * the screens never need a manual refresh. `onEvent` sees each event (e.g. to beep on new orders).
 */
export function useLiveOrders(onEvent?: (e: LiveEvent) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cb = useRef(onEvent);
  useEffect(() => {
    cb.current = onEvent;
  }, [onEvent]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const sub = useSubscription(
    trpc.workorder.live.subscriptionOptions(undefined, {
      onData: (ev) => {
        const e = (ev as { data?: LiveEvent }).data ?? (ev as unknown as LiveEvent);
        cb.current?.(e);
        // Coalesce bursts (bulk actions) into one refetch.
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => {
          void queryClient.invalidateQueries({ queryKey: trpc.workorder.pathKey() });
        }, 150);
      },
    }),
  );
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return sub;
}
