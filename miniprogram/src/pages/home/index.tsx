import { useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { AccountCard } from '@/components/AccountCard';
import { EntryGrid, type Entry } from '@/components/ui/EntryGrid';
import { Icon } from '@/components/ui/Icon';
import { trpc } from '@/lib/trpc';
import { greetingKey } from '@/lib/format';
import { customerName } from '@/lib/account-line';
import { unreadBadge } from '@/lib/outage';
import { billsUrl, ROUTES } from '@/lib/routes';
import { go } from '@/lib/nav';
import { useAccounts } from '@/lib/use-accounts';
import './index.css';

/** 首页: greeting by name, each bound account's state in one line, and the services used most. */
export default function HomePage() {
  const { state, me, accounts, facts, error, load } = useAccounts({ withFacts: true });
  const [unread, setUnread] = useState(0);

  const refresh = async () => {
    // The unread badge never blocks the page.
    trpc.messages.unreadCount
      .query()
      .then((r) => setUnread(r.count))
      .catch(() => undefined);
    await load();
  };
  useDidShow(() => void refresh());
  usePullDownRefresh(() => void refresh().finally(() => Taro.stopPullDownRefresh()));

  const name = state === 'ready' ? customerName(me, accounts) : null;
  const greeting = t.home.greeting[greetingKey(new Date().getHours())];
  const quick: Entry[] = [
    { key: 'payFor', icon: 'payFor', name: t.service.payFor, onTap: () => go(ROUTES.payFor) },
    { key: 'fault', icon: 'fault', name: t.service.fault, onTap: () => go(ROUTES.fault) },
    { key: 'outages', icon: 'outages', name: t.service.outages, onTap: () => go(ROUTES.outages) },
    { key: 'messages', icon: 'messages', name: t.service.messages, badge: unreadBadge(unread), onTap: () => go(ROUTES.messages) },
  ];

  return (
    <View className="page home-page">
      <View className="hero">
        <Text className="hero-title" id="home-greeting">
          {greeting}
          {name ? `，${name}` : ''}
        </Text>
        <Text className="hero-sub">{t.home.greetingHint}</Text>
      </View>

      <View className="hero-overlap">
        {state === 'loading' ? (
          <View className="card">
            <Text className="center-note">{t.common.loading}</Text>
          </View>
        ) : null}

        {state === 'error' ? (
          <View className="card" id="home-error">
            <Text className="card-title">{t.home.loadFailed}</Text>
            <Text className="card-hint">{error}</Text>
            <Button className="btn btn-primary home-retry" onClick={() => void refresh()}>
              {t.common.retry}
            </Button>
          </View>
        ) : null}

        {state === 'ready' && accounts.length === 0 ? (
          <View className="card home-empty" id="home-empty">
            <View className="ui-tile ui-tile-bind home-empty-icon">
              <Icon name="bind" />
            </View>
            <Text className="home-empty-title">{t.home.emptyTitle}</Text>
            <Text className="home-empty-hint">{t.home.emptyHint}</Text>
            <Button id="home-bind" className="btn btn-primary" onClick={() => go(ROUTES.bind)}>
              {t.home.bindButton}
            </Button>
          </View>
        ) : null}

        {state === 'ready' && accounts.length > 0 ? (
          <View id="account-list">
            <View className="section-head home-section-head">
              <Text className="section-title home-section-title">
                {t.home.myAccounts}
                <Text className="home-count">{t.home.accountsCount(accounts.length)}</Text>
              </Text>
              <Text className="section-extra home-section-extra" id="home-bind-more" onClick={() => go(ROUTES.bind)}>
                {t.home.bindMore}
              </Text>
            </View>
            {accounts.map((a) => (
              <AccountCard key={a.id} account={a} facts={facts[a.id]} onBills={() => go(billsUrl(a.id))} />
            ))}
          </View>
        ) : null}

        {state === 'ready' ? (
          <View className="card home-services" id="home-services">
            <Text className="home-services-title">{t.home.quickTitle}</Text>
            <EntryGrid items={quick} idPrefix="home" />
          </View>
        ) : null}
      </View>
    </View>
  );
}
