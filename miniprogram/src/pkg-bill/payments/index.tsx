import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { errorMessage, trpc, type AccountSummary, type RouterOutputs } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { formatFen, groupAccountNumber } from '@/lib/format';
import { routeParam, ROUTES } from '@/lib/routes';
import { formatPaidAt } from '@/lib/billing';
import { useDocuments } from '@/components/billing/useDocuments';
import { InvoiceForm, type InvoiceApi } from '@/components/billing/InvoiceForm';
import '@/components/workorder/workorder.css';
import '@/components/billing/billing.css';

type Payment = RouterOutputs['billing']['payments'][number];

const STATUS_BADGE: Record<string, string> = { paid: 'badge-ok', refunded: 'badge-warn', closed: '' };

interface Loaded {
  list: Payment[];
  /** Ids of the payments this user made: only theirs have receipts and invoices for them. */
  mine: Set<string>;
  account: AccountSummary | null;
}

/**
 * 缴费记录. With `?accountId=`: the account's payments — all of them (someone else's 代缴 included, without
 * who paid) for its 户主; a name-only binding sees the payments they made to it, and is told why.
 * Without: every payment this user made. Only the payer opens receipts and requests invoices. Only money that
 * was paid is listed (paid or refunded): a cancelled or unfinished attempt is not a payment.
 */
export default function PaymentsPage() {
  const accountId = routeParam(useRouter().params, 'accountId') || undefined;
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const docs = useDocuments();
  /** The payment whose e-invoice title is being filled in. */
  const [invoicing, setInvoicing] = useState<Payment | null>(null);

  const load = useCallback(async () => {
    if (!tokenStore.isLoggedIn()) {
      await Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    try {
      const [mine, accounts] = await Promise.all([
        trpc.billing.payments.query({ limit: 200 }),
        accountId ? trpc.account.list.query() : Promise.resolve([]),
      ]);
      const account = accountId ? (accounts.find((a) => a.id === accountId) ?? null) : null;
      let list = mine;
      if (account)
        list =
          account.level === 'holder'
            ? await trpc.billing.payments.query({ accountId: account.id, limit: 200 })
            : mine.filter((p) => p.accountNumber === account.number);
      // A record of money paid: attempts that were cancelled or never completed are no payment.
      setData({ list: list.filter((p) => p.status === 'paid' || p.status === 'refunded'), mine: new Set(mine.map((p) => p.id)), account });
      setError(null);
    } catch (e) {
      setError(errorMessage(e, t.billing.loadFailed));
    }
  }, [accountId]);

  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const invoiceApi: InvoiceApi | null = invoicing
    ? { request: (title) => trpc.billing.requestInvoice.mutate({ paymentId: invoicing.id, title }), message: errorMessage }
    : null;
  const issued = () => {
    setInvoicing(null);
    void Taro.showToast({ title: t.billing.invoiceIssued, icon: 'success', duration: 1500 });
    void load();
  };

  const account = data?.account ?? null;
  const follow = account?.level === 'follow';

  return (
    <View className="page">
      <View className="wo-header">
        <Text className="wo-header-title">
          {account ? t.billing.accountNo(groupAccountNumber(account.number)) : accountId ? t.nav.payments : t.billing.paymentsMine}
        </Text>
        <Text className="wo-header-sub" id="payments-scope">
          {account ? `${account.holderNameMasked} · ${t.home.level[account.level]}` : ''}
          {account && data ? ' · ' : ''}
          {data ? t.billing.paymentsCount(data.list.length) : ''}
        </Text>
      </View>
      <View className="wo-body">
        {follow ? (
          <View className="card bl-note" id="payments-follow-hint">
            <Text>{t.billing.paymentsFollowHint}</Text>
            <Text className="bl-link bl-note-link" onClick={() => void Taro.navigateTo({ url: ROUTES.bind })}>
              {t.mine.upgrade} ›
            </Text>
          </View>
        ) : null}
        <View className="card" id="payments-list">
          {error ? (
            <Text className="card-hint" id="payments-error">
              {error}
            </Text>
          ) : null}
          {data === null && !error ? <Text className="center-note">{t.common.loading}</Text> : null}
          {data?.list.length === 0 ? <Text className="center-note">{t.billing.paymentsEmpty}</Text> : null}
          {data?.list.map((p) => {
            const mine = data.mine.has(p.id);
            const settled = p.status === 'paid' || p.status === 'refunded';
            return (
              <View key={p.id} className="bl-item" id={`payment-${p.outTradeNo}`}>
                <View className="bl-item-main">
                  <Text className="bl-period">
                    {t.billing.purposes[p.purpose]}
                    {p.onBehalf ? ` · ${t.billing.onBehalf}` : ''}
                  </Text>
                  <Text className="bl-meta">
                    {t.billing.accountNo(p.accountNumber)} · {formatPaidAt(p.paidAt ?? p.createdAt)}
                  </Text>
                  {settled && mine ? (
                    <View className="bl-doc-actions">
                      <Button
                        id={`payment-receipt-${p.outTradeNo}`}
                        className="btn btn-small"
                        disabled={docs.busy !== null || undefined}
                        onClick={() => void docs.open(p.id)}
                      >
                        {docs.isBusy(p.id, 'receipt') ? t.billing.receiptLoading : t.billing.downloadReceipt}
                      </Button>
                      {p.invoiceNo ? (
                        <Button
                          id={`payment-invoice-${p.outTradeNo}`}
                          className="btn btn-small"
                          disabled={docs.busy !== null || undefined}
                          onClick={() => void docs.open(p.id, 'invoice')}
                        >
                          {docs.isBusy(p.id, 'invoice') ? t.billing.receiptLoading : t.billing.invoiceDownload}
                        </Button>
                      ) : p.status === 'paid' && !p.refund ? (
                        <Button id={`payment-invoice-request-${p.outTradeNo}`} className="btn btn-small" onClick={() => setInvoicing(p)}>
                          {t.billing.invoiceRequest}
                        </Button>
                      ) : null}
                    </View>
                  ) : null}
                  {settled && !mine ? <Text className="bl-meta">{t.billing.paymentsNotMine}</Text> : null}
                </View>
                <View className="bl-item-side">
                  <Text className="bl-item-amount">{formatFen(p.amountFen)}</Text>
                  <Text className={`badge ${STATUS_BADGE[p.status] ?? 'badge-warn'}`} id={`payment-status-${p.outTradeNo}`}>
                    {t.billing.paymentStatus[p.status]}
                  </Text>
                </View>
              </View>
            );
          })}
        </View>
      </View>
      {invoicing && invoiceApi ? (
        <View className="bl-mask bl-mask-bottom">
          <View className="bl-bottom-sheet">
            <InvoiceForm key={invoicing.id} api={invoiceApi} amountFen={invoicing.amountFen} onIssued={issued} onCancel={() => setInvoicing(null)} />
          </View>
        </View>
      ) : null}
    </View>
  );
}
