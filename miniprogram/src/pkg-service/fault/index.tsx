import { useCallback, useMemo, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { errorMessage, trpc, type AccountSummary } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { newRequestId } from '@/lib/workorder';
import { orderUrl, ROUTES } from '@/lib/routes';
import { FaultForm, type FaultApi } from '@/components/workorder/FaultForm';
import { SafetyTips, Suggestions } from '@/components/knowledge/Suggestions';
import { OutageNotice } from '@/components/outage/OutageCard';
import { linkedOutageHandoff, relevantOutage, type OutageBriefLike } from '@/lib/outage';
import { photoApi, phoneOnFile } from '../api';

/** The form's calls; `requestId` makes a resent report (lost reply) return the order already filed. */
const apiFor = (requestId: string): FaultApi => ({
  ...photoApi,
  phoneOnFile,
  create: (input) => trpc.workorder.create.mutate({ type: 'fault_repair', channel: 'miniprogram', requestId, ...input }),
});

export default function FaultPage() {
  const api = useMemo(() => apiFor(newRequestId()), []);
  const [accounts, setAccounts] = useState<AccountSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Known outages per account id (outage.mine): shown before filing. */
  const [outages, setOutages] = useState<Record<string, OutageBriefLike[]>>({});

  const load = useCallback(async () => {
    if (!tokenStore.isLoggedIn()) {
      await Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    setError(null);
    // Never blocks the form: the API links the report to an active outage anyway.
    trpc.outage.mine
      .query()
      .then((rows) => setOutages(Object.fromEntries(rows.map((r) => [r.accountId, r.outages]))))
      .catch(() => undefined);
    try {
      setAccounts(await trpc.account.list.query());
    } catch (e) {
      setError(errorMessage(e, t.common.networkError));
    }
  }, []);

  useDidShow(() => {
    void load();
  });

  const accountNotice = (accountId: string) => {
    const o = relevantOutage(outages[accountId] ?? []);
    return o ? <OutageNotice outage={o} id="fault-outage" /> : null;
  };

  const onCreated = (id: string, linked: OutageBriefLike | null) => {
    if (linked) linkedOutageHandoff.put(id, linked);
    void Taro.showToast({ title: linked ? t.outage.linkedModalTitle : t.fault.success, icon: 'success', duration: 1200 });
    void Taro.redirectTo({ url: orderUrl(id) });
  };

  return (
    <View className="page">
      <View className="wo-header">
        <Text className="wo-header-title">{t.fault.title}</Text>
        <Text className="wo-header-sub">{t.fault.subtitle}</Text>
      </View>
      <View className="wo-body">
        {error ? (
          <View className="card" id="fault-load-error">
            <Text className="card-hint">{error}</Text>
            <Button className="btn btn-primary wo-submit" onClick={() => void load()}>
              {t.common.retry}
            </Button>
          </View>
        ) : accounts === null ? (
          <View className="card">
            <Text className="center-note">{t.common.loading}</Text>
          </View>
        ) : accounts.length === 0 ? (
          <View className="card" id="fault-no-account">
            <Text className="card-title">{t.fault.noAccountTitle}</Text>
            <Text className="card-hint">{t.fault.noAccountHint}</Text>
            <Button id="fault-bind" className="btn btn-primary wo-submit" onClick={() => void Taro.navigateTo({ url: ROUTES.bind })}>
              {t.fault.bindButton}
            </Button>
          </View>
        ) : (
          <>
            <SafetyTips />
            <FaultForm
              accounts={accounts}
              api={api}
              onCreated={onCreated}
              accountNotice={accountNotice}
              descriptionExtra={(text) => <Suggestions text={text} from="fault" />}
            />
          </>
        )}
      </View>
    </View>
  );
}
