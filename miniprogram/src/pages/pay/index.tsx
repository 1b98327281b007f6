import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { CellList } from '@/components/ui/EntryGrid';
import { groupAccountNumber } from '@/lib/format';
import { accountLine } from '@/lib/account-line';
import { billsUrl, paymentsUrl, ROUTES } from '@/lib/routes';
import { go } from '@/lib/nav';
import { useAccounts } from '@/lib/use-accounts';
import '@/components/ui/ui.css';
import '@/components/AccountCard.css';
import './index.css';

const ACTION = { pay: t.home.payNow, recharge: t.home.recharge, bills: t.home.viewBills };

/** 缴费: every bound account with what it owes (or its balance), 代缴 and the payment history. */
export default function PayTabPage() {
  const { state, accounts, facts, error, load } = useAccounts({ withFacts: true });
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  return (
    <View className="page">
      <View className="ui-head">
        <Text className="ui-head-title">{t.payTab.title}</Text>
        <Text className="ui-head-sub">{t.payTab.subtitle}</Text>
      </View>
      <View className="ui-body">
        {state === 'loading' ? <Text className="center-note">{t.common.loading}</Text> : null}
        {state === 'error' ? (
          <View className="card">
            <Text className="card-hint">{error}</Text>
            <Button className="btn btn-primary pt-retry" onClick={() => void load()}>
              {t.common.retry}
            </Button>
          </View>
        ) : null}
        {state === 'ready' && accounts.length === 0 ? (
          <View className="card">
            <Text className="card-hint">{t.payTab.empty}</Text>
            <Button className="btn btn-primary pt-retry" onClick={() => go(ROUTES.bind)}>
              {t.home.bindButton}
            </Button>
          </View>
        ) : null}
        {state === 'ready' && accounts.length > 0 ? <Text className="ui-section-title">{t.payTab.accounts}</Text> : null}
        {accounts.map((a) => {
          const line = accountLine(a, facts[a.id] ?? {});
          return (
            <View
              key={a.id}
              className={`card pt-account account-card-${line.tone}`}
              id={`pay-account-${a.number}`}
              onClick={() => go(billsUrl(a.id))}
            >
              <View className="pt-top">
                <Text className="pt-number">{groupAccountNumber(a.number)}</Text>
                <Text className={`ui-tag ui-tag-${a.level}`}>{t.home.level[a.level]}</Text>
              </View>
              <Text className="account-holder">
                {a.holderNameMasked} · {t.home.paymentMode[a.paymentMode]}
              </Text>
              <View className="pt-bottom">
                <Text className={`pt-line pt-line-${line.tone}`}>{line.text}</Text>
                <Button className={`btn btn-small ${line.action === 'bills' ? 'btn-ghost' : 'btn-primary'} pt-go`}>{ACTION[line.action]}</Button>
              </View>
            </View>
          );
        })}
        <CellList
          idPrefix="pay"
          items={[
            { key: 'payFor', icon: 'payFor', title: t.payTab.payFor, hint: t.payTab.payForHint, onTap: () => go(ROUTES.payFor) },
            { key: 'payments', icon: 'payments', title: t.payTab.payments, hint: t.payTab.paymentsHint, onTap: () => go(paymentsUrl()) },
          ]}
        />
      </View>
    </View>
  );
}
