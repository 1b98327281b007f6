import { useCallback, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { errorMessage, trpc, type RouterOutputs } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { formatFen, groupAccountNumber } from '@/lib/format';
import { paymentsUrl, routeParam, ROUTES } from '@/lib/routes';
import { formatDay, formatKwh, formatPeriod, isPayable } from '@/lib/billing';
import { PayError, PayProgress, PaySuccess } from '@/components/billing/PayStatus';
import { useDocuments } from '@/components/billing/useDocuments';
import { usePaidDocuments, usePayRunner } from '../pay';
import '@/components/workorder/workorder.css';
import '@/components/billing/billing.css';

type Detail = RouterOutputs['billing']['bill'];

/** 毫分 → "¥12.3456"-free display: rounded half up to fen only for showing a line. */
const lineFen = (milliFen: number) => Math.floor((milliFen + 500) / 1000);

export default function BillPage() {
  const params = useRouter().params;
  // A history bill's id is `<accountId>:<YYYY-MM>`: its colon arrives encoded (see routeParam).
  const billId = routeParam(params, 'id');
  // The bill view carries the account number only; the bills page passes the account id along.
  const accountId = routeParam(params, 'accountId');
  const [bill, setBill] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!tokenStore.isLoggedIn()) {
      await Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    try {
      setBill(await trpc.billing.bill.query({ billId }));
      setError(null);
    } catch (e) {
      setError(errorMessage(e, t.billing.loadFailed));
    }
  }, [billId]);
  const pay = usePayRunner(load);
  const docs = useDocuments();
  const paidDocs = usePaidDocuments();
  useDidShow(() => {
    void load();
  });

  const row = (key: string, value: string, id?: string) => (
    <View className="bl-kv">
      <Text className="bl-kv-key">{key}</Text>
      <Text className="bl-kv-value" id={id}>
        {value}
      </Text>
    </View>
  );

  return (
    <View className="page" id="bill-detail">
      <View className="wo-header">
        <Text className="wo-header-title">{bill ? t.billing.detailTitle(formatPeriod(bill.period)) : t.nav.bill}</Text>
        <Text className="wo-header-sub">
          {bill ? t.billing.accountNo(groupAccountNumber(bill.accountNumber)) : error ? t.billing.loadFailed : t.common.loading}
        </Text>
      </View>
      <View className="wo-body">
        {error ? (
          <View className="card" id="bill-error">
            <Text className="card-hint">{error}</Text>
          </View>
        ) : null}
        {pay.success ? (
          <PaySuccess amountFen={pay.success.amountFen} kind="bill" payments={pay.success.payments} docs={paidDocs} onDone={pay.clearSuccess} />
        ) : null}
        {pay.error ? (
          <PayError
            message={pay.error.message}
            kind={pay.error.kind}
            onRetry={pay.canRetry() ? pay.retry : undefined}
            onHistory={() => void Taro.navigateTo({ url: paymentsUrl() })}
          />
        ) : null}
        {bill ? (
          <View className="card">
            <View className="bl-row">
              <Text className="bl-balance" id="bill-total">
                {formatFen(bill.status === 'paid' ? bill.amountFen + bill.lateFeeFen : bill.totalDueFen)}
              </Text>
              <Text
                className={`badge ${bill.status === 'paid' ? 'badge-ok' : bill.status === 'overdue' ? 'badge-danger' : 'badge-warn'}`}
                id="bill-status"
              >
                {t.billing.status[bill.status]}
              </Text>
            </View>
            {row(t.billing.period, formatPeriod(bill.period))}
            {row(t.billing.kwh, formatKwh(bill.kwh), 'bill-kwh')}
            {row(t.billing.amount, formatFen(bill.amountFen), 'bill-amount')}
            {row(t.billing.lateFee, formatFen(bill.lateFeeFen), 'bill-late-fee')}
            {row(t.billing.dueDay, formatDay(bill.dueDay), 'bill-due')}
            {bill.paidAt ? row(t.billing.paidAt, bill.paidAt.slice(0, 10)) : null}
            {bill.issuedAt ? row(t.billing.issuedAt, bill.issuedAt.slice(0, 10)) : null}
            {row(t.billing.tariff, bill.tariffName)}
            {bill.reading ? row(t.billing.reading, t.billing.readingRange(bill.reading.startIndex, bill.reading.endIndex)) : null}
            <Text className="wo-label wo-label-gap">{t.billing.lines}</Text>
            <View id="bill-lines">
              {bill.lines.map((l) => (
                <View className="bl-kv" key={l.band} id={`bill-line-${l.band}`}>
                  <Text className="bl-kv-key">
                    {l.label} · {formatKwh(l.kwh)} × {t.billing.price(l.priceYuan)}
                  </Text>
                  <Text className="bl-kv-value">{formatFen(lineFen(l.amountMilliFen))}</Text>
                </View>
              ))}
            </View>
            {isPayable(bill) && accountId ? (
              <Button
                id="bill-pay"
                className="btn btn-wechat bl-pay"
                disabled={pay.busy || undefined}
                onClick={() => void pay.run([{ accountId, billId: bill.id }], { kind: 'bill' })}
              >
                {t.billing.payThis}
              </Button>
            ) : null}
            {bill.status === 'paid' && bill.paymentId ? (
              <Button
                id="bill-receipt"
                className="btn btn-primary bl-pay"
                disabled={docs.busy !== null || undefined}
                onClick={() => void docs.open(bill.paymentId!)}
              >
                {docs.busy ? t.billing.receiptLoading : t.billing.downloadReceipt}
              </Button>
            ) : null}
          </View>
        ) : null}
      </View>
      {pay.stage ? <PayProgress stage={pay.stage} index={pay.progress.index} count={pay.progress.count} /> : null}
    </View>
  );
}
