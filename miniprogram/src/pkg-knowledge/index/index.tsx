import { useCallback, useEffect, useState } from 'react';
import { Button, Input, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { go } from '@/lib/nav';
import { errorMessage, trpc, type RouterOutputs } from '@/lib/trpc';
import { Marked } from '@/components/knowledge/Marked';
import '@/components/knowledge/knowledge.css';
import { articleUrl } from '../routes';

type Category = RouterOutputs['knowledge']['categories'][number];
type Item = {
  id: string;
  title: string;
  summary?: string;
  titleSegments?: { text: string; hit: boolean }[];
  snippetSegments?: { text: string; hit: boolean }[];
};

/** 知识库 (no login needed): search and categories. */
export default function KnowledgeIndexPage() {
  const [cats, setCats] = useState<Category[]>([]);
  const [cat, setCat] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Item[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (query: string, categoryId: string | null) => {
    setError(null);
    setItems(null);
    try {
      setItems(
        query.trim()
          ? await trpc.knowledge.search.query({ q: query.trim(), categoryId, limit: 20 })
          : await trpc.knowledge.list.query({ categoryId, limit: 50 }),
      );
    } catch (e) {
      setError(errorMessage(e, t.knowledge.loadFailed));
    }
  }, []);

  useEffect(() => {
    trpc.knowledge.categories
      .query()
      .then(setCats)
      .catch(() => undefined);
    void load('', null);
  }, [load]);

  const pick = (id: string | null) => {
    setCat(id);
    void load(q, id);
  };

  return (
    <View className="page">
      <View className="ui-body">
        <View className="card">
          <Text className="card-hint">{t.knowledge.intro}</Text>
          <Input
            id="kb-search"
            className="input"
            value={q}
            placeholder={t.knowledge.searchPlaceholder}
            confirmType="search"
            onInput={(e) => setQ(e.detail.value)}
            onConfirm={() => void load(q, cat)}
          />
          <Button id="kb-search-submit" className="btn btn-primary" onClick={() => void load(q, cat)}>
            {t.knowledge.search}
          </Button>
          <View className="kb-cats">
            <View className={`wo-chip ${cat === null ? 'wo-chip-on' : ''}`} onClick={() => pick(null)}>
              <Text>{t.knowledge.all}</Text>
            </View>
            {cats.map((c) => (
              <View key={c.id} className={`wo-chip ${cat === c.id ? 'wo-chip-on' : ''}`} onClick={() => pick(c.id)}>
                <Text>{c.name}</Text>
              </View>
            ))}
          </View>
        </View>
        <View className="card" id="kb-list">
          {error ? (
            <Text className="card-hint">{error}</Text>
          ) : items === null ? (
            <Text className="center-note">{t.knowledge.loading}</Text>
          ) : items.length === 0 ? (
            <Text className="center-note">{t.knowledge.empty}</Text>
          ) : (
            items.map((a) => (
              <View key={a.id} className="kb-suggest-item" onClick={() => go(articleUrl(a.id))}>
                {a.titleSegments ? (
                  <Marked className="kb-suggest-name" segments={a.titleSegments} />
                ) : (
                  <Text className="kb-suggest-name">{a.title}</Text>
                )}
                {a.snippetSegments ? (
                  <Marked className="kb-suggest-snippet" segments={a.snippetSegments} />
                ) : (
                  <Text className="kb-suggest-snippet">{a.summary}</Text>
                )}
              </View>
            ))
          )}
        </View>
      </View>
    </View>
  );
}
