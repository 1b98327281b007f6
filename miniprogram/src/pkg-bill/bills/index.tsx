import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { errorMessage, trpc, type AccountSummary, type RouterOutputs } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { formatFen, groupAccountNumber } from '@/lib/format';
import { billUrl, paymentsUrl, routeParam, ROUTES } from '@/lib/routes';
import { daysLeftKind, formatDay, formatKwh, formatPeriod, isPayable } from '@/lib/billing';
import { BillSelect } from '@/components/billing/BillSelect';
import { RechargeForm } from '@/components/billing/RechargeForm';
import { UsageChart } from '@/components/billing/UsageChart';
import { PayError, PayProgress, PaySuccess } from '@/components/billing/PayStatus';
import { ThresholdsForm } from '@/components/billing/ThresholdsForm';
import { usePaidDocuments, usePayRunner } from '../pay';
import '@/components/workorder/workorder.css';
import '@/components/billing/billing.css';

type Bill = RouterOutputs['billing']['bills'][number];
type Prepaid = RouterOutputs['billing']['prepaid'];
type Usage = RouterOutputs['billing']['usage'];

export default function BillsPage() {
  const accountId = routeParam(useRouter().params, 'accountId');
  const [account, setAccount] = useState<AccountSummary | null>(null);
  const [bills, setBills] = useState<Bill[] | null>(null);
  const [prepaid, setPrepaid] = useState<Prepaid | null>(null);
  const [usage, setUsage] = useState<Usage | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!tokenStore.isLoggedIn()) {
      await Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    setError(null);
    try {
      const list = await trpc.account.list.query();
      const a = list.find((x) => x.id === accountId) ?? null;
      if (!a) {
        setError(t.billing.loadFailed);
        return;
      }
      setAccount(a);
      const [u, b, p] = await Promise.all([
        trpc.billing.usage.query({ accountId, months: 24 }),
        a.paymentMode === 'postpaid' ? trpc.billing.bills.query({ accountId, status: 'all', limit: 24 }) : Promise.resolve(null),
        a.paymentMode === 'prepaid' ? trpc.billing.prepaid.query({ accountId }) : Promise.resolve(null),
      ]);
      setUsage(u);
      setBills(b);
      setPrepaid(p);
    } catch (e) {
      setError(errorMessage(e, t.billing.loadFailed));
    }
  }, [accountId]);

  const pay = usePayRunner(load);
  const paidDocs = usePaidDocuments();

  useDidShow(() => {
    void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const unpaid = (bills ?? []).filter(isPayable);
  const reconnect = account?.supplyState === 'disconnected';

  return (
    <View className="page" id="bills-page">
      <View className="wo-header">
        <Text className="wo-header-title">{account ? t.billing.accountNo(groupAccountNumber(account.number)) : t.billing.entry}</Text>
        <Text className="wo-header-sub" id="bills-account">
          {account
            ? `${account.holderNameMasked} · ${t.home.level[account.level]} · ${t.home.paymentMode[account.paymentMode]}`
            : error
              ? ''
              : t.common.loading}
        </Text>
        <Text className="wo-header-link" id="bills-payments" onClick={() => void Taro.navigateTo({ url: paymentsUrl(accountId) })}>
          {t.billing.paymentsEntry} ›
        </Text>
      </View>
      <View className="wo-body">
        {error ? (
          <View className="card" id="bills-error">
            <Text className="card-title">{t.billing.loadFailed}</Text>
            <Text className="card-hint">{error}</Text>
            <Button className="btn btn-primary bl-pay" onClick={() => void load()}>
              {t.common.retry}
            </Button>
          </View>
        ) : null}

        {pay.success ? (
          <PaySuccess
            amountFen={pay.success.amountFen}
            kind={pay.success.kind}
            reconnect={pay.success.reconnect}
            payments={pay.success.payments}
            docs={paidDocs}
            onDone={pay.clearSuccess}
          />
        ) : null}

        {pay.error ? (
          <PayError
            message={pay.error.message}
            kind={pay.error.kind}
            onRetry={pay.canRetry() ? pay.retry : undefined}
            onHistory={() => void Taro.navigateTo({ url: paymentsUrl(accountId) })}
          />
        ) : null}

        {account?.paymentMode === 'postpaid' && bills ? (
          <View className="card" id="unpaid-card">
            <Text className="wo-label">{t.billing.unpaidTitle}</Text>
            <BillSelect
              bills={unpaid}
              busy={pay.busy}
              onPay={(chosen) =>
                void pay.run(
                  chosen.map((b) => ({ accountId, billId: b.id })),
                  { kind: 'bill', reconnect: reconnect && chosen.length === unpaid.length },
                )
              }
            />
          </View>
        ) : null}

        {account?.paymentMode === 'prepaid' && prepaid ? (
          <View className="card" id="prepaid-card">
            <Text className="wo-label">{t.billing.prepaidTitle}</Text>
            <Text className="bl-meta">{t.billing.balance}</Text>
            <Text className={`bl-balance ${prepaid.balanceFen < 0 ? 'bl-balance-negative' : ''}`} id="prepaid-balance">
              {formatFen(prepaid.balanceFen)}
            </Text>
            <Text className="bl-meta" id="prepaid-days">
              {(() => {
                const k = daysLeftKind(prepaid.estimatedDaysLeft, prepaid.balanceFen);
                if (k === 'negative') return t.billing.daysNegative;
                if (k === 'unknown') return t.billing.daysUnknown;
                return t.billing.daysLeft(prepaid.estimatedDaysLeft!);
              })()}
            </Text>
            {prepaid.avgDailyFen != null ? <Text className="bl-meta">{t.billing.avgDaily(formatFen(prepaid.avgDailyFen))}</Text> : null}
            <ThresholdsForm
              currentFen={prepaid.thresholdsFen}
              api={{ save: (thresholdsYuan) => trpc.billing.setAlertThresholds.mutate({ accountId, thresholdsYuan }), message: errorMessage }}
              onSaved={(thresholdsFen) => {
                setPrepaid((p) => (p ? { ...p, thresholdsFen } : p));
                void Taro.showToast({ title: t.billing.thresholdsSaved, icon: 'success', duration: 1500 });
              }}
            />
            <View className="bl-section">
              <RechargeForm busy={pay.busy} onPay={(amountFen) => void pay.run([{ accountId, amountFen }], { kind: 'recharge', reconnect })} />
            </View>
          </View>
        ) : null}

        {account ? <UsageChart series={usage} /> : null}

        {account?.paymentMode === 'postpaid' && bills ? (
          <View className="card" id="history-list">
            <Text className="wo-label">{t.billing.historyTitle}</Text>
            {bills.length === 0 ? <Text className="center-note">{t.billing.noHistory}</Text> : null}
            {bills.map((b) => (
              <View
                key={b.id}
                className="bl-item"
                id={`bill-item-${b.period}`}
                onClick={() => void Taro.navigateTo({ url: billUrl(b.id, accountId) })}
              >
                <View className="bl-item-main">
                  <Text className="bl-period">{formatPeriod(b.period)}</Text>
                  <Text className="bl-meta">
                    {formatKwh(b.kwh)} · {t.billing.dueDay} {formatDay(b.dueDay)}
                    {b.lateFeeFen > 0 ? ` · ${t.billing.lateFee} ${formatFen(b.lateFeeFen)}` : ''}
                  </Text>
                </View>
                <View className="bl-item-side">
                  <Text className="bl-item-amount">{formatFen(b.amountFen + b.lateFeeFen)}</Text>
                  <Text
                    className={`badge ${b.status === 'paid' ? 'badge-ok' : b.status === 'overdue' ? 'badge-danger' : 'badge-warn'}`}
                    id={`bill-item-status-${b.period}`}
                  >
                    {t.billing.status[b.status]}
                  </Text>
                </View>
              </View>
            ))}
          </View>
        ) : null}
      </View>
      {pay.stage ? <PayProgress stage={pay.stage} index={pay.progress.index} count={pay.progress.count} /> : null}
    </View>
  );
}
