'use client';

import { CheckCircleOutlined, ReadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, List, Modal, Result, Skeleton, Space, Tag, Typography } from 'antd';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { ArticleBody, Highlighted } from './ArticleBody';

const T = t.knowledge;

/** The value after it stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms = 400): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

/** One article in a dialog, with 问题已解决 (recorded on the view) — for the consultation and fault forms. */
function ArticleDialog({
  id,
  source,
  onClose,
  onSolved,
}: {
  id: string;
  source: 'consultation' | 'fault';
  onClose: () => void;
  onSolved: () => void;
}) {
  const trpc = useTRPC();
  const article = useQuery(trpc.knowledge.article.queryOptions({ id }));
  const view = useMutation(trpc.knowledge.view.mutationOptions());
  const resolved = useMutation(trpc.knowledge.resolved.mutationOptions());
  const { mutate } = view;
  useEffect(() => mutate({ articleId: id, source }), [id, source, mutate]);
  const solve = async () => {
    if (!view.data) return;
    await resolved.mutateAsync({ viewId: view.data.viewId });
    onSolved();
  };
  return (
    <Modal
      open
      onCancel={onClose}
      width={720}
      title={article.data?.title ?? T.title}
      footer={
        <Space>
          <Button onClick={onClose}>{T.notSolved}</Button>
          <Button type="primary" icon={<CheckCircleOutlined />} onClick={solve} loading={resolved.isPending} disabled={!view.data}>
            {T.solved}
          </Button>
        </Space>
      }
    >
      {article.isPending ? (
        <Skeleton active />
      ) : article.isError ? (
        <Alert type="error" showIcon title={errorMessage(article.error)} />
      ) : (
        <>
          <Tag color="blue">{article.data.categoryName}</Tag>
          <ArticleBody blocks={article.data.blocks} images={article.data.images} />
        </>
      )}
      {resolved.isError && <Alert type="error" showIcon title={errorMessage(resolved.error)} />}
    </Modal>
  );
}

/**
 * Up to 5 articles matching what the customer is typing (debounced), under the consultation or fault description.
 * Opening one records a view; 问题已解决 replaces the form with a thank-you (no order is filed).
 */
export function ArticleSuggestions({ text, source, onSolved }: { text: string | undefined; source: 'consultation' | 'fault'; onSolved: () => void }) {
  const trpc = useTRPC();
  const q = useDebounced((text ?? '').trim().slice(0, 100), 400);
  const hits = useQuery({ ...trpc.knowledge.search.queryOptions({ q, limit: 5 }), enabled: q.length >= 2, placeholderData: (prev) => prev });
  const [open, setOpen] = useState<string | null>(null);
  if (q.length < 2 || !hits.data?.length) return null;
  return (
    <Card
      size="small"
      style={{ marginBottom: 16, background: '#f6faff' }}
      title={
        <span>
          <ReadOutlined /> {T.suggestTitle}
        </span>
      }
      extra={<span className="ps-muted">{T.suggestHint}</span>}
    >
      <List
        size="small"
        dataSource={hits.data}
        renderItem={(h) => (
          <List.Item
            actions={[
              <Button key="open" type="link" onClick={() => setOpen(h.id)} aria-label={`${T.open} ${h.title}`}>
                {T.open}
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={
                <Button type="link" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }} onClick={() => setOpen(h.id)}>
                  {/* One child: the button lays its children out with gaps. */}
                  <span>
                    <Highlighted segments={h.titleSegments} />
                  </span>
                </Button>
              }
              description={
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  <Highlighted segments={h.snippetSegments} />
                </Typography.Text>
              }
            />
          </List.Item>
        )}
      />
      {open && (
        <ArticleDialog
          id={open}
          source={source}
          onClose={() => setOpen(null)}
          onSolved={() => {
            setOpen(null);
            onSolved();
          }}
        />
      )}
    </Card>
  );
}

/** What replaces the form once the customer said 问题已解决. */
export function SolvedResult() {
  return (
    <Card>
      <Result
        status="success"
        title={T.solvedThanks}
        extra={
          <Space>
            <Link href="/home">
              <Button type="primary">{T.backHome}</Button>
            </Link>
            <Link href="/knowledge">
              <Button>{T.title}</Button>
            </Link>
          </Space>
        }
      />
    </Card>
  );
}

/** Safety tips for the fault form: the 安全用电 articles, each opening its page. */
export function SafetyTips() {
  const trpc = useTRPC();
  const tips = useQuery(trpc.knowledge.safetyTips.queryOptions());
  if (!tips.data?.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      title={T.safetyTitle}
      description={
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {tips.data.map((tip) => (
            <li key={tip.id}>
              <strong>{tip.title}</strong>：{tip.summary}{' '}
              <Link href={`/knowledge/${tip.id}`} target="_blank">
                {T.safetyMore}
              </Link>
            </li>
          ))}
        </ul>
      }
    />
  );
}
