import Taro, { useRouter } from '@tarojs/taro';
import { useEffect } from 'react';
import { Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { routeParam } from '@/lib/routes';
import './index.css';

/** 用户服务协议 (`?doc=terms`) or 隐私政策 (`?doc=privacy`): readable before login, and from 我的. */
export default function AgreementPage() {
  const doc = routeParam(useRouter().params, 'doc') === 'privacy' ? t.agreement.privacy : t.agreement.terms;
  useEffect(() => {
    void Taro.setNavigationBarTitle({ title: doc.title });
  }, [doc.title]);
  return (
    <View className="page ag-page">
      <View className="ag-card">
        <Text className="ag-title">{doc.title}</Text>
        <Text className="ag-updated">{t.agreement.updated}</Text>
        {doc.sections.map((s) => (
          <View key={s.h} className="ag-section">
            <Text className="ag-h">{s.h}</Text>
            <Text className="ag-p">{s.p}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
