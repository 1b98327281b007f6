import { Button, Text, View } from '@tarojs/components'
import { t } from '@/i18n'
import { formatFen } from '@/lib/format'
import './billing.css'

export type PayStage = 'creating' | 'paying' | 'confirming'

/** While a payment runs: what it waits for (and which of several bills). */
export function PayProgress({ stage, index, count }: { stage: PayStage; index: number; count: number }) {
  return (
    <View className='bl-mask'>
      <View className='bl-sheet' id='pay-progress'>
        <View className='bl-spinner' />
        <Text className='bl-sheet-title' id='pay-stage'>
          {t.billing.stage[stage]}
        </Text>
        {count > 1 ? <Text className='bl-meta'>{t.billing.payProgress(index + 1, count)}</Text> : null}
      </View>
    </View>
  )
}

/** Shown once the server says paid (never on the client's requestPayment success alone). */
export function PaySuccess({ amountFen, kind, reconnect, onDone }: { amountFen: number; kind: 'bill' | 'recharge'; reconnect?: boolean; onDone: () => void }) {
  return (
    <View className='card bl-success' id='pay-success'>
      <View className='bl-success-icon'>
        <Text>✓</Text>
      </View>
      <Text className='bl-success-title'>{t.billing.successTitle}</Text>
      <Text className='bl-success-amount' id='pay-success-amount'>
        {t.billing.successAmount(formatFen(amountFen))}
      </Text>
      <Text className='card-hint'>{kind === 'bill' ? t.billing.successHint : t.billing.successRecharge}</Text>
      {reconnect ? <Text className='card-hint'>{t.billing.successReconnect}</Text> : null}
      <Button id='pay-success-done' className='btn btn-primary bl-pay' onClick={onDone}>
        {t.billing.done}
      </Button>
    </View>
  )
}
