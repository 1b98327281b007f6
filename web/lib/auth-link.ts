'use client';

import type { AppRouter } from '@power/api';
import { createTRPCClient, httpLink, type TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable, type Unsubscribable } from '@trpc/server/observable';
import { LOGIN_PATHS, loginPathFor } from './roles';

/** Procedures whose UNAUTHORIZED answer is a normal result (wrong password etc.), never a reason to refresh. */
const NO_REFRESH = new Set([
  'auth.refresh',
  'auth.smsLogin',
  'auth.passwordLogin',
  'auth.sendSmsCode',
  'auth.logout',
  'auth.wechatLogin',
  'dev.smsOutbox',
]);

let refreshing: Promise<boolean> | null = null;

/** Calls auth.refresh once for any number of concurrent callers (cookie transport: no input). */
export function refreshSession(url: string): Promise<boolean> {
  if (!refreshing) {
    const client = createTRPCClient<AppRouter>({ links: [httpLink({ url })] });
    refreshing = client.auth.refresh
      .mutate({})
      .then(() => true)
      .catch(() => false)
      .finally(() => {
        // Let later expiries trigger a new refresh.
        setTimeout(() => {
          refreshing = null;
        }, 1000);
      });
  }
  return refreshing;
}

let redirecting = false;

/** Sends the browser to the login page for the current area (customer or staff). */
export function redirectToLogin(): void {
  if (typeof window === 'undefined' || redirecting) return;
  const { pathname, search } = window.location;
  if (LOGIN_PATHS.includes(pathname) || pathname === '/' || pathname.startsWith('/dev/')) return;
  redirecting = true;
  const next = encodeURIComponent(pathname + search);
  window.location.assign(`${loginPathFor(pathname)}?next=${next}`);
}

function isUnauthorized(err: TRPCClientError<AppRouter>): boolean {
  const data = err.data as { code?: string } | null | undefined;
  return data?.code === 'UNAUTHORIZED';
}

/**
 * On UNAUTHORIZED: refresh the session once and retry the operation; if the refresh fails,
 * pass the error on and go to the right login page.
 */
export function authRefreshLink(url: string): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let sub: Unsubscribable | null = null;
        let retried = false;
        let stopped = false;
        const canRefresh = !NO_REFRESH.has(op.path) && op.type !== 'subscription';

        const attempt = () => {
          sub = next(op).subscribe({
            next: (value) => observer.next(value),
            error: (err) => {
              if (canRefresh && isUnauthorized(err)) {
                if (!retried) {
                  retried = true;
                  void refreshSession(url).then((ok) => {
                    if (stopped) return;
                    if (ok) attempt();
                    else {
                      redirectToLogin();
                      observer.error(err);
                    }
                  });
                  return;
                }
                redirectToLogin();
              }
              observer.error(err);
            },
            complete: () => observer.complete(),
          });
        };
        attempt();
        return () => {
          stopped = true;
          sub?.unsubscribe();
        };
      });
}
