import { Text, View } from '@tarojs/components';
import { Icon, type IconName } from './Icon';
import './ui.css';

export interface Entry {
  key: string;
  icon: IconName;
  name: string;
  hint?: string;
  /** Unread count and the like, already formatted ('3', '99+'); nothing when empty. */
  badge?: string | null;
  onTap: () => void;
}

/** Service entries, four (or three) a row: a real icon on a tinted tile, the name under it. */
export function EntryGrid({ items, idPrefix, cols = 4 }: { items: Entry[]; idPrefix: string; cols?: 3 | 4 }) {
  return (
    <View className={`ui-grid ui-grid-${cols}`}>
      {items.map((s) => (
        <View key={s.key} id={`${idPrefix}-${s.key}`} className="ui-grid-item" onClick={s.onTap}>
          <View className={`ui-tile ui-tile-${s.icon}`}>
            <Icon name={s.icon} />
            {s.badge ? (
              <Text className="ui-badge" id={`${idPrefix}-${s.key}-badge`}>
                {s.badge}
              </Text>
            ) : null}
          </View>
          <Text className="ui-grid-name">{s.name}</Text>
          {s.hint ? <Text className="ui-grid-hint">{s.hint}</Text> : null}
        </View>
      ))}
    </View>
  );
}

export interface Cell {
  key: string;
  icon: IconName;
  title: string;
  hint?: string;
  extra?: string;
  onTap: () => void;
}

/** A list of tappable rows (我的, 缴费). */
export function CellList({ items, idPrefix }: { items: Cell[]; idPrefix: string }) {
  return (
    <View className="ui-cells">
      {items.map((c) => (
        <View key={c.key} id={`${idPrefix}-${c.key}`} className="ui-cell" onClick={c.onTap}>
          <View className={`ui-tile ui-tile-${c.icon}`}>
            <Icon name={c.icon} />
          </View>
          <View className="ui-cell-main">
            <Text className="ui-cell-title">{c.title}</Text>
            {c.hint ? <Text className="ui-cell-hint">{c.hint}</Text> : null}
          </View>
          {c.extra ? <Text className="ui-cell-extra">{c.extra}</Text> : null}
          <Text className="ui-arrow">›</Text>
        </View>
      ))}
    </View>
  );
}
