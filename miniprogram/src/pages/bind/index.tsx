import Taro from '@tarojs/taro';
import { View } from '@tarojs/components';
import { t } from '@/i18n';
import { errorMessage, trpc } from '@/lib/trpc';
import { ROUTES } from '@/lib/routes';
import { BindForm, type BindApi } from './BindForm';
import './index.css';

const api: BindApi = {
  lookup: (number) => trpc.account.lookup.query({ number }),
  bind: (input) => trpc.account.bind.mutate(input),
  sendCode: (number) => trpc.account.sendBindCode.mutate({ number }),
  bindWithCode: (input) => trpc.account.bindWithCode.mutate(input),
  message: errorMessage,
};

function backHome() {
  const pages = Taro.getCurrentPages();
  if (pages.length > 1) void Taro.navigateBack();
  else void Taro.reLaunch({ url: ROUTES.home });
}

export default function BindPage() {
  const onBound = () => {
    void Taro.showToast({ title: t.bind.success, icon: 'success', duration: 1200 });
    setTimeout(backHome, 800);
  };
  return (
    <View className="page bind-page">
      <View className="bind-header" />
      <View className="bind-body">
        <BindForm api={api} onBound={onBound} />
      </View>
    </View>
  );
}
