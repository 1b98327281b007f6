import { useCallback, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { t } from '@/i18n'
import { errorMessage, trpc, type RouterOutputs } from '@/lib/trpc'
import { tokenStore } from '@/lib/storage'
import { formatFen } from '@/lib/format'
import { ROUTES } from '@/lib/routes'
import { formatDateTime } from '@/lib/workorder'
import { useDocuments } from '@/components/billing/useDocuments'
import { InvoiceForm, type InvoiceApi } from '@/components/billing/InvoiceForm'
import '@/components/workorder/workorder.css'
import '@/components/billing/billing.css'

type Payment = RouterOutputs['billing']['payments'][number]

const STATUS_BADGE: Record<string, string> = { paid: 'badge-ok', refunded: 'badge-warn', closed: '' }

/**
 * 缴费记录: payments to one account (`?accountId=`, someone else's 代缴 included, without who paid) or,
 * without it, the payments this user made. Paid ones open their receipt.
 */
export default function PaymentsPage() {
  const accountId = useRouter().params.accountId || undefined
  const [list, setList] = useState<Payment[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const docs = useDocuments()
  /** The payment whose e-invoice title is being filled in. */
  const [invoicing, setInvoicing] = useState<Payment | null>(null)

  const load = useCallback(async () => {
    if (!tokenStore.isLoggedIn()) {
      await Taro.reLaunch({ url: ROUTES.login })
      return
    }
    try {
      setList(await trpc.billing.payments.query({ accountId, limit: 50 }))
      setError(null)
    } catch (e) {
      setError(errorMessage(e, t.billing.loadFailed))
    }
  }, [accountId])

  useDidShow(() => void load())
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()))

  const invoiceApi: InvoiceApi | null = invoicing
    ? { request: (title) => trpc.billing.requestInvoice.mutate({ paymentId: invoicing.id, title }), message: errorMessage }
    : null
  const issued = () => {
    setInvoicing(null)
    void Taro.showToast({ title: t.billing.invoiceIssued, icon: 'success', duration: 1500 })
    void load()
  }

  return (
    <View className='page'>
      <View className='wo-body'>
        {invoicing && invoiceApi ? <InvoiceForm key={invoicing.id} api={invoiceApi} amountFen={invoicing.amountFen} onIssued={issued} onCancel={() => setInvoicing(null)} /> : null}
        <View className='card' id='payments-list'>
          {error ? <Text className='card-hint' id='payments-error'>{error}</Text> : null}
          {list === null && !error ? <Text className='center-note'>{t.common.loading}</Text> : null}
          {list?.length === 0 ? <Text className='center-note'>{t.billing.paymentsEmpty}</Text> : null}
          {list?.map((p) => (
            <View key={p.id} className='bl-item' id={`payment-${p.outTradeNo}`}>
              <View className='bl-item-main'>
                <Text className='bl-period'>
                  {t.billing.purposes[p.purpose]}
                  {p.onBehalf ? ` · ${t.billing.onBehalf}` : ''}
                </Text>
                <Text className='bl-meta'>
                  {t.billing.accountNo(p.accountNumber)} · {formatDateTime(p.paidAt ?? p.createdAt)}
                </Text>
                {p.status === 'paid' || p.status === 'refunded' ? (
                  <View className='bl-doc-actions'>
                    <Button id={`payment-receipt-${p.outTradeNo}`} className='btn btn-small' disabled={docs.busy !== null || undefined} onClick={() => void docs.open(p.id)}>
                      {docs.isBusy(p.id, 'receipt') ? t.billing.receiptLoading : t.billing.downloadReceipt}
                    </Button>
                    {p.invoiceNo ? (
                      <Button
                        id={`payment-invoice-${p.outTradeNo}`}
                        className='btn btn-small'
                        disabled={docs.busy !== null || undefined}
                        onClick={() => void docs.open(p.id, 'invoice')}
                      >
                        {docs.isBusy(p.id, 'invoice') ? t.billing.receiptLoading : t.billing.invoiceDownload}
                      </Button>
                    ) : p.status === 'paid' && !p.refund ? (
                      <Button id={`payment-invoice-request-${p.outTradeNo}`} className='btn btn-small' onClick={() => setInvoicing(p)}>
                        {t.billing.invoiceRequest}
                      </Button>
                    ) : null}
                  </View>
                ) : null}
              </View>
              <View className='bl-item-side'>
                <Text className='bl-item-amount'>{formatFen(p.amountFen)}</Text>
                <Text className={`badge ${STATUS_BADGE[p.status] ?? 'badge-warn'}`} id={`payment-status-${p.outTradeNo}`}>
                  {t.billing.paymentStatus[p.status]}
                </Text>
              </View>
            </View>
          ))}
        </View>
      </View>
    </View>
  )
}
