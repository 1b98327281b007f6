import { Button, Text, View } from '@tarojs/components'
import { t } from '@/i18n'
import { accountMoney, groupAccountNumber, maskName } from '@/lib/format'
import './AccountCard.css'

export interface AccountCardData {
  id: string
  number: string
  holderNameMasked: string
  addressMasked: string
  relation: 'self' | 'family' | 'tenant' | 'enterprise'
  usageCategory: 'residential' | 'commercial' | 'industrial'
  paymentMode: 'postpaid' | 'prepaid'
  supplyState: 'normal' | 'arrears' | 'disconnected'
  balanceFen: number
  arrearsFen: number
}

const BADGE: Record<AccountCardData['supplyState'], string> = {
  normal: 'badge badge-ok',
  arrears: 'badge badge-warn',
  disconnected: 'badge badge-danger',
}

export function AccountCard({ account, onBills }: { account: AccountCardData; onBills?: () => void }) {
  const money = accountMoney(account)
  const owes = money.kind === 'arrears'
  return (
    <View className={`card account-card ${owes ? 'account-card-owes' : ''}`} id={`account-card-${account.number}`}>
      <View className='account-top'>
        <View className='account-top-left'>
          <Text className='account-label'>{t.home.accountNo}</Text>
          <Text className='account-number'>{groupAccountNumber(account.number)}</Text>
        </View>
        <Text className={BADGE[account.supplyState]} id={`account-state-${account.number}`}>
          {t.home.supplyState[account.supplyState]}
        </Text>
      </View>

      <View className='account-money'>
        <Text className='account-money-label'>{owes ? t.home.arrears : t.home.balance}</Text>
        <Text className={`account-money-value ${owes ? 'account-money-owes' : ''}`} id={`account-money-${account.number}`}>
          {money.text}
        </Text>
      </View>

      <View className='account-rows'>
        <View className='account-row'>
          <Text className='account-row-key'>{t.home.holder}</Text>
          <Text className='account-row-value'>
            {maskName(account.holderNameMasked)}
            <Text className='account-tag'>{t.home.relation[account.relation]}</Text>
          </Text>
        </View>
        <View className='account-row'>
          <Text className='account-row-key'>{t.home.address}</Text>
          <Text className='account-row-value'>{account.addressMasked}</Text>
        </View>
        <View className='account-row'>
          <Text className='account-row-key' />
          <Text className='account-row-meta'>
            {t.home.usageCategory[account.usageCategory]} · {t.home.paymentMode[account.paymentMode]}
          </Text>
        </View>
      </View>

      {account.supplyState !== 'normal' ? (
        <View className={`account-tip ${account.supplyState === 'disconnected' ? 'account-tip-danger' : ''}`}>
          <Text>{account.supplyState === 'disconnected' ? t.home.disconnectedTip : t.home.arrearsTip}</Text>
        </View>
      ) : null}

      {onBills ? (
        <View className='account-actions'>
          <Button id={`account-bills-${account.number}`} className='btn btn-small btn-primary account-action' onClick={onBills}>
            {t.billing.entry}
          </Button>
        </View>
      ) : null}
    </View>
  )
}
