import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Image, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { go } from '@/lib/nav';
import { ROUTES, routeParam } from '@/lib/routes';
import { tokenStore } from '@/lib/storage';
import { errorMessage, trpc, type RouterOutputs } from '@/lib/trpc';
import '@/components/knowledge/knowledge.css';
import { articleUrl, type KnowledgeFrom } from '../routes';

type Article = RouterOutputs['knowledge']['article'];
type Inline = { t: string; s: string }[];

function Inlines({ xs }: { xs: Inline }) {
  return (
    <>
      {xs.map((x, i) => (
        <Text key={i} className={x.t === 'b' ? 'kb-b' : undefined}>
          {x.s}
        </Text>
      ))}
    </>
  );
}

/** One article: blocks rendered as text and checked images; from a form, 问题已解决 ends the visit without filing. */
export default function KnowledgeArticlePage() {
  const router = useRouter();
  const id = routeParam(router.params, 'id');
  const from = (
    ['consultation', 'fault'].includes(routeParam(router.params, 'from')) ? routeParam(router.params, 'from') : 'miniprogram'
  ) as KnowledgeFrom;
  const [a, setA] = useState<Article | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [viewId, setViewId] = useState<string | null>(null);
  const [voted, setVoted] = useState(false);

  useEffect(() => {
    trpc.knowledge.article
      .query({ id })
      .then((r) => {
        setA(r);
        return trpc.knowledge.view.mutate({ articleId: id, source: from }).then((v) => setViewId(v.viewId));
      })
      .catch((e) => setError(errorMessage(e, t.knowledge.loadFailed)));
  }, [id, from]);

  const solved = async () => {
    try {
      if (viewId && tokenStore.isLoggedIn()) await trpc.knowledge.resolved.mutate({ viewId });
      void Taro.showToast({ title: t.knowledge.solvedToast, icon: 'success', duration: 1500 });
      go(ROUTES.service);
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e, t.knowledge.loadFailed), icon: 'none' });
    }
  };
  const vote = async (helpful: boolean) => {
    setVoted(true);
    await trpc.knowledge.vote.mutate({ articleId: id, helpful }).catch(() => undefined);
  };

  if (error)
    return (
      <View className="page">
        <View className="card">
          <Text className="card-hint">{error}</Text>
        </View>
      </View>
    );
  if (!a)
    return (
      <View className="page">
        <Text className="center-note">{t.knowledge.loading}</Text>
      </View>
    );
  const imageOf = new Map(a.images.map((i) => [i.key, i]));
  return (
    <View className="page">
      <View className="ui-body">
        {a.state === 'archived' ? <Text className="kb-notice">{t.knowledge.archived}</Text> : null}
        <View className="card" id="kb-article">
          <Text className="kb-block kb-h2">{a.title}</Text>
          <Text className="card-hint">
            {a.categoryName} · {t.knowledge.version(a.version)}
          </Text>
          {a.blocks.map((b, i) => {
            const key = `${i}-${b.t}`;
            if (b.t === 'img') {
              const img = imageOf.get(b.key);
              return img && /^data:image\/(png|jpeg|webp);base64,/.test(img.dataUrl) ? (
                <Image key={key} className="kb-img" src={img.dataUrl} mode="widthFix" />
              ) : null;
            }
            if ('items' in b)
              return (
                <View key={key}>
                  {b.items.map((it, j) => (
                    <Text key={`${key}-${j}`} className="kb-block">
                      {b.t === 'ul' ? '• ' : `${j + 1}. `}
                      <Inlines xs={it} />
                    </Text>
                  ))}
                </View>
              );
            return (
              <Text key={key} className={`kb-block ${b.t === 'h2' ? 'kb-h2' : b.t === 'h3' ? 'kb-h3' : ''}`}>
                <Inlines xs={'inl' in b ? b.inl : []} />
              </Text>
            );
          })}
        </View>
        {from !== 'miniprogram' ? (
          <View className="kb-actions">
            <Button id="kb-not-solved" className="btn btn-ghost" onClick={() => void Taro.navigateBack()}>
              {t.knowledge.notSolved}
            </Button>
            <Button id="kb-solved" className="btn btn-primary" onClick={() => void solved()}>
              {t.knowledge.solved}
            </Button>
          </View>
        ) : a.state === 'published' ? (
          <View className="kb-actions">
            {voted ? (
              <Text className="card-hint">{t.knowledge.voteThanks}</Text>
            ) : (
              <>
                <Button className="btn btn-ghost" onClick={() => void vote(true)}>
                  {t.knowledge.helpful}
                </Button>
                <Button className="btn btn-ghost" onClick={() => void vote(false)}>
                  {t.knowledge.unhelpful}
                </Button>
              </>
            )}
          </View>
        ) : null}
        {a.related.length ? (
          <View className="card">
            <Text className="kb-suggest-title">{t.knowledge.related}</Text>
            {a.related.map((r) => (
              <View key={r.id} className="kb-suggest-item" onClick={() => go(articleUrl(r.id))}>
                <Text className="kb-suggest-name">{r.title}</Text>
              </View>
            ))}
          </View>
        ) : null}
      </View>
    </View>
  );
}
