import { useCallback, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { t } from '@/i18n'
import { AccountCard } from '@/components/AccountCard'
import { PhoneAuth } from '@/components/PhoneAuth'
import { errorMessage, trpc, type AccountSummary, type Me } from '@/lib/trpc'
import { tokenStore } from '@/lib/storage'
import { greetingKey } from '@/lib/format'
import { unreadBadge } from '@/lib/outage'
import { billsUrl, ROUTES } from '@/lib/routes'
import './index.css'

type LoadState = 'loading' | 'ready' | 'error'

/** Work-order entries (pages in the pkg-service subpackage). */
const SERVICES = [
  { key: 'fault', icon: '修', url: ROUTES.fault },
  { key: 'request', icon: '问', url: ROUTES.request },
  { key: 'orders', icon: '单', url: ROUTES.orders },
  // 代缴 (pkg-bill subpackage): pay any account by number.
  { key: 'payFor', icon: '缴', url: ROUTES.payFor },
  // 停电查询 and 消息中心 (pkg-outage subpackage).
  { key: 'outages', icon: '电', url: ROUTES.outages },
  { key: 'messages', icon: '信', url: ROUTES.messages },
] as const

export default function HomePage() {
  const [state, setState] = useState<LoadState>('loading')
  const [me, setMe] = useState<Me | null>(null)
  const [accounts, setAccounts] = useState<AccountSummary[]>([])
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [loggingOut, setLoggingOut] = useState(false)
  const [unread, setUnread] = useState(0)
  const loaded = useRef(false)

  const load = useCallback(async () => {
    if (!tokenStore.isLoggedIn()) {
      await Taro.reLaunch({ url: ROUTES.login })
      return
    }
    if (!loaded.current) setState('loading')
    setError(null)
    // The unread badge never blocks the page.
    trpc.messages.unreadCount
      .query()
      .then((r) => setUnread(r.count))
      .catch(() => undefined)
    try {
      const [meRes, list] = await Promise.all([trpc.auth.me.query(), trpc.account.list.query()])
      setMe(meRes)
      setAccounts(list)
      setState('ready')
      loaded.current = true
    } catch (e) {
      setError(errorMessage(e, t.common.networkError))
      setState('error')
    }
  }, [])

  useDidShow(() => {
    void load()
  })

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })

  const goBind = () => {
    void Taro.navigateTo({ url: ROUTES.bind })
  }

  const logout = async () => {
    const { confirm } = await Taro.showModal({ title: t.home.logout, content: t.home.logoutConfirm })
    if (!confirm) return
    setLoggingOut(true)
    try {
      await trpc.auth.logout.mutate()
    } catch {
      // the local session ends regardless
    }
    tokenStore.clear()
    setLoggingOut(false)
    await Taro.reLaunch({ url: ROUTES.login })
  }

  const onPhoneCode = async (code: string) => {
    try {
      const res = await trpc.auth.wechatPhone.mutate({ code })
      setMe((prev) => (prev ? { ...prev, phoneMasked: res.phoneMasked } : prev))
      setNotice(t.home.phoneBound(res.phoneMasked))
    } catch (e) {
      setNotice(errorMessage(e, t.home.phoneFailed))
    }
  }

  const greeting = t.home.greeting[greetingKey(new Date().getHours())]

  return (
    <View className='page home-page'>
      <View className='hero'>
        <Text className='hero-title' id='home-greeting'>
          {greeting}
          {me?.displayName ? `，${me.displayName}` : ''}
        </Text>
        <Text className='hero-sub'>{t.home.greetingSuffix}</Text>
      </View>

      <View className='hero-overlap'>
        {state === 'loading' ? (
          <View className='card'>
            <Text className='center-note'>{t.common.loading}</Text>
          </View>
        ) : null}

        {state === 'error' ? (
          <View className='card' id='home-error'>
            <Text className='card-title'>{t.home.loadFailed}</Text>
            <Text className='card-hint'>{error}</Text>
            <Button className='btn btn-primary home-retry' onClick={() => void load()}>
              {t.common.retry}
            </Button>
          </View>
        ) : null}

        {state === 'ready' && accounts.length === 0 ? (
          <View className='card home-empty' id='home-empty'>
            <View className='home-empty-icon'>
              <Text>户</Text>
            </View>
            <Text className='home-empty-title'>{t.home.emptyTitle}</Text>
            <Text className='home-empty-hint'>{t.home.emptyHint}</Text>
            <Button id='home-bind' className='btn btn-primary' onClick={goBind}>
              {t.home.bindButton}
            </Button>
          </View>
        ) : null}

        {state === 'ready' && accounts.length > 0 ? (
          <View id='account-list'>
            <View className='section-head home-section-head'>
              <Text className='section-title home-section-title'>
                {t.home.myAccounts}
                <Text className='home-count'>{t.home.accountsCount(accounts.length)}</Text>
              </Text>
              <Text className='section-extra home-section-extra' id='home-bind-more' onClick={goBind}>
                {t.home.bindMore}
              </Text>
            </View>
            {accounts.map((a) => (
              <AccountCard key={a.id} account={a} onBills={() => void Taro.navigateTo({ url: billsUrl(a.id) })} />
            ))}
          </View>
        ) : null}

        {state === 'ready' ? (
          <View className='card home-services' id='home-services'>
            <Text className='home-services-title'>{t.service.title}</Text>
            <View className='home-services-grid'>
              {SERVICES.map((s) => (
                <View key={s.key} id={`home-${s.key}`} className='home-service' onClick={() => void Taro.navigateTo({ url: s.url })}>
                  <View className={`home-service-icon home-service-icon-${s.key}`}>
                    <Text>{s.icon}</Text>
                    {s.key === 'messages' && unreadBadge(unread) ? (
                      <Text className='home-badge' id='home-messages-badge'>
                        {unreadBadge(unread)}
                      </Text>
                    ) : null}
                  </View>
                  <Text className='home-service-name'>{t.service[s.key]}</Text>
                  <Text className='home-service-hint'>{t.service[`${s.key}Hint`]}</Text>
                </View>
              ))}
            </View>
          </View>
        ) : null}

        {state === 'ready' && me && !me.phoneMasked ? (
          <View className='card home-phone'>
            <View className='home-phone-text'>
              <Text className='home-phone-title'>{t.home.phoneTitle}</Text>
              <Text className='card-hint'>{t.home.phoneHint}</Text>
            </View>
            <PhoneAuth onCode={onPhoneCode} onError={setNotice} />
          </View>
        ) : null}

        {notice ? (
          <View className='home-notice' id='home-notice'>
            <Text>{notice}</Text>
          </View>
        ) : null}

        {state !== 'loading' ? (
          <Button id='logout' className='btn btn-plain home-logout' disabled={loggingOut || undefined} onClick={logout}>
            {loggingOut ? t.home.loggingOut : t.home.logout}
          </Button>
        ) : null}
      </View>
    </View>
  )
}
