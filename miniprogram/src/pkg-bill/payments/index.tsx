import { useCallback, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { t } from '@/i18n'
import { errorMessage, trpc, type RouterOutputs } from '@/lib/trpc'
import { tokenStore } from '@/lib/storage'
import { formatFen } from '@/lib/format'
import { ROUTES } from '@/lib/routes'
import { formatDateTime } from '@/lib/workorder'
import { useReceipt } from '@/components/billing/useReceipt'
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
  const receipt = useReceipt()

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

  return (
    <View className='page'>
      <View className='wo-body'>
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
                  <Button
                    id={`payment-receipt-${p.outTradeNo}`}
                    className='btn btn-small'
                    disabled={receipt.busy !== null || undefined}
                    onClick={() => void receipt.open(p.id)}
                  >
                    {receipt.busy === p.id ? t.billing.receiptLoading : t.billing.downloadReceipt}
                  </Button>
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
