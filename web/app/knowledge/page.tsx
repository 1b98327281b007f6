'use client';

import { LoginOutlined, SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Input, List, Row, Skeleton, Space, Tag, Typography } from 'antd';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { Highlighted } from '@/components/knowledge/ArticleBody';
import { PortalShell } from '@/components/PortalShell';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const T = t.knowledge;

function KnowledgeHome() {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const categoryId = params.get('c');
  const cats = useQuery(trpc.knowledge.categories.queryOptions());
  const hits = useQuery({ ...trpc.knowledge.search.queryOptions({ q, categoryId, limit: 20 }), enabled: q.length > 0 });
  const list = useQuery({ ...trpc.knowledge.list.queryOptions({ categoryId, limit: 50 }), enabled: q.length === 0 });
  const go = (next: { q?: string; c?: string | null }) => {
    const sp = new URLSearchParams();
    const nq = next.q ?? q;
    const nc = next.c === undefined ? categoryId : next.c;
    if (nq) sp.set('q', nq);
    if (nc) sp.set('c', nc);
    router.push(`/knowledge${sp.size ? `?${sp}` : ''}`);
  };
  const catName = cats.data?.find((c) => c.id === categoryId)?.name;
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {T.title}
      </Typography.Title>
      <p className="ps-muted">{T.intro}</p>
      <Input.Search
        key={q}
        defaultValue={q}
        size="large"
        placeholder={T.searchPlaceholder}
        enterButton={
          <span>
            <SearchOutlined /> {T.search}
          </span>
        }
        onSearch={(v) => go({ q: v.trim() })}
        aria-label={T.searchPlaceholder}
        style={{ marginBottom: 16 }}
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <Tag.CheckableTag checked={!categoryId} onChange={() => go({ c: null })}>
          {T.allCategories}
        </Tag.CheckableTag>
        {cats.data?.map((c) => (
          <Tag.CheckableTag key={c.id} checked={c.id === categoryId} onChange={() => go({ c: c.id })}>
            {c.name}（{T.articles(c.articles)}）
          </Tag.CheckableTag>
        ))}
      </Space>
      {q ? (
        <Card title={hits.data ? T.results(hits.data.length) : T.search}>
          {hits.isPending ? (
            <Skeleton active />
          ) : hits.isError ? (
            <Alert type="error" showIcon title={errorMessage(hits.error)} />
          ) : hits.data.length === 0 ? (
            <Empty description={T.noResult} />
          ) : (
            <List
              dataSource={hits.data}
              renderItem={(h) => (
                <List.Item>
                  <List.Item.Meta
                    title={
                      <Link href={`/knowledge/${h.id}`}>
                        <Highlighted segments={h.titleSegments} />
                      </Link>
                    }
                    description={
                      <>
                        <Tag>{h.categoryName}</Tag>
                        <Highlighted segments={h.snippetSegments} />
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          )}
        </Card>
      ) : (
        <Card title={catName ?? T.popular}>
          {list.isPending ? (
            <Skeleton active />
          ) : list.isError ? (
            <Alert type="error" showIcon title={errorMessage(list.error)} />
          ) : (
            <Row gutter={[16, 4]}>
              {list.data.map((a) => (
                <Col xs={24} md={12} key={a.id}>
                  <List.Item style={{ display: 'block', padding: '8px 0' }}>
                    <Link href={`/knowledge/${a.id}`}>{a.title}</Link>
                    <div className="ps-muted" style={{ fontSize: 13 }}>
                      {!categoryId && <Tag>{a.categoryName}</Tag>}
                      {a.summary}
                    </div>
                  </List.Item>
                </Col>
              ))}
            </Row>
          )}
        </Card>
      )}
    </>
  );
}

export default function KnowledgePage() {
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
      <Suspense>
        <KnowledgeHome />
      </Suspense>
    </PortalShell>
  );
}
