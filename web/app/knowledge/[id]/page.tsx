'use client';

import { DislikeOutlined, LeftOutlined, LikeOutlined, LoginOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Select, Skeleton, Space, Tag, Typography } from 'antd';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { ArticleBody } from '@/components/knowledge/ArticleBody';
import { PortalShell } from '@/components/PortalShell';
import { errorMessage } from '@/lib/errors';
import { formatDate } from '@/lib/format';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const T = t.knowledge;

function Vote({ articleId }: { articleId: string }) {
  const trpc = useTRPC();
  const reasons = useQuery(trpc.knowledge.voteReasons.queryOptions());
  const vote = useMutation(trpc.knowledge.vote.mutationOptions());
  const [helpful, setHelpful] = useState<boolean | null>(null);
  const send = (h: boolean, reason?: string) => {
    setHelpful(h);
    vote.mutate({ articleId, helpful: h, reason: reason ?? null });
  };
  return (
    <Card size="small" style={{ marginTop: 16 }}>
      <Space wrap>
        <span>{T.helpfulQuestion}</span>
        <Button icon={<LikeOutlined />} type={helpful === true ? 'primary' : 'default'} onClick={() => send(true)}>
          {T.helpful}
        </Button>
        <Button icon={<DislikeOutlined />} type={helpful === false ? 'primary' : 'default'} onClick={() => send(false)}>
          {T.unhelpful}
        </Button>
        {helpful !== null && (
          <Select
            style={{ minWidth: 200 }}
            placeholder={T.reasonPlaceholder}
            aria-label={T.reasonPlaceholder}
            options={(helpful ? reasons.data?.helpful : reasons.data?.unhelpful)?.map((r) => ({ value: r, label: r })) ?? []}
            onChange={(r: string) => send(helpful, r)}
          />
        )}
        {vote.isSuccess && <span className="ps-muted">{T.voteThanks}</span>}
        {vote.isError && <Alert type="error" showIcon title={errorMessage(vote.error)} />}
      </Space>
    </Card>
  );
}

function Article({ id }: { id: string }) {
  const trpc = useTRPC();
  const a = useQuery({ ...trpc.knowledge.article.queryOptions({ id }), retry: false });
  const view = useMutation(trpc.knowledge.view.mutationOptions());
  const { mutate } = view;
  useEffect(() => {
    if (a.data) mutate({ articleId: id, source: 'portal' });
  }, [a.data, id, mutate]);
  if (a.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (a.isError)
    return (
      <Alert
        type="error"
        showIcon
        title={a.error.data?.code === 'NOT_FOUND' || a.error.data?.code === 'BAD_REQUEST' ? T.notFound : errorMessage(a.error)}
      />
    );
  const d = a.data;
  return (
    <>
      {d.state === 'archived' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={T.archived}
          description={d.archivedReason ? T.archivedReason(d.archivedReason) : undefined}
        />
      )}
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {d.title}
        </Typography.Title>
        <Space wrap style={{ marginBottom: 12 }}>
          <Link href={`/knowledge?c=${d.categoryId}`}>
            <Tag color="blue">{d.categoryName}</Tag>
          </Link>
          <span className="ps-muted">
            {T.updatedAt} {formatDate(d.publishedAt)} · {T.version(d.version)}
          </span>
          {d.helpful > 0 && <span className="ps-muted">{T.votes(d.helpful)}</span>}
        </Space>
        {d.summary && <Alert type="info" title={d.summary} style={{ marginBottom: 12 }} />}
        <ArticleBody blocks={d.blocks} images={d.images} />
      </Card>
      {d.state === 'published' && <Vote articleId={d.id} />}
      {d.related.length > 0 && (
        <Card size="small" title={T.related} style={{ marginTop: 16 }}>
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {d.related.map((r) => (
              <li key={r.id}>
                <Link href={`/knowledge/${r.id}`}>{r.title}</Link>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}

export default function KnowledgeArticlePage() {
  const { id } = useParams<{ id: string }>();
  return (
    <PortalShell
      right={
        <Link href="/login">
          <Button size="small" ghost icon={<LoginOutlined />}>
            {t.outages.login}
          </Button>
        </Link>
      }
    >
      <div style={{ marginBottom: 12 }}>
        <Link href="/knowledge">
          <LeftOutlined /> {T.backToList}
        </Link>
      </div>
      <Article id={id} />
    </PortalShell>
  );
}
