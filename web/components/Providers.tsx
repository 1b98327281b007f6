'use client';

import type { AppRouter } from '@power/api';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { App as AntdApp, ConfigProvider } from 'antd';
import zhCNLocale from 'antd/locale/zh_CN';
import { useState, type ReactNode } from 'react';
import { authRefreshLink } from '@/lib/auth-link';
import { errorCode } from '@/lib/errors';
import { TRPCProvider } from '@/lib/trpc';
import { theme } from '@/lib/theme';

const NO_RETRY = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'BAD_REQUEST', 'NOT_FOUND', 'TOO_MANY_REQUESTS', 'CONFLICT']);

function trpcUrl(): string {
  // The browser always talks to the web origin; the route handler forwards to the API.
  if (typeof window !== 'undefined') return '/trpc';
  return `http://127.0.0.1:${process.env.PORT ?? 3000}/trpc`;
}

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => {
          const code = errorCode(error);
          if (code && NO_RETRY.has(code)) return false;
          return failureCount < 1;
        },
      },
      mutations: { retry: false },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() => {
    const url = trpcUrl();
    return createTRPCClient<AppRouter>({
      links: [
        authRefreshLink(url),
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({ url }),
          false: httpBatchLink({ url, maxItems: 20 }), // the API refuses larger batches
        }),
      ],
    });
  });

  return (
    <ConfigProvider locale={zhCNLocale} theme={theme}>
      <AntdApp>
        <QueryClientProvider client={queryClient}>
          <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
            {children}
          </TRPCProvider>
        </QueryClientProvider>
      </AntdApp>
    </ConfigProvider>
  );
}
