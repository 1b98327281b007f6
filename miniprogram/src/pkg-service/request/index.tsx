import { useCallback, useMemo, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { errorMessage, trpc, type AccountSummary, type RouterOutputs } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { orderUrl, ROUTES } from '@/lib/routes';
import { newRequestId, REQUEST_TYPES, type RequestType } from '@/lib/workorder';
import { RequestForm, type RequestApi } from '@/components/workorder/RequestForm';
import { Suggestions } from '@/components/knowledge/Suggestions';

type Categories = RouterOutputs['workorder']['categories'];

/** The form's calls; `requestId` makes a resent request (lost reply) return the order already filed. */
const apiFor = (requestId: string): RequestApi => ({
  create: (input) =>
    trpc.workorder.create.mutate({
      type: input.type,
      category: input.category || null,
      description: input.description,
      accountId: input.accountId ?? null,
      channel: 'miniprogram',
      requestId,
    }),
  message: errorMessage,
});

export default function RequestPage() {
  const api = useMemo(() => apiFor(newRequestId()), []);
  const router = useRouter();
  const initial = REQUEST_TYPES.includes(router.params.type as RequestType) ? (router.params.type as RequestType) : 'consultation';
  const [categories, setCategories] = useState<Categories | null>(null);
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!tokenStore.isLoggedIn()) {
      await Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    setError(null);
    try {
      const [cats, list] = await Promise.all([trpc.workorder.categories.query(), trpc.account.list.query()]);
      setCategories(cats);
      setAccounts(list);
    } catch (e) {
      setError(errorMessage(e, t.request.loadFailed));
    }
  }, []);

  useDidShow(() => {
    if (!categories) void load();
  });

  const onCreated = (id: string) => {
    void Taro.showToast({ title: t.request.success, icon: 'success', duration: 1200 });
    void Taro.redirectTo({ url: orderUrl(id) });
  };

  return (
    <View className="page">
      <View className="wo-header">
        <Text className="wo-header-title">{t.request.title}</Text>
        <Text className="wo-header-sub">{t.request.subtitle}</Text>
      </View>
      <View className="wo-body">
        {error ? (
          <View className="card" id="request-load-error">
            <Text className="card-hint">{error}</Text>
            <Button className="btn btn-primary wo-submit" onClick={() => void load()}>
              {t.common.retry}
            </Button>
          </View>
        ) : categories === null ? (
          <View className="card">
            <Text className="center-note">{t.common.loading}</Text>
          </View>
        ) : (
          <RequestForm
            categories={categories}
            accounts={accounts}
            api={api}
            initialType={initial}
            onCreated={onCreated}
            descriptionExtra={(text, type) => (type === 'consultation' ? <Suggestions text={text} from="consultation" /> : null)}
          />
        )}
      </View>
    </View>
  );
}
