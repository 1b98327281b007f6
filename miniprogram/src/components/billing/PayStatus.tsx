import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { formatFen } from '@/lib/format';
import type { InvoiceTitleInput } from '@/lib/billing';
import { InvoiceForm } from './InvoiceForm';
import './billing.css';

export type PayStage = 'creating' | 'paying' | 'confirming';

/** While a payment runs: what it waits for (and which of several bills). */
export function PayProgress({ stage, index, count }: { stage: PayStage; index: number; count: number }) {
  return (
    <View className="bl-mask">
      <View className="bl-sheet" id="pay-progress">
        <View className="bl-spinner" />
        <Text className="bl-sheet-title" id="pay-stage">
          {t.billing.stage[stage]}
        </Text>
        {count > 1 ? <Text className="bl-meta">{t.billing.payProgress(index + 1, count)}</Text> : null}
      </View>
    </View>
  );
}

/** What the success screen can do with the payments just made (their receipts and invoices are the payer's). */
export interface PaidDocumentsApi {
  openReceipt: (paymentId: string) => Promise<void> | void;
  openInvoice: (paymentId: string) => Promise<void> | void;
  requestInvoice: (paymentId: string, title: InvoiceTitleInput) => Promise<{ invoiceNo: string }>;
  /** 缴费记录 (mine). */
  openHistory: () => void;
  message: (err: unknown, fallback: string) => string;
}

export interface PaidPayment {
  paymentId: string;
  amountFen: number;
}

/**
 * Shown once the server says paid (never on the client's requestPayment success alone): the amount, and
 * the receipt and e-invoice of the payment right here (several payments: in 缴费记录).
 */
export function PaySuccess({
  amountFen,
  kind,
  reconnect,
  payments = [],
  docs,
  onDone,
}: {
  amountFen: number;
  kind: 'bill' | 'recharge';
  reconnect?: boolean;
  payments?: PaidPayment[];
  docs?: PaidDocumentsApi;
  onDone: () => void;
}) {
  const [invoicing, setInvoicing] = useState(false);
  const [invoiceNo, setInvoiceNo] = useState<string | null>(null);
  const one = payments.length === 1 ? payments[0]! : null;

  return (
    <View className="card bl-success" id="pay-success">
      <View className="bl-success-icon">
        <Text>✓</Text>
      </View>
      <Text className="bl-success-title">{t.billing.successTitle}</Text>
      <Text className="bl-success-amount" id="pay-success-amount">
        {t.billing.successAmount(formatFen(amountFen))}
      </Text>
      <Text className="card-hint">{kind === 'bill' ? t.billing.successHint : t.billing.successRecharge}</Text>
      {reconnect ? <Text className="card-hint">{t.billing.successReconnect}</Text> : null}
      {payments.length > 1 ? <Text className="card-hint">{t.billing.successCount(payments.length)}</Text> : null}

      {docs && one && !invoicing ? (
        <View className="bl-success-actions">
          <Button id="pay-success-receipt" className="btn btn-ghost" onClick={() => void docs.openReceipt(one.paymentId)}>
            {t.billing.viewReceipt}
          </Button>
          {invoiceNo ? (
            <Button id="pay-success-invoice" className="btn btn-ghost" onClick={() => void docs.openInvoice(one.paymentId)}>
              {t.billing.invoiceDownload}
            </Button>
          ) : (
            <Button id="pay-success-invoice" className="btn btn-ghost" onClick={() => setInvoicing(true)}>
              {t.billing.requestInvoice}
            </Button>
          )}
        </View>
      ) : null}
      {docs && payments.length > 1 ? (
        <Button id="pay-success-history" className="btn btn-ghost bl-pay" onClick={docs.openHistory}>
          {t.billing.viewPayments}
        </Button>
      ) : null}
      {docs && one && invoicing ? (
        <View className="bl-success-invoice">
          <InvoiceForm
            api={{ request: (title) => docs.requestInvoice(one.paymentId, title), message: docs.message }}
            amountFen={one.amountFen}
            onIssued={(no) => {
              setInvoiceNo(no);
              setInvoicing(false);
            }}
            onCancel={() => setInvoicing(false)}
          />
        </View>
      ) : null}
      {invoiceNo ? <Text className="card-hint">{t.billing.invoiceIssued}</Text> : null}

      <Button id="pay-success-done" className="btn btn-primary bl-pay" onClick={onDone}>
        {t.billing.done}
      </Button>
    </View>
  );
}

/**
 * A payment that did not go through. Cancelled: nothing was paid, and it says so (the bill is still there to
 * pay). Failed: the way out — pay again, or look in 缴费记录 before paying twice.
 */
export function PayError({
  message,
  kind,
  onRetry,
  onHistory,
}: {
  message: string;
  kind: 'cancelled' | 'failed';
  onRetry?: () => void;
  onHistory?: () => void;
}) {
  return (
    <View className="card bl-pay-error" id="pay-error">
      <Text className="bl-pay-error-title">{message}</Text>
      {kind === 'failed' ? (
        <View>
          <Text className="bl-pay-error-help">{t.billing.payErrorHelp}</Text>
          <View className="bl-success-actions">
            {onRetry ? (
              <Button id="pay-retry" className="btn btn-wechat" onClick={onRetry}>
                {t.billing.payRetry}
              </Button>
            ) : null}
            {onHistory ? (
              <Button id="pay-history" className="btn btn-ghost" onClick={onHistory}>
                {t.billing.viewPayments}
              </Button>
            ) : null}
          </View>
        </View>
      ) : null}
    </View>
  );
}
