import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Button, Image, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { CellList } from '@/components/ui/EntryGrid';
import { PhoneAuth } from '@/components/PhoneAuth';
import { errorMessage, trpc } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { groupAccountNumber } from '@/lib/format';
import { customerName } from '@/lib/account-line';
import { agreementUrl, billsUrl, paymentsUrl, ROUTES } from '@/lib/routes';
import { go } from '@/lib/nav';
import { useAccounts } from '@/lib/use-accounts';
import avatar from '@/assets/tab/mine-on.png';
import '@/components/ui/ui.css';
import './index.css';

/** 我的: who I am (masked), my accounts with their binding level, history, the agreements, logout. */
export default function MinePage() {
  const { state, me, setMe, accounts, load } = useAccounts();
  const [notice, setNotice] = useState<string | null>(null);
  const [loggingOut, setLoggingOut] = useState(false);
  useDidShow(() => void load());

  const onPhoneCode = async (code: string) => {
    try {
      const res = await trpc.auth.wechatPhone.mutate({ code });
      setMe((prev) => (prev ? { ...prev, phoneMasked: res.phoneMasked } : prev));
      setNotice(t.home.phoneBound(res.phoneMasked));
    } catch (e) {
      setNotice(errorMessage(e, t.home.phoneFailed));
    }
  };

  const logout = async () => {
    const { confirm } = await Taro.showModal({ title: t.home.logout, content: t.home.logoutConfirm });
    if (!confirm) return;
    setLoggingOut(true);
    try {
      await trpc.auth.logout.mutate();
    } catch {
      // the local session ends regardless
    }
    tokenStore.clear();
    setLoggingOut(false);
    await Taro.reLaunch({ url: ROUTES.login });
  };

  const name = customerName(me, accounts);

  return (
    <View className="page">
      <View className="mine-head">
        <View className="mine-avatar">
          <Image className="mine-avatar-img" src={avatar as string} mode="aspectFit" />
        </View>
        <View className="mine-who">
          <Text className="mine-name" id="mine-name">
            {name ?? t.mine.title}
          </Text>
          <Text className="mine-phone">
            {t.mine.phone}：{me?.phoneMasked ?? t.mine.phoneNone}
          </Text>
        </View>
        {state === 'ready' && me && !me.phoneMasked ? <PhoneAuth onCode={onPhoneCode} onError={setNotice} /> : null}
      </View>

      <View className="ui-body">
        {notice ? (
          <View className="mine-notice" id="home-notice">
            <Text>{notice}</Text>
          </View>
        ) : null}

        <View className="card mine-accounts" id="mine-accounts">
          <View className="mine-accounts-head">
            <Text className="mine-accounts-title">{t.mine.accounts}</Text>
            <Text className="section-extra" onClick={() => go(ROUTES.bind)}>
              {t.mine.bindMore}
            </Text>
          </View>
          {state === 'ready' && accounts.length === 0 ? <Text className="card-hint">{t.mine.accountsNone}</Text> : null}
          {accounts.map((a) => (
            <View key={a.id} className="mine-account" onClick={() => go(billsUrl(a.id))}>
              <View className="mine-account-main">
                <Text className="mine-account-number">{groupAccountNumber(a.number)}</Text>
                <Text className="card-hint">
                  {a.holderNameMasked} · {t.home.relation[a.relation]}
                </Text>
              </View>
              <Text className={`ui-tag ui-tag-${a.level}`}>{t.home.level[a.level]}</Text>
              {a.level === 'follow' ? (
                <Text
                  className="mine-upgrade"
                  onClick={(e) => {
                    (e as { stopPropagation?: () => void }).stopPropagation?.();
                    go(ROUTES.bind);
                  }}
                >
                  {t.mine.upgrade}
                </Text>
              ) : null}
            </View>
          ))}
        </View>

        <CellList
          idPrefix="mine"
          items={[
            { key: 'payments', icon: 'payments', title: t.mine.payments, onTap: () => go(paymentsUrl()) },
            { key: 'orders', icon: 'orders', title: t.mine.orders, onTap: () => go(ROUTES.orders) },
            { key: 'messages', icon: 'messages', title: t.mine.messages, onTap: () => go(ROUTES.messages) },
          ]}
        />
        <CellList
          idPrefix="mine"
          items={[
            { key: 'terms', icon: 'agreement', title: t.mine.terms, onTap: () => go(agreementUrl('terms')) },
            { key: 'privacy', icon: 'shield', title: t.mine.privacy, onTap: () => go(agreementUrl('privacy')) },
          ]}
        />
        {state !== 'loading' ? (
          <Button id="logout" className="btn btn-plain" disabled={loggingOut || undefined} onClick={logout}>
            {loggingOut ? t.home.loggingOut : t.home.logout}
          </Button>
        ) : null}
      </View>
    </View>
  );
}
