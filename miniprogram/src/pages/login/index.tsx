import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { t } from '@/i18n'
import { platform } from '@/platform'
import { errorMessage, trpc } from '@/lib/trpc'
import { tokenStore } from '@/lib/storage'
import { ROUTES } from '@/lib/routes'
import './index.css'

export default function LoginPage() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useDidShow(() => {
    if (tokenStore.isLoggedIn()) void Taro.reLaunch({ url: ROUTES.home })
  })

  const onLogin = async () => {
    if (busy) return
    setBusy(true)
    setError(null)
    try {
      const code = await platform.login()
      const res = await trpc.auth.wechatLogin.mutate({ code })
      if (!res.accessToken) throw new Error(t.login.failed)
      tokenStore.set({ accessToken: res.accessToken, refreshToken: res.refreshToken })
      await Taro.reLaunch({ url: ROUTES.home })
    } catch (e) {
      setError(errorMessage(e, t.login.failed))
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='page login-page'>
      <View className='login-hero'>
        <View className='login-logo'>
          <Text className='login-logo-text'>电</Text>
        </View>
        <Text className='login-app-name'>{t.app.fullName}</Text>
        <Text className='login-slogan'>{t.app.slogan}</Text>
      </View>

      <View className='login-body'>
        <View className='card login-card'>
          <Text className='card-title'>{t.login.title}</Text>
          <Text className='card-hint'>{t.login.subtitle}</Text>

          <View className='login-features'>
            {t.login.features.map((f, i) => (
              <View className='login-feature' key={f}>
                <View className={`login-feature-icon login-feature-icon-${i}`}>
                  <Text>{f.slice(0, 1)}</Text>
                </View>
                <Text className='login-feature-text'>{f}</Text>
              </View>
            ))}
          </View>

          <Button
            id='wx-login'
            className='btn btn-wechat login-btn'
            disabled={busy || undefined}
            onClick={onLogin}
          >
            {busy ? t.login.loggingIn : t.login.wechatButton}
          </Button>

          {error ? (
            <View className='error-box' id='login-error'>
              <Text>{error}</Text>
            </View>
          ) : null}
        </View>

        <Text className='login-agreement'>
          {t.login.agreementPrefix}
          <Text className='login-link'>{t.login.agreement}</Text>
          {t.login.and}
          <Text className='login-link'>{t.login.privacy}</Text>
        </Text>
      </View>
    </View>
  )
}
