import { useCallback, useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { t } from '@/i18n';
import { errorMessage, trpc, type AccountSummary, type Me } from './trpc';
import { tokenStore } from './storage';
import { ROUTES } from './routes';
import { loadAccountFacts, type AccountFacts, type FactsApi } from './account-line';

export type LoadState = 'loading' | 'ready' | 'error';

export const factsApi: FactsApi = {
  unpaidBills: (accountId) => trpc.billing.bills.query({ accountId, status: 'unpaid', limit: 24 }),
  prepaid: (accountId) => trpc.billing.prepaid.query({ accountId }),
  usage: (accountId) => trpc.billing.usage.query({ accountId, months: 12 }),
};

/**
 * The signed-in customer and their bound accounts (with each card's facts when `withFacts`), for the tab
 * pages; sends a signed-out visitor to the login page.
 */
export function useAccounts(opts: { withFacts?: boolean } = {}) {
  const [state, setState] = useState<LoadState>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [facts, setFacts] = useState<Record<string, AccountFacts>>({});
  const [error, setError] = useState<string | null>(null);
  const loaded = useRef(false);

  const load = useCallback(async () => {
    if (!tokenStore.isLoggedIn()) {
      await Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    if (!loaded.current) setState('loading');
    setError(null);
    try {
      const [meRes, list] = await Promise.all([trpc.auth.me.query(), trpc.account.list.query()]);
      setMe(meRes);
      setAccounts(list);
      setState('ready');
      loaded.current = true;
      if (opts.withFacts) {
        // Each card fills in as its reads come back; none blocks the page.
        for (const a of list) void loadAccountFacts(a, factsApi).then((f) => setFacts((prev) => ({ ...prev, [a.id]: f })));
      }
    } catch (e) {
      setError(errorMessage(e, t.common.networkError));
      setState('error');
    }
  }, [opts.withFacts]);

  return { state, me, setMe, accounts, facts, error, load };
}
