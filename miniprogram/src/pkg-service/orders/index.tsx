import { useCallback, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { errorMessage, trpc, type RouterOutputs } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { orderUrl, ROUTES } from '@/lib/routes';
import { countdownTo, formatDateTime, statusTone } from '@/lib/workorder';
import '@/components/workorder/workorder.css';
import './index.css';

type Summary = RouterOutputs['workorder']['mine'][number];
type Tab = 'all' | 'open' | 'closed';
const TABS: Tab[] = ['all', 'open', 'closed'];

function OrderItem({ o }: { o: Summary }) {
  const cd = o.countdown && !o.countdown.paused ? countdownTo(Date.parse(o.countdown.dueAt), Date.now()) : null;
  return (
    <View className="card orders-item" id={`order-item-${o.orderNo}`} onClick={() => void Taro.navigateTo({ url: orderUrl(o.id) })}>
      <View className="orders-item-head">
        <Text className="orders-item-type">
          {o.typeLabel}
          {o.faultKind ? ` · ${t.faultKinds[o.faultKind]}` : o.category ? ` · ${o.category}` : ''}
        </Text>
        <Text className={`badge wo-status-${statusTone(o.status)}`} id={`order-item-status-${o.orderNo}`}>
          {o.statusLabel}
        </Text>
      </View>
      <Text className="orders-item-desc">{o.descriptionPreview}</Text>
      <View className="orders-item-foot">
        <Text className="orders-item-no">{o.orderNo}</Text>
        <Text className="orders-item-time">{formatDateTime(o.createdAt)}</Text>
      </View>
      {cd ? (
        <Text className={`orders-item-cd ${cd.overdue ? 'orders-item-cd-over' : ''}`}>
          {t.order.countdownPrefix(t.order.nextStep[o.countdown!.kind] ?? t.order.nextStepFallback)}
          {' · '}
          {cd.overdue ? t.order.countdownOverdue : t.order.countdownLeft} {cd.text}
        </Text>
      ) : null}
    </View>
  );
}

export default function OrdersPage() {
  const [tab, setTab] = useState<Tab>('all');
  const [orders, setOrders] = useState<Summary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tabRef = useRef<Tab>('all');

  const load = useCallback(async (which: Tab = tabRef.current) => {
    if (!tokenStore.isLoggedIn()) {
      await Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    setError(null);
    try {
      const list = await trpc.workorder.mine.query({ state: which, limit: 50 });
      if (tabRef.current === which) setOrders(list);
    } catch (e) {
      setError(errorMessage(e, t.orders.loadFailed));
    }
  }, []);

  useDidShow(() => {
    void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const pick = (next: Tab) => {
    tabRef.current = next;
    setTab(next);
    setOrders(null);
    void load(next);
  };

  return (
    <View className="page orders-page">
      <View className="orders-tabs">
        {TABS.map((k) => (
          <View key={k} id={`orders-tab-${k}`} className={`orders-tab ${tab === k ? 'orders-tab-on' : ''}`} onClick={() => pick(k)}>
            <Text>{t.orders.tabs[k]}</Text>
          </View>
        ))}
      </View>
      <View className="orders-body" id="orders-list">
        {error ? (
          <View className="card" id="orders-error">
            <Text className="card-hint">{error}</Text>
            <Button className="btn btn-primary wo-submit" onClick={() => void load()}>
              {t.common.retry}
            </Button>
          </View>
        ) : orders === null ? (
          <Text className="center-note">{t.common.loading}</Text>
        ) : orders.length === 0 ? (
          <View className="card orders-empty" id="orders-empty">
            <Text className="card-title">{t.orders.empty}</Text>
            <Text className="card-hint">{t.orders.emptyHint}</Text>
            <View className="orders-empty-actions">
              <Button className="btn btn-primary btn-small" onClick={() => void Taro.navigateTo({ url: ROUTES.fault })}>
                {t.orders.newFault}
              </Button>
              <Button className="btn btn-ghost btn-small" onClick={() => void Taro.navigateTo({ url: ROUTES.request })}>
                {t.orders.newRequest}
              </Button>
            </View>
          </View>
        ) : (
          orders.map((o) => <OrderItem key={o.id} o={o} />)
        )}
      </View>
    </View>
  );
}
