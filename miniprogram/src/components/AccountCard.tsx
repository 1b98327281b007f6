import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { groupAccountNumber, maskName } from '@/lib/format';
import { accountLine, lastMonthUsage, RESIDENTIAL_TIERS_KWH, tierProgress, type AccountFacts, type LineAccount } from '@/lib/account-line';
import '@/components/ui/ui.css';
import './AccountCard.css';

export interface AccountCardData extends LineAccount {
  id: string;
  addressMasked: string;
}

const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const LABEL: Record<'pay' | 'recharge' | 'bills', string> = { pay: t.home.payNow, recharge: t.home.recharge, bills: t.home.viewBills };

/**
 * One bound account: number, holder (masked), relation and binding level said as they are; its state in one
 * honest line (arrears and due date, or balance and days left); last month's usage and this year's tiers.
 */
export function AccountCard({ account, facts, onBills }: { account: AccountCardData; facts?: AccountFacts; onBills?: () => void }) {
  const line = accountLine(account, facts ?? {});
  const usage = lastMonthUsage(facts?.usage);
  const tiers = tierProgress(facts?.usage, account.usageCategory);
  const level = account.level ?? 'holder';
  return (
    <View className={`card account-card account-card-${line.tone}`} id={`account-card-${account.number}`}>
      <View className="account-top">
        <View className="account-top-left">
          <Text className="account-label">{t.home.accountNo}</Text>
          <Text className="account-number">{groupAccountNumber(account.number)}</Text>
        </View>
        <Text className={`ui-tag ui-tag-${level}`} id={`account-level-${account.number}`}>
          {t.home.level[level]}
        </Text>
      </View>
      <Text className="account-holder">
        {maskName(account.holderNameMasked)} · {t.home.relation[account.relation]} · {t.home.usageCategory[account.usageCategory]} ·{' '}
        {t.home.paymentMode[account.paymentMode]}
      </Text>
      <Text className="account-address">{account.addressMasked}</Text>

      <View className={`account-line account-line-${line.tone}`}>
        <Text id={`account-state-${account.number}`}>{line.text}</Text>
      </View>

      {usage || tiers ? (
        <View className="account-usage">
          {usage ? (
            <View className="account-usage-row">
              <Text className="account-usage-key">{t.home.lastMonth}</Text>
              <Text className="account-usage-value">{usage}</Text>
            </View>
          ) : null}
          {tiers ? (
            <View className="account-tiers">
              <View className="account-usage-row">
                <Text className="account-usage-key">{t.home.tierTitle(tiers.year)}</Text>
                <Text className="account-usage-value">{tiers.usedText}</Text>
              </View>
              <View className="ui-bar">
                <View className={`ui-bar-fill ui-bar-fill-${tiers.tier}`} style={{ width: `${tiers.fillPct}%` }} />
                <View className="ui-bar-mark" style={{ left: `${tiers.markPct}%` }} />
              </View>
              <View className="account-usage-row">
                <Text className={`account-tier-left account-tier-left-${tiers.tier}`}>{tiers.leftText}</Text>
                <Text className="account-tier-marks">
                  {t.home.tierMarks(thousands(RESIDENTIAL_TIERS_KWH[0]), thousands(RESIDENTIAL_TIERS_KWH[1]))}
                </Text>
              </View>
            </View>
          ) : null}
        </View>
      ) : null}

      {level === 'follow' ? <Text className="account-level-hint">{t.home.levelFollowHint}</Text> : null}

      {onBills ? (
        <View className="account-actions">
          <Button
            id={`account-bills-${account.number}`}
            className={`btn btn-small ${line.action === 'bills' ? 'btn-ghost' : 'btn-primary'} account-action`}
            onClick={onBills}
          >
            {LABEL[line.action]}
          </Button>
        </View>
      ) : null}
    </View>
  );
}
