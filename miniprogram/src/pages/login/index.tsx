import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { Icon, type IconName } from '@/components/ui/Icon';
import { platform } from '@/platform';
import { errorMessage, trpc } from '@/lib/trpc';
import { tokenStore } from '@/lib/storage';
import { agreementUrl, ROUTES } from '@/lib/routes';
import { LoginForm } from './LoginForm';
import '@/components/ui/ui.css';
import './index.css';

const FEATURE_ICONS: IconName[] = ['bills', 'payments', 'fault'];

export default function LoginPage() {
  useDidShow(() => {
    if (tokenStore.isLoggedIn()) void Taro.reLaunch({ url: ROUTES.home });
  });

  const login = async () => {
    const code = await platform.login();
    const res = await trpc.auth.wechatLogin.mutate({ code });
    if (!res.accessToken) throw new Error(t.login.failed);
    tokenStore.set({ accessToken: res.accessToken, refreshToken: res.refreshToken });
    await Taro.reLaunch({ url: ROUTES.home });
  };

  return (
    <View className="page login-page">
      <View className="login-hero">
        <View className="login-logo">
          <Icon name="bolt" className="login-logo-icon" />
        </View>
        <Text className="login-app-name">{t.app.fullName}</Text>
        <Text className="login-slogan">{t.app.slogan}</Text>
      </View>

      <View className="login-body">
        <View className="card login-card">
          <Text className="card-title">{t.login.title}</Text>
          <Text className="card-hint">{t.login.subtitle}</Text>

          <View className="login-features">
            {t.login.features.map((f, i) => (
              <View className="login-feature" key={f}>
                <View className={`ui-tile ui-tile-${FEATURE_ICONS[i]}`}>
                  <Icon name={FEATURE_ICONS[i]!} />
                </View>
                <Text className="login-feature-text">{f}</Text>
              </View>
            ))}
          </View>

          <LoginForm login={login} openAgreement={(doc) => void Taro.navigateTo({ url: agreementUrl(doc) })} message={errorMessage} />
        </View>
      </View>
    </View>
  );
}
