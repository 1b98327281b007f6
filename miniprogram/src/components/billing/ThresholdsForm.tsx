import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { THRESHOLD_CHOICES_YUAN, thresholdPair, toggleThreshold } from '@/lib/billing';
import '@/components/workorder/workorder.css';
import './billing.css';

export interface ThresholdsApi {
  /** billing.setAlertThresholds: refused (FORBIDDEN, with a Chinese message) unless the caller is the 户主. */
  save: (thresholdsYuan: [number, number]) => Promise<{ thresholdsFen: number[] }>;
  message: (err: unknown, fallback: string) => string;
}

const yuanOf = (fen: number) => Math.floor(fen / 100);

/**
 * 余额提醒 of a smart-prepaid account: the two balances (of 200/120/100/50/30/10 元) below which the
 * customer is told — the same choice as on the web. Only the 户主 may change them: the server's refusal
 * is shown as it says it.
 */
export function ThresholdsForm({ currentFen, api, onSaved }: { currentFen: number[]; api: ThresholdsApi; onSaved: (fen: number[]) => void }) {
  const [editing, setEditing] = useState(false);
  const [picked, setPicked] = useState<number[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const current = currentFen.map(yuanOf);

  const save = async () => {
    if (busy) return;
    const pair = thresholdPair(picked);
    if (!pair) {
      setError(t.billing.thresholdsPick2);
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const r = await api.save(pair);
      setEditing(false);
      onSaved(r.thresholdsFen);
    } catch (e) {
      setError(api.message(e, t.billing.thresholdsFailed));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="bl-section" id="thresholds">
      <View className="bl-row">
        <Text className="wo-label bl-label-inline">{t.billing.thresholdsTitle}</Text>
        {!editing ? (
          <Text
            className="bl-link"
            id="thresholds-edit"
            onClick={() => {
              setPicked(current);
              setError(null);
              setEditing(true);
            }}
          >
            {t.billing.thresholdsEdit}
          </Text>
        ) : null}
      </View>
      {!editing ? (
        <Text className="bl-meta" id="thresholds-value">
          {current.length === 2 ? t.billing.thresholdsValue(t.billing.yuanOption(current[0]!), t.billing.yuanOption(current[1]!)) : ''}
        </Text>
      ) : (
        <View>
          <Text className="bl-meta">{t.billing.thresholdsDesc}</Text>
          <View className="bl-presets bl-thresholds">
            {THRESHOLD_CHOICES_YUAN.map((y) => (
              <View
                key={y}
                id={`threshold-${y}`}
                className={`bl-preset ${picked.includes(y) ? 'bl-preset-on' : ''}`}
                role="checkbox"
                aria-checked={picked.includes(y)}
                onClick={() => {
                  setError(null);
                  setPicked((p) => toggleThreshold(p, y));
                }}
              >
                <Text>{t.billing.yuanOption(y)}</Text>
              </View>
            ))}
          </View>
          {error ? (
            <View className="error-box" id="thresholds-error">
              <Text>{error}</Text>
            </View>
          ) : null}
          <View className="bl-actions">
            <Button className="btn btn-plain" onClick={() => setEditing(false)}>
              {t.common.cancel}
            </Button>
            <Button id="thresholds-save" className="btn btn-primary" disabled={busy || undefined} onClick={() => void save()}>
              {busy ? t.billing.thresholdsSaving : t.billing.thresholdsSave}
            </Button>
          </View>
        </View>
      )}
    </View>
  );
}
