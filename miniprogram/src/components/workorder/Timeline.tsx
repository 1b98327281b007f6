import { Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import './workorder.css';
import { formatDateTime } from '@/lib/workorder';

export interface TimelineItem {
  action: string;
  actionLabel: string;
  actorRoleLabel: string;
  at: string;
  note: string | null;
}

/** Customer-visible steps, newest first. */
export function Timeline({ items }: { items: TimelineItem[] }) {
  // Newest first; an entry's place in the (append-only) timeline is its identity.
  const list = items.map((it, seq) => ({ ...it, seq })).reverse();
  if (list.length === 0) return <Text className="center-note">{t.order.noTimeline}</Text>;
  return (
    <View className="wo-timeline" id="order-timeline">
      {list.map((it, i) => (
        <View className={`wo-tl-item ${i === 0 ? 'wo-tl-item-latest' : ''}`} key={it.seq} id={`order-step-${it.action}`}>
          <View className="wo-tl-rail">
            <View className="wo-tl-dot" />
            {i < list.length - 1 ? <View className="wo-tl-line" /> : null}
          </View>
          <View className="wo-tl-body">
            <View className="wo-tl-head">
              <Text className="wo-tl-title">{it.actionLabel}</Text>
              <Text className="wo-tl-time">{formatDateTime(it.at)}</Text>
            </View>
            {it.note ? <Text className="wo-tl-note">{it.note}</Text> : null}
          </View>
        </View>
      ))}
    </View>
  );
}
