import { Text } from '@tarojs/components';

export type Segment = { text: string; hit: boolean };

/** Text with the matched search words marked (segments come from the API; text stays text). */
export function Marked({ segments, className }: { segments: Segment[]; className?: string }) {
  return (
    <Text className={className}>
      {segments.map((s, i) => (
        <Text key={i} className={s.hit ? 'kb-hit' : undefined}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
