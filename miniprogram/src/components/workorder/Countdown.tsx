import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import './workorder.css';
import { countdownTo } from '@/lib/workorder';

export interface CountdownData {
  kind: string;
  dueAt: string;
  overdue: boolean;
  paused: boolean;
}

interface Props {
  countdown: CountdownData;
  /** Clock (tests pass a fixed one). */
  now?: () => number;
  /** Tick interval in ms. */
  tickMs?: number;
}

/** The visible countdown to the promised next step; ticks locally every second between refreshes. */
export function Countdown({ countdown, now = Date.now, tickMs = 1000 }: Props) {
  const [at, setAt] = useState(() => now());

  useEffect(() => {
    setAt(now());
    if (countdown.paused) return;
    const timer = setInterval(() => setAt(now()), tickMs);
    return () => clearInterval(timer);
  }, [countdown.dueAt, countdown.paused, now, tickMs]);

  const step = t.order.nextStep[countdown.kind] ?? t.order.nextStepFallback;
  const view = countdownTo(Date.parse(countdown.dueAt), at);
  const overdue = view.overdue && !countdown.paused;

  return (
    <View className={`wo-countdown ${overdue ? 'wo-countdown-overdue' : ''} ${countdown.paused ? 'wo-countdown-paused' : ''}`} id="order-countdown">
      <View className="wo-countdown-main">
        <Text className="wo-countdown-step" id="order-countdown-step">
          {t.order.countdownPrefix(step)}
        </Text>
        {countdown.paused ? (
          <Text className="wo-countdown-time" id="order-countdown-time">
            {t.order.paused}
          </Text>
        ) : (
          <Text className="wo-countdown-time" id="order-countdown-time">
            <Text className="wo-countdown-word">{overdue ? t.order.countdownOverdue : t.order.countdownLeft}</Text>
            {view.text}
          </Text>
        )}
      </View>
      {overdue ? <Text className="wo-countdown-hint">{t.order.overdueHint}</Text> : null}
    </View>
  );
}
