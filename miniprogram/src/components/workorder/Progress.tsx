import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/workorder';
import './workorder.css';

/** The API's customer view of an order (workorder.get `progress`): plain words, the crew, the promised time. */
export interface ProgressData {
  statusLabel: string;
  hint: string;
  crew: { name: string; phone: string | null } | null;
  expected: { label: string; at: string; text: string; late: boolean } | null;
}

/**
 * Where the customer's order stands: 已受理 / 抢修人员已出发 / 已到达现场 / 已修复…, what happens next, the crew
 * sent (tap the work phone to call) and the time promised to the customer. Staff deadlines never show here.
 */
export function Progress({ progress }: { progress: ProgressData }) {
  const e = progress.expected;
  const call = (phone: string) => void Taro.makePhoneCall?.({ phoneNumber: phone.replace(/[^\d]/g, '') }).catch(() => undefined);
  return (
    <View className="wo-progress" id="order-progress">
      <Text className="wo-progress-status" id="order-progress-status">
        {progress.statusLabel}
      </Text>
      <Text className="wo-progress-hint" id="order-progress-hint">
        {progress.hint}
      </Text>
      {progress.crew ? (
        <View className="wo-progress-row" id="order-crew">
          <Text className="wo-progress-k">{t.order.crew}</Text>
          <Text className="wo-progress-v">{progress.crew.name}</Text>
        </View>
      ) : null}
      {progress.crew?.phone ? (
        <View className="wo-progress-row" id="order-crew-phone" onClick={() => call(progress.crew!.phone!)}>
          <Text className="wo-progress-k">{t.order.crewPhone}</Text>
          <Text className="wo-progress-v wo-progress-link">{progress.crew.phone}</Text>
        </View>
      ) : null}
      {e ? (
        <View className={`wo-progress-row ${e.late ? 'wo-progress-late' : ''}`} id="order-expected">
          <Text className="wo-progress-k">{e.label}</Text>
          <Text className="wo-progress-v">{formatDateTime(e.at)}</Text>
        </View>
      ) : null}
      {e?.late ? <Text className="wo-progress-hint wo-progress-late">{t.order.expectedLate}</Text> : null}
    </View>
  );
}
