'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useRouter } from 'next/navigation';
import { errorMessage } from './errors';
import { useTRPC } from './trpc';

export function useMe() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.me.queryOptions());
}

/** Logs out, clears cached data and goes to the given login page. */
export function useLogout(to: string) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        queryClient.clear();
        router.replace(to);
      },
    }),
  );
}

/** `?next=` target after login, restricted to same-site paths. */
export function nextPath(fallback: string): string {
  if (typeof window === 'undefined') return fallback;
  const next = new URLSearchParams(window.location.search).get('next');
  if (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login')) return next;
  return fallback;
}

/**
 * `run(p, ok)` for a screen's actions: awaits the call, shows `ok` or the API's Chinese refusal, then `refresh()`es
 * whatever the action may have changed (also after a refusal: someone else may have changed it). True on success.
 */
export function useActionRunner(refresh: () => Promise<unknown> | unknown) {
  const { message } = App.useApp();
  return async (p: Promise<unknown>, ok: string): Promise<boolean> => {
    try {
      await p;
      message.success(ok);
      return true;
    } catch (err) {
      message.error(errorMessage(err));
      return false;
    } finally {
      await refresh();
    }
  };
}
