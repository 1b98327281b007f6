import { useState } from 'react';
import { Button, Input, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { formatFen, groupAccountNumber, normalizeAccountNumber, validateAccountNumber } from '@/lib/format';
import { openBillStatus, type BillLike } from '@/lib/billing';
import { BillSelect } from './BillSelect';
import { RechargeForm } from './RechargeForm';
import './billing.css';

/** billing.payFor's answer. */
export interface PayForInfo {
  number: string;
  holderNameMasked: string;
  paymentMode: 'postpaid' | 'prepaid';
  supplyState: 'normal' | 'arrears' | 'disconnected';
  unpaidBills: { id: string; period: string; amountFen: number; lateFeeFen: number; totalDueFen: number; dueDay: string }[];
  totalDueFen: number;
  balanceNegative: boolean | null;
}

export interface PayForApi {
  lookup: (number: string) => Promise<PayForInfo>;
  message: (err: unknown, fallback: string) => string;
}

interface Props {
  api: PayForApi;
  busy?: boolean;
  /** Pay the chosen bills / a recharge for this number, after the payer confirmed the masked holder name. */
  onPayBills: (info: PayForInfo, bills: BillLike[]) => void;
  onRecharge: (info: PayForInfo, amountFen: number) => void;
}

const numberErrors = { empty: t.bind.errors.empty, length: t.bind.errors.length, digits: t.bind.errors.digits };

/** 代缴: any account by number; the payer confirms the masked holder name before paying. */
export function PayForForm({ api, busy, onPayBills, onRecharge }: Props) {
  const [number, setNumber] = useState('');
  const [numberError, setNumberError] = useState<string | null>(null);
  const [looking, setLooking] = useState(false);
  const [info, setInfo] = useState<PayForInfo | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [confirmError, setConfirmError] = useState(false);

  const lookup = async () => {
    if (looking) return;
    const err = validateAccountNumber(number);
    if (err) {
      setNumberError(numberErrors[err]);
      return;
    }
    setNumberError(null);
    setLooking(true);
    try {
      setInfo(await api.lookup(number));
      setConfirmed(false);
    } catch (e) {
      setNumberError(api.message(e, t.bind.errors.notFound));
    } finally {
      setLooking(false);
    }
  };

  const guard = (fn: () => void) => {
    if (!confirmed) {
      setConfirmError(true);
      return;
    }
    fn();
  };

  if (!info) {
    return (
      <View className="card" id="payfor-form">
        <Text className="field-label">{t.bind.numberLabel}</Text>
        <Input
          id="payfor-number"
          className={`input ${numberError ? 'input-error' : ''}`}
          type="number"
          maxlength={13}
          value={number}
          placeholder={t.bind.numberPlaceholder}
          onInput={(e) => {
            setNumber(normalizeAccountNumber(e.detail.value));
            setNumberError(null);
          }}
          onConfirm={() => void lookup()}
        />
        {numberError ? (
          <Text className="error-text" id="payfor-number-error">
            {numberError}
          </Text>
        ) : null}
        <Button id="payfor-lookup" className="btn btn-primary bl-pay" disabled={looking || undefined} onClick={() => void lookup()}>
          {looking ? t.billing.payForLooking : t.billing.payForLookup}
        </Button>
      </View>
    );
  }

  const bills: BillLike[] = info.unpaidBills.map((b) => ({ ...b, kwh: null, status: openBillStatus(b) }));
  return (
    <View className="card" id="payfor-found">
      <View className="bl-row">
        <Text className="bl-period" id="payfor-found-number">
          {groupAccountNumber(info.number)}
        </Text>
        <Text
          className="section-extra"
          id="payfor-change"
          onClick={() => {
            setInfo(null);
            setConfirmed(false);
            setConfirmError(false);
          }}
        >
          {t.billing.payForChange}
        </Text>
      </View>
      <View className="bl-row bl-holder">
        <Text className="bl-meta">{t.billing.payForHolder}</Text>
        <Text className="bl-holder-name" id="payfor-holder-masked">
          {info.holderNameMasked}
        </Text>
      </View>
      <View
        id="payfor-confirm"
        className={`bl-confirm ${confirmError && !confirmed ? 'bl-confirm-error' : ''}`}
        onClick={() => {
          setConfirmed(!confirmed);
          setConfirmError(false);
        }}
      >
        <View className={`bl-check ${confirmed ? 'bl-check-on' : ''}`}>
          <Text>{confirmed ? '✓' : ''}</Text>
        </View>
        <Text>{t.billing.payForConfirm(info.holderNameMasked)}</Text>
      </View>
      {confirmError && !confirmed ? (
        <Text className="error-text" id="payfor-confirm-error">
          {t.billing.payForConfirmMissing}
        </Text>
      ) : null}

      {info.paymentMode === 'prepaid' ? (
        <View className="bl-section">
          <Text className="bl-meta" id="payfor-prepaid">
            {info.balanceNegative ? t.billing.payForBalanceNegative : t.billing.payForPrepaid}
          </Text>
          <RechargeForm idPrefix="payfor-recharge" busy={busy} onPay={(fen) => guard(() => onRecharge(info, fen))} />
        </View>
      ) : info.unpaidBills.length === 0 ? (
        <Text className="center-note" id="payfor-nothing">
          {t.billing.payForNothing}
        </Text>
      ) : (
        <View className="bl-section">
          <Text className="wo-label">
            {t.billing.unpaidTitle} · {formatFen(info.totalDueFen)}
          </Text>
          <BillSelect idPrefix="payfor" bills={bills} busy={busy} onPay={(chosen) => guard(() => onPayBills(info, chosen))} />
        </View>
      )}
    </View>
  );
}
