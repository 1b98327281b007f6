import { useCallback, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { errorMessage, trpc, type RouterOutputs } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { groupAccountNumber } from '@/lib/format';
import { formatMessageTime } from '@/lib/outage';
import { ROUTES } from '@/lib/routes';
import '@/components/outage/outage.css';

type Message = RouterOutputs['messages']['list'][number];
const PAGE = 20;

export default function MessagesPage() {
  const [items, setItems] = useState<Message[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [hasMore, setHasMore] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [marking, setMarking] = useState(false);
  const filter = useRef(false);

  const load = useCallback(async () => {
    if (!tokenStore.isLoggedIn()) {
      await Taro.reLaunch({ url: ROUTES.login });
      return;
    }
    const only = filter.current;
    setError(null);
    try {
      const rows = await trpc.messages.list.query({ limit: PAGE, unreadOnly: only || undefined });
      if (filter.current !== only) return;
      setItems(rows);
      setHasMore(rows.length === PAGE);
    } catch (e) {
      setError(errorMessage(e, t.messages.loadFailed));
    }
  }, []);

  useDidShow(() => {
    void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const more = async () => {
    if (!items || items.length === 0 || loadingMore) return;
    setLoadingMore(true);
    try {
      const rows = await trpc.messages.list.query({
        limit: PAGE,
        before: items[items.length - 1]!.createdAt,
        unreadOnly: filter.current || undefined,
      });
      setItems((cur) => [...(cur ?? []), ...rows]);
      setHasMore(rows.length === PAGE);
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e, t.messages.loadFailed), icon: 'none' });
    } finally {
      setLoadingMore(false);
    }
  };

  const switchTab = (only: boolean) => {
    filter.current = only;
    setUnreadOnly(only);
    setItems(null);
    void load();
  };

  const open = async (m: Message) => {
    if (!m.read) {
      setItems((cur) => cur?.map((x) => (x.id === m.id ? { ...x, read: true } : x)) ?? cur);
      try {
        await trpc.messages.markRead.mutate({ ids: [m.id] });
      } catch {
        // shown as read locally; the next load corrects it
      }
    }
  };

  const markAll = async () => {
    if (marking) return;
    setMarking(true);
    try {
      await trpc.messages.markRead.mutate({ all: true });
      setItems((cur) => (filter.current ? [] : (cur?.map((x) => ({ ...x, read: true })) ?? cur)));
      void Taro.showToast({ title: t.messages.markedAll, icon: 'none' });
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e, t.common.unknownError), icon: 'none' });
    } finally {
      setMarking(false);
    }
  };

  const unread = items?.filter((m) => !m.read).length ?? 0;

  return (
    <View className="page" id="messages-page">
      <View className="og-header">
        <Text className="og-header-title">{t.messages.title}</Text>
        <Text className="og-header-sub">{t.messages.subtitle}</Text>
      </View>
      <View className="og-body">
        <View className="card">
          <View className="og-tabs">
            <View className="og-chips">
              <Text id="messages-tab-all" className={`og-chip ${!unreadOnly ? 'og-chip-on' : ''}`} onClick={() => switchTab(false)}>
                {t.messages.all}
              </Text>
              <Text id="messages-tab-unread" className={`og-chip ${unreadOnly ? 'og-chip-on' : ''}`} onClick={() => switchTab(true)}>
                {t.messages.unreadOnly}
              </Text>
            </View>
            <Button
              id="messages-mark-all"
              className="btn btn-small btn-ghost og-sub-btn"
              disabled={marking || unread === 0 || undefined}
              onClick={() => void markAll()}
            >
              {t.messages.markAll}
            </Button>
          </View>

          {error ? (
            <View id="messages-error">
              <Text className="error-text">{error}</Text>
              <Button className="btn btn-primary" onClick={() => void load()}>
                {t.common.retry}
              </Button>
            </View>
          ) : items === null ? (
            <Text className="center-note">{t.common.loading}</Text>
          ) : items.length === 0 ? (
            <Text className="center-note" id="messages-empty">
              {t.messages.empty}
            </Text>
          ) : (
            <View id="messages-list">
              {items.map((m) => (
                <View
                  key={m.id}
                  id={`message-${m.id}`}
                  className={`og-msg ${m.read ? 'og-msg-read' : 'og-msg-unread'}`}
                  data-kind={m.kind}
                  onClick={() => void open(m)}
                >
                  {m.read ? (
                    <View className="og-msg-dot" />
                  ) : (
                    <View className="og-msg-dot" id={`message-unread-${m.id}`} role="img" aria-label={t.messages.unread} />
                  )}
                  <View className="og-msg-main">
                    <View className="og-msg-head">
                      <Text className="og-msg-title">{m.title}</Text>
                      <Text className="og-msg-time">{formatMessageTime(m.createdAt)}</Text>
                    </View>
                    <Text className="og-msg-body">{m.body}</Text>
                    {m.accountNumbers.length > 0 ? (
                      <Text className="og-msg-accounts">{t.messages.accounts(m.accountNumbers.map(groupAccountNumber).join('、'))}</Text>
                    ) : null}
                  </View>
                </View>
              ))}
              {hasMore ? (
                <Text className="og-more" id="messages-more" onClick={() => void more()}>
                  {loadingMore ? t.common.loading : t.messages.loadMore}
                </Text>
              ) : (
                <Text className="og-more og-more-end">{t.messages.noMore}</Text>
              )}
            </View>
          )}
        </View>
      </View>
    </View>
  );
}
