import { useState } from 'react';
import { Button, Input, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { formatFen } from '@/lib/format';
import { RECHARGE_PRESETS_YUAN, normalizeAmountInput, parseYuanToFen } from '@/lib/billing';
import './billing.css';

interface Props {
  onPay: (amountFen: number) => void;
  busy?: boolean;
  idPrefix?: string;
}

/** Prepaid recharge: preset amounts or a custom one (1–50,000 元, two decimals at most). */
export function RechargeForm({ onPay, busy, idPrefix = 'recharge' }: Props) {
  const [preset, setPreset] = useState<number | null>(100);
  const [custom, setCustom] = useState('');
  const [error, setError] = useState<string | null>(null);

  const parsed = preset != null ? { fen: preset * 100, error: null } : parseYuanToFen(custom);

  const submit = () => {
    if (busy) return;
    if (parsed.error) {
      setError(t.billing.amountErrors[parsed.error]);
      return;
    }
    setError(null);
    onPay(parsed.fen);
  };

  return (
    <View id={`${idPrefix}-form`}>
      <Text className="wo-label">{t.billing.rechargeTitle}</Text>
      <View className="bl-presets">
        {RECHARGE_PRESETS_YUAN.map((y) => (
          <View
            key={y}
            id={`${idPrefix}-preset-${y}`}
            className={`bl-preset ${preset === y ? 'bl-preset-on' : ''}`}
            onClick={() => {
              setPreset(y);
              setCustom('');
              setError(null);
            }}
          >
            <Text>{y} 元</Text>
          </View>
        ))}
      </View>
      <Input
        id={`${idPrefix}-custom`}
        className={`input ${error && preset == null ? 'input-error' : ''}`}
        type="digit"
        value={custom}
        placeholder={t.billing.rechargePlaceholder}
        onInput={(e) => {
          const v = normalizeAmountInput(e.detail.value);
          setCustom(v);
          setPreset(null);
          setError(null);
        }}
      />
      {error ? (
        <Text className="error-text" id={`${idPrefix}-error`}>
          {error}
        </Text>
      ) : null}
      <Button id={`${idPrefix}-pay`} className="btn btn-wechat bl-pay" disabled={busy || undefined} onClick={submit}>
        {t.billing.rechargeButton(parsed.fen != null ? formatFen(parsed.fen) : '')}
      </Button>
    </View>
  );
}
