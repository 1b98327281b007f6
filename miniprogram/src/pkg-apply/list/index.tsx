import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { APPLICATION_KIND_LABELS } from '@power/api/labels';
import { t } from '@/i18n';
import { errorMessage, trpc, type RouterOutputs } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { ROUTES } from '@/lib/routes';
import { go } from '@/lib/nav';
import { formUrl, trackerUrl } from '../api';
import '../apply.css';

type Item = RouterOutputs['application']['mine'][number];
const KINDS = ['new_connection', 'capacity_change', 'meter_check', 'name_change'] as const;

/** 业务办理: start an application of a kind, and the list of mine with where each stands. */
export default function ApplicationsPage() {
  const [items, setItems] = useState<Item[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useDidShow(() => {
    if (!tokenStore.isLoggedIn()) {
      void Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    trpc.application.mine
      .query()
      .then((r) => {
        setItems(r);
        setError(null);
      })
      .catch((e) => setError(errorMessage(e, t.apply.loadFailed)));
  });
  return (
    <View className="page">
      <View className="card">
        <Text className="ap-muted">{t.apply.intro}</Text>
        <View className="ap-kinds" style={{ marginTop: '16px' }}>
          {KINDS.map((k) => (
            <View key={k} id={`apply-kind-${k}`} className="ap-kind" onClick={() => go(formUrl(k))}>
              <Text className="ap-kind-name">{t.apply.start(APPLICATION_KIND_LABELS[k])}</Text>
            </View>
          ))}
        </View>
      </View>
      <View className="card">
        <Text className="ap-title">{t.apply.listTitle}</Text>
        {error ? <Text className="error-text">{error}</Text> : null}
        {items && items.length === 0 ? <Text className="ap-muted">{t.apply.empty}</Text> : null}
        {(items ?? []).map((a) => (
          <View key={a.id} className="ap-item" onClick={() => go(trackerUrl(a.id))}>
            <View className="ap-row">
              <Text className="ap-title">{t.apply.formTitle(a.kindLabel)}</Text>
              <Text className={`ap-tag ${a.phase === 'waiting_customer' ? 'ap-tag-warn' : a.phase === 'completed' ? 'ap-tag-ok' : ''}`}>
                {a.phaseLabel}
              </Text>
            </View>
            <Text className="ap-muted">{a.orderNo}</Text>
            {a.currentLabel ? (
              <Text className="ap-muted">
                {a.currentLabel} {a.currentDaysLeftLabel ?? ''}
              </Text>
            ) : null}
            {a.onTimeLabel ? <Text className="ap-muted">{a.onTimeLabel}</Text> : null}
          </View>
        ))}
      </View>
    </View>
  );
}
