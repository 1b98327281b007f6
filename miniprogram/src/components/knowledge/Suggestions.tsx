import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { go } from '@/lib/nav';
import { trpc, type RouterOutputs } from '@/lib/trpc';
import { articleUrl } from '../../pkg-knowledge/routes';
import { Marked } from './Marked';
import './knowledge.css';

type Hit = RouterOutputs['knowledge']['search'][number];

/** Searches once the text has stopped changing for `ms` (at most 5 hits), ignoring answers to older text. */
export function useSuggestions(text: string, ms = 400, search: (q: string) => Promise<Hit[]> = (q) => trpc.knowledge.search.query({ q, limit: 5 })) {
  const [hits, setHits] = useState<Hit[]>([]);
  useEffect(() => {
    const q = text.trim().slice(0, 100);
    if (Array.from(q).length < 2) {
      setHits([]);
      return;
    }
    let live = true;
    const h = setTimeout(() => {
      search(q)
        .then((r) => live && setHits(r.slice(0, 5)))
        .catch(() => live && setHits([]));
    }, ms);
    return () => {
      live = false;
      clearTimeout(h);
    };
  }, [text, ms, search]);
  return hits;
}

/** Up to 5 articles under a consultation or fault description; tapping one opens it with 问题已解决. */
export function Suggestions({ text, from }: { text: string; from: 'consultation' | 'fault' }) {
  const hits = useSuggestions(text);
  if (!hits.length) return null;
  return (
    <View className="kb-suggest" id="kb-suggest">
      <Text className="kb-suggest-title">{t.knowledge.suggestTitle}</Text>
      {hits.map((h) => (
        <View key={h.id} className="kb-suggest-item" id={`kb-suggest-${h.id}`} onClick={() => go(articleUrl(h.id, from))}>
          <Marked className="kb-suggest-name" segments={h.titleSegments} />
          <Marked className="kb-suggest-snippet" segments={h.snippetSegments} />
        </View>
      ))}
    </View>
  );
}

/** Safety tips from the base (安全用电), for the fault form. */
export function SafetyTips() {
  const [tips, setTips] = useState<RouterOutputs['knowledge']['safetyTips']>([]);
  useEffect(() => {
    trpc.knowledge.safetyTips
      .query()
      .then(setTips)
      .catch(() => setTips([]));
  }, []);
  if (!tips.length) return null;
  return (
    <View className="card kb-safety" id="kb-safety">
      <Text className="kb-suggest-title">⚠ {t.knowledge.safetyTitle}</Text>
      {tips.map((tip) => (
        <View key={tip.id} className="kb-suggest-item" onClick={() => go(articleUrl(tip.id))}>
          <Text className="kb-suggest-name">{tip.title}</Text>
          <Text className="kb-suggest-snippet">{tip.summary}</Text>
        </View>
      ))}
    </View>
  );
}
