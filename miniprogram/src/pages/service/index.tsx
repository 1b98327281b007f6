import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { EntryGrid } from '@/components/ui/EntryGrid';
import { trpc } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { unreadBadge } from '@/lib/outage';
import { ROUTES } from '@/lib/routes';
import { go } from '@/lib/nav';
import { APPLY_ROUTES } from '../../pkg-apply/routes';
import { KNOWLEDGE_ROUTES } from '../../pkg-knowledge/routes';
import '@/components/ui/ui.css';
import './index.css';

/** 服务: reporting, questions and complaints, orders, outages and notices, binding. */
export default function ServiceTabPage() {
  const [unread, setUnread] = useState(0);
  useDidShow(() => {
    if (!tokenStore.isLoggedIn()) {
      void Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    trpc.messages.unreadCount
      .query()
      .then((r) => setUnread(r.count))
      .catch(() => undefined);
  });

  const groups = [
    {
      key: 'report',
      title: t.serviceTab.groupReport,
      items: [
        { key: 'fault', icon: 'fault' as const, name: t.service.fault, hint: t.service.faultHint, onTap: () => go(ROUTES.fault) },
        { key: 'request', icon: 'request' as const, name: t.service.request, hint: t.service.requestHint, onTap: () => go(ROUTES.request) },
        { key: 'orders', icon: 'orders' as const, name: t.service.orders, hint: t.service.ordersHint, onTap: () => go(ROUTES.orders) },
        { key: 'knowledge', icon: 'request' as const, name: t.knowledge.title, hint: t.knowledge.hint, onTap: () => go(KNOWLEDGE_ROUTES.index) },
        { key: 'apply', icon: 'request' as const, name: t.apply.title, hint: t.apply.hint, onTap: () => go(APPLY_ROUTES.list) },
      ],
    },
    {
      key: 'outage',
      title: t.serviceTab.groupOutage,
      items: [
        { key: 'outages', icon: 'outages' as const, name: t.service.outages, hint: t.service.outagesHint, onTap: () => go(ROUTES.outages) },
        {
          key: 'messages',
          icon: 'messages' as const,
          name: t.service.messages,
          hint: t.service.messagesHint,
          badge: unreadBadge(unread),
          onTap: () => go(ROUTES.messages),
        },
      ],
    },
    {
      key: 'account',
      title: t.serviceTab.groupAccount,
      items: [
        { key: 'bind', icon: 'bind' as const, name: t.serviceTab.bind, hint: t.serviceTab.bindHint, onTap: () => go(ROUTES.bind) },
        { key: 'payFor', icon: 'payFor' as const, name: t.service.payFor, hint: t.service.payForHint, onTap: () => go(ROUTES.payFor) },
      ],
    },
  ];

  return (
    <View className="page">
      <View className="ui-head">
        <Text className="ui-head-title">{t.serviceTab.title}</Text>
        <Text className="ui-head-sub">{t.serviceTab.subtitle}</Text>
      </View>
      <View className="ui-body">
        {groups.map((g) => (
          <View key={g.key} className="card sv-group" id={`service-${g.key}`}>
            <Text className="sv-title">{g.title}</Text>
            <EntryGrid items={g.items} idPrefix="service" cols={3} />
          </View>
        ))}
        <Text className="center-note">{t.serviceTab.hotline}</Text>
      </View>
    </View>
  );
}
