import Taro from '@tarojs/taro';
import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
// Type-only: builds never pull API runtime code.
import type { AppRouter } from '@power/api';
import { API_BASE } from '@/config';
import { installAbortController } from './abort-controller';
import { taroFetch } from './taro-fetch';
import { tokenStore } from './storage';
import { ROUTES } from './routes';

installAbortController();

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type AccountSummary = RouterOutputs['account']['list'][number];
export type Me = RouterOutputs['auth']['me'];

const fetchImpl = taroFetch as unknown as typeof fetch;

function authHeaders(): Record<string, string> {
  const at = tokenStore.getAccess();
  return at ? { Authorization: `Bearer ${at}` } : {};
}

/** Bare client for auth.refresh: no retry link, no stored access token. */
const refreshClient = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: API_BASE, fetch: fetchImpl, maxItems: 20 })],
});

let refreshing: Promise<boolean> | null = null;

/** Calls auth.refresh once (deduplicated across concurrent callers). Resolves true when new tokens are stored. */
export function refreshTokens(): Promise<boolean> {
  if (refreshing) return refreshing;
  const refreshToken = tokenStore.getRefresh();
  if (!refreshToken) return Promise.resolve(false);
  refreshing = refreshClient.auth.refresh
    .mutate({ refreshToken })
    .then((res) => {
      if (!res.accessToken) return false;
      tokenStore.set({ accessToken: res.accessToken, refreshToken: res.refreshToken ?? refreshToken });
      return true;
    })
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** Paths that must never trigger refresh-and-retry. */
const NO_RETRY = new Set(['auth.refresh', 'auth.wechatLogin', 'auth.logout']);

export function isUnauthorized(err: unknown): boolean {
  if (!(err instanceof TRPCClientError)) return false;
  const data = err.data as { code?: string; httpStatus?: number } | undefined;
  return data?.code === 'UNAUTHORIZED' || data?.httpStatus === 401;
}

let redirecting = false;
export function goLogin(): void {
  tokenStore.clear();
  if (redirecting) return;
  const pages = Taro.getCurrentPages?.() ?? [];
  const current = pages[pages.length - 1]?.route ?? '';
  if (current && ROUTES.login.includes(current)) return;
  redirecting = true;
  Promise.resolve(Taro.reLaunch({ url: ROUTES.login }))
    .catch(() => undefined)
    .finally(() => {
      redirecting = false;
    });
}

/**
 * On UNAUTHORIZED: refresh once with the stored refresh token and retry the operation;
 * if that is impossible, clear the session and go to the login page.
 */
export const authRetryLink: TRPCLink<AppRouter> = () => {
  return ({ op, next }) =>
    observable((observer) => {
      let sub: { unsubscribe(): void } | null = null;
      let done = false;
      const attempt = (retried: boolean) => {
        sub = next(op).subscribe({
          next: (v) => observer.next(v),
          complete: () => observer.complete(),
          error: (err) => {
            if (done) return;
            if (!isUnauthorized(err) || NO_RETRY.has(op.path)) {
              observer.error(err);
              return;
            }
            if (retried) {
              goLogin();
              observer.error(err);
              return;
            }
            void refreshTokens().then((ok) => {
              if (done) return;
              if (ok) attempt(true);
              else {
                goLogin();
                observer.error(err);
              }
            });
          },
        });
      };
      attempt(false);
      return () => {
        done = true;
        sub?.unsubscribe();
      };
    });
};

export const trpc = createTRPCClient<AppRouter>({
  links: [
    authRetryLink,
    httpBatchLink({
      url: API_BASE,
      fetch: fetchImpl,
      headers: authHeaders,
      // The API refuses batches of more than 20 calls.
      maxItems: 20,
    }),
  ],
});

/** The Chinese message a server error carries (shown as-is), or a generic fallback. */
export function errorMessage(err: unknown, fallback: string): string {
  if (err instanceof TRPCClientError) {
    const data = err.data as { code?: string } | undefined;
    // Validation errors from zod carry a JSON dump as message: show the fallback instead.
    if (data?.code === 'BAD_REQUEST' && err.message.trim().startsWith('[')) return fallback;
    return err.message || fallback;
  }
  if (err instanceof Error && err.message && !/^request:fail|Failed to fetch|NetworkError/i.test(err.message)) {
    return err.message;
  }
  return fallback;
}
