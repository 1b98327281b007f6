/** The pay flow of the bill pages: billing.createPayment (jsapi) → platform.requestPayment → poll paymentStatus. */
import { useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { t } from '@/i18n';
import { platform, PlatformError } from '@/platform';
import { errorMessage, trpc, type RouterInputs } from '@/lib/trpc';
import { PayFlowError, runPayment } from '@/lib/billing';
import { paymentsUrl } from '@/lib/routes';
import { useDocuments } from '@/components/billing/useDocuments';
import type { PaidDocumentsApi, PaidPayment, PayStage } from '@/components/billing/PayStatus';

export type PayJob = Omit<RouterInputs['billing']['createPayment'], 'channel'>;

export interface PaySuccessInfo {
  amountFen: number;
  kind: 'bill' | 'recharge';
  reconnect: boolean;
  payments: PaidPayment[];
}

export interface PayErrorInfo {
  message: string;
  /** cancelled: nothing was paid (the payer closed the sheet); failed: may need a look before paying again. */
  kind: 'cancelled' | 'failed';
}

export function payErrorOf(e: unknown, purpose: 'bill' | 'recharge' = 'bill'): PayErrorInfo {
  if (e instanceof PlatformError) {
    return e.reason === 'cancelled'
      ? { kind: 'cancelled', message: purpose === 'recharge' ? t.billing.payCancelledRecharge : t.billing.payCancelled }
      : { kind: 'failed', message: t.billing.payFailed };
  }
  if (e instanceof PayFlowError) {
    if (e.kind === 'closed') return { kind: 'failed', message: t.billing.payClosed };
    if (e.kind === 'refunded') return { kind: 'failed', message: t.billing.payRefunded };
    if (e.kind === 'timeout') return { kind: 'failed', message: t.billing.payTimeout };
    return { kind: 'failed', message: t.billing.payFailed };
  }
  return { kind: 'failed', message: errorMessage(e, t.billing.payFailed) };
}

/** Kept for callers that only want the words. */
export const payErrorMessage = (e: unknown) => payErrorOf(e).message;

/** Runs payments one after another (one WeChat order per bill); `after` refreshes the page either way. */
export function usePayRunner(after: () => Promise<void> | void) {
  const [stage, setStage] = useState<PayStage | null>(null);
  const [progress, setProgress] = useState({ index: 0, count: 0 });
  const [error, setError] = useState<PayErrorInfo | null>(null);
  const [success, setSuccess] = useState<PaySuccessInfo | null>(null);
  const running = useRef(false);
  /** What is left to pay after a failure, for 重新支付. */
  const left = useRef<{ jobs: PayJob[]; opts: { kind: 'bill' | 'recharge'; reconnect?: boolean } } | null>(null);

  const run = async (jobs: PayJob[], opts: { kind: 'bill' | 'recharge'; reconnect?: boolean }) => {
    if (running.current || jobs.length === 0) return;
    running.current = true;
    setError(null);
    setSuccess(null);
    left.current = null;
    const paid: PaidPayment[] = [];
    let paidAll = true;
    try {
      for (let i = 0; i < jobs.length; i++) {
        setProgress({ index: i, count: jobs.length });
        let amount = 0;
        try {
          const r = await runPayment({
            create: async () => {
              const c = await trpc.billing.createPayment.mutate({ ...jobs[i]!, channel: 'jsapi' });
              amount = c.amountFen;
              return c;
            },
            pay: (params, ctx) => platform.requestPayment(params, ctx),
            status: (paymentId) => trpc.billing.paymentStatus.query({ paymentId }),
            onStage: setStage,
          });
          paid.push({ paymentId: r.paymentId, amountFen: amount });
        } catch (e) {
          left.current = { jobs: jobs.slice(i), opts };
          throw e;
        }
      }
    } catch (e) {
      paidAll = false;
      setError(payErrorOf(e, opts.kind));
    } finally {
      setStage(null);
      running.current = false;
    }
    if (paid.length > 0) {
      setSuccess({ amountFen: paid.reduce((s, p) => s + p.amountFen, 0), kind: opts.kind, reconnect: paidAll && !!opts.reconnect, payments: paid });
    }
    await after();
  };

  const retry = () => {
    const l = left.current;
    if (l) void run(l.jobs, l.opts);
  };

  return {
    stage,
    progress,
    error,
    success,
    run,
    retry,
    canRetry: () => left.current !== null,
    busy: stage !== null,
    clearSuccess: () => setSuccess(null),
  };
}

/** Receipts, invoices and the history for the success screen. */
export function usePaidDocuments(): PaidDocumentsApi {
  const docs = useDocuments();
  return {
    openReceipt: (id) => docs.open(id, 'receipt'),
    openInvoice: (id) => docs.open(id, 'invoice'),
    requestInvoice: (paymentId, title) => trpc.billing.requestInvoice.mutate({ paymentId, title }),
    openHistory: () => void Taro.navigateTo({ url: paymentsUrl() }),
    message: errorMessage,
  };
}
