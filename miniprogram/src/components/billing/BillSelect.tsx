import { useEffect, useMemo, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { formatFen } from '@/lib/format';
import { formatDay, formatKwh, formatPeriod, isPayable, payOrder, selectedTotalFen, type BillLike } from '@/lib/billing';
import './billing.css';

interface Props {
  /** Unpaid/overdue bills (any order). */
  bills: BillLike[];
  /** Pays the chosen bills (oldest first); errors are shown by the caller's pay flow. */
  onPay: (bills: BillLike[]) => void;
  busy?: boolean;
  /** Prefix for element ids (`unpaid` on the bill page, `payfor` for 代缴). */
  idPrefix?: string;
}

/** Unpaid bills with check boxes (all selected at first), the total to pay today and the pay button. */
export function BillSelect({ bills, onPay, busy, idPrefix = 'unpaid' }: Props) {
  const payable = useMemo(() => bills.filter(isPayable), [bills]);
  const [selected, setSelected] = useState<Set<string>>(() => new Set(payable.map((b) => b.id)));
  const [error, setError] = useState<string | null>(null);
  const key = payable.map((b) => b.id).join(',');
  // New bill list (after a payment): select what is still open.
  useEffect(() => setSelected(new Set(payable.map((b) => b.id))), [key]); // eslint-disable-line react-hooks/exhaustive-deps

  const total = selectedTotalFen(payable, selected);
  const lateFee = payable.filter((b) => selected.has(b.id)).reduce((s, b) => s + b.lateFeeFen, 0);
  const allOn = payable.length > 0 && payable.every((b) => selected.has(b.id));

  const toggle = (id: string) => {
    setError(null);
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  };
  const toggleAll = () => {
    setError(null);
    setSelected(allOn ? new Set() : new Set(payable.map((b) => b.id)));
  };
  const pay = () => {
    if (busy) return;
    const chosen = payOrder(payable, selected);
    if (chosen.length === 0) {
      setError(t.billing.payNothing);
      return;
    }
    onPay(chosen);
  };

  if (payable.length === 0) {
    return (
      <Text className="center-note" id={`${idPrefix}-empty`}>
        {t.billing.noUnpaid}
      </Text>
    );
  }

  return (
    <View id={`${idPrefix}-list`}>
      {payable.map((b) => {
        const on = selected.has(b.id);
        return (
          <View key={b.id} id={`${idPrefix}-bill-${b.period}`} className={`bl-unpaid ${on ? 'bl-unpaid-on' : ''}`} onClick={() => toggle(b.id)}>
            <View className={`bl-check ${on ? 'bl-check-on' : ''}`} id={`${idPrefix}-check-${b.period}`}>
              <Text>{on ? '✓' : ''}</Text>
            </View>
            <View className="bl-unpaid-main">
              <View className="bl-row">
                <Text className="bl-period">{formatPeriod(b.period)}</Text>
                <Text className={`badge ${b.status === 'overdue' ? 'badge-danger' : 'badge-warn'}`}>{t.billing.status[b.status]}</Text>
              </View>
              <Text className="bl-meta">
                {b.kwh != null ? `${formatKwh(b.kwh)} · ` : ''}
                {t.billing.amount} {formatFen(b.amountFen)}
                {b.lateFeeFen > 0 ? ` · ${t.billing.lateFee} ${formatFen(b.lateFeeFen)}` : ''}
              </Text>
              <Text className="bl-meta">
                {t.billing.dueDay} {formatDay(b.dueDay)}
              </Text>
            </View>
            <Text className="bl-due">{formatFen(b.totalDueFen)}</Text>
          </View>
        );
      })}
      <View className="bl-total-row">
        <View className="bl-all" id={`${idPrefix}-select-all`} onClick={toggleAll}>
          <View className={`bl-check ${allOn ? 'bl-check-on' : ''}`}>
            <Text>{allOn ? '✓' : ''}</Text>
          </View>
          <Text>{t.billing.selectAll}</Text>
        </View>
        <View className="bl-total">
          <Text>{t.billing.selectedTotal} </Text>
          <Text className="bl-total-value" id={`${idPrefix}-total`}>
            {formatFen(total)}
          </Text>
          {lateFee > 0 ? <Text className="bl-total-fee">{t.billing.lateFeeIncluded(formatFen(lateFee))}</Text> : null}
        </View>
      </View>
      {error ? (
        <Text className="error-text" id={`${idPrefix}-error`}>
          {error}
        </Text>
      ) : null}
      <Button id={`${idPrefix}-pay`} className="btn btn-wechat bl-pay" disabled={busy || undefined} onClick={pay}>
        {t.billing.payButton(formatFen(total))}
      </Button>
    </View>
  );
}
