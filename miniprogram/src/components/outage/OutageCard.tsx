import { Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/workorder';
import { formatOutageWindow, phaseTone, type OutageBriefLike } from '@/lib/outage';
import './outage.css';

interface Props {
  outage: OutageBriefLike;
  /** Element id prefix: the same outage can show in several sections (`mine-`, `list-`, `lookup-`). */
  idPrefix: string;
}

/** One outage: kind, phase, area, window, ETR (or restoration time) and reason. */
export function OutageCard({ outage: o, idPrefix }: Props) {
  const id = `${idPrefix}outage-${o.outageNo}`;
  return (
    <View className={`og-card og-card-${o.phase}`} id={id}>
      <View className="og-card-head">
        <Text className={`og-kind og-kind-${o.kind}`}>{o.kindLabel}</Text>
        <Text className={`badge og-phase og-tone-${phaseTone(o.phase)}`} id={`${id}-phase`}>
          {o.phaseLabel}
        </Text>
      </View>
      <Text className="og-area">{o.areaText}</Text>
      <View className="og-row">
        <Text className="og-k">{t.outage.window}</Text>
        <Text className="og-v" id={`${id}-window`}>
          {formatOutageWindow(o)}
        </Text>
      </View>
      <View className="og-row">
        <Text className="og-k">{t.outage.etr}</Text>
        <Text className={`og-v ${o.phase === 'active' ? 'og-etr-active' : ''}`} id={`${id}-etr`}>
          {o.restoredAt ? t.outage.restoredAt(formatDateTime(o.restoredAt)) : o.etrText}
        </Text>
      </View>
      {o.reason ? (
        <View className="og-row">
          <Text className="og-k">{t.outage.reason}</Text>
          <Text className="og-v">{o.reason}</Text>
        </View>
      ) : null}
      {o.areaNames && o.areaNames.length > 0 ? (
        <View className="og-row">
          <Text className="og-k">{t.outage.area}</Text>
          <Text className="og-v og-areas">{o.areaNames.slice(0, 6).join('、') + (o.areaNames.length > 6 ? ' 等' : '')}</Text>
        </View>
      ) : null}
    </View>
  );
}

interface NoticeProps {
  outage: OutageBriefLike;
  id: string;
  /** true: the report has been linked to it (after filing); false: shown before filing. */
  linked?: boolean;
}

/** The orange "outage where you live" banner of the fault form and the order detail. */
export function OutageNotice({ outage: o, id, linked }: NoticeProps) {
  const active = o.phase === 'active';
  return (
    <View className={`og-notice ${active ? 'og-notice-active' : ''}`} id={id}>
      <Text className="og-notice-title">
        {linked ? t.outage.linkedTitle : active ? t.outage.activeTitle : t.outage.upcomingTitle}
        <Text className={`badge og-phase og-tone-${phaseTone(o.phase)}`} id={`${id}-phase`}>
          {o.phaseLabel}
        </Text>
      </Text>
      <Text className="og-notice-etr" id={`${id}-etr`}>
        {o.restoredAt ? t.outage.restoredAt(formatDateTime(o.restoredAt)) : o.etrText}
      </Text>
      <Text className="og-notice-text">
        {o.kindLabel} · {o.areaText} · {formatOutageWindow(o)}
      </Text>
      {linked && !o.restoredAt ? (
        <Text className="og-notice-text" id={`${id}-linked`}>
          {t.outage.linked(o.etrText)}
        </Text>
      ) : !linked && active ? (
        <Text className="og-notice-text">{t.outage.activeHint}</Text>
      ) : null}
    </View>
  );
}
