import { useState } from 'react';
import { Button, Text, Textarea, View } from '@tarojs/components';
import { t } from '@/i18n';
import './workorder.css';

interface Props {
  onSubmit: (stars: number, comment: string) => Promise<void>;
  message: (err: unknown, fallback: string) => string;
}

export function Stars({ value, onPick, idPrefix }: { value: number; onPick?: (n: number) => void; idPrefix?: string }) {
  return (
    <View className="wo-stars">
      {[1, 2, 3, 4, 5].map((n) => (
        <Text
          key={n}
          id={idPrefix ? `${idPrefix}-${n}` : undefined}
          className={`wo-star ${n <= value ? 'wo-star-on' : ''}`}
          onClick={onPick ? () => onPick(n) : undefined}
        >
          ★
        </Text>
      ))}
    </View>
  );
}

/** 1–5 stars and an optional comment, after the order is resolved (workorder.rate). */
export function RatingForm({ onSubmit, message }: Props) {
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy) return;
    if (stars < 1) {
      setError(t.order.rateMissing);
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await onSubmit(stars, comment.trim());
    } catch (e) {
      setError(message(e, t.common.unknownError));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="card wo-rate" id="order-rate">
      <Text className="card-title">{t.order.rateTitle}</Text>
      <Text className="card-hint">{t.order.rateHint}</Text>
      <View className="wo-rate-stars">
        <Stars
          value={stars}
          idPrefix="rate-star"
          onPick={(n) => {
            setStars(n);
            setError(null);
          }}
        />
        <Text className="wo-rate-label" id="rate-label">
          {stars > 0 ? t.order.starLabels[stars - 1] : ''}
        </Text>
      </View>
      <Textarea
        id="rate-comment"
        className="wo-textarea wo-textarea-small"
        value={comment}
        maxlength={500}
        placeholder={t.order.commentPlaceholder}
        onInput={(e) => setComment(e.detail.value)}
      />
      {error ? (
        <Text className="error-text" id="rate-error">
          {error}
        </Text>
      ) : null}
      <Button id="rate-submit" className="btn btn-primary wo-submit" disabled={busy || undefined} onClick={() => void submit()}>
        {busy ? t.order.rateSubmitting : t.order.rateSubmit}
      </Button>
    </View>
  );
}
