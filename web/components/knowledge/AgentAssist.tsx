'use client';

import { BookOutlined, MessageOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Input, List, Space, Tabs, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { Highlighted } from './ArticleBody';

const T = t.knowledge.agent;

/** Knowledge search for agents: each hit can be inserted into the reply as a link or as an excerpt. */
function KnowledgeSearch({ onInsert }: { onInsert: (text: string) => void }) {
  const trpc = useTRPC();
  const [q, setQ] = useState('');
  const hits = useQuery({ ...trpc.knowledge.agentSearch.queryOptions({ q }), enabled: q.length > 0 });
  const link = (id: string) => `${typeof window === 'undefined' ? '' : window.location.origin}/knowledge/${id}`;
  return (
    <>
      <Input.Search
        placeholder={T.searchPlaceholder}
        aria-label={T.searchPlaceholder}
        allowClear
        onSearch={(v) => setQ(v.trim())}
        loading={hits.isFetching}
      />
      {hits.isError && <Alert type="error" showIcon title={errorMessage(hits.error)} style={{ marginTop: 8 }} />}
      {q && hits.data && hits.data.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.knowledge.noResult} />}
      {hits.data && hits.data.length > 0 && (
        <List
          size="small"
          style={{ maxHeight: 320, overflow: 'auto' }}
          dataSource={hits.data}
          renderItem={(h) => (
            <List.Item
              actions={[
                <Button
                  key="link"
                  size="small"
                  onClick={() => onInsert(`${T.seeMore}《${h.title}》：${link(h.id)}`)}
                  aria-label={`${T.insertLink} ${h.title}`}
                >
                  {T.insertLink}
                </Button>,
                <Button
                  key="excerpt"
                  size="small"
                  onClick={() => onInsert(`${h.excerpt}（${T.seeMore}《${h.title}》）`)}
                  aria-label={`${T.insertExcerpt} ${h.title}`}
                >
                  {T.insertExcerpt}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={<Highlighted segments={h.titleSegments} />}
                description={
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {h.categoryName} · {h.excerpt}
                  </Typography.Text>
                }
              />
            </List.Item>
          )}
        />
      )}
    </>
  );
}

/** 规范用语 by scenario, inserted with one click. */
function Phrases({ onInsert }: { onInsert: (text: string) => void }) {
  const trpc = useTRPC();
  const phrases = useQuery(trpc.knowledge.phrases.queryOptions());
  if (phrases.isError) return <Alert type="error" showIcon title={errorMessage(phrases.error)} />;
  return (
    <Tabs
      size="small"
      items={(phrases.data?.scenarios ?? []).map((s) => ({
        key: s.key,
        label: s.label,
        children: (
          <Space direction="vertical" style={{ width: '100%' }}>
            {s.phrases.map((p) => (
              <Button key={p} type="dashed" block style={{ whiteSpace: 'normal', height: 'auto', textAlign: 'left' }} onClick={() => onInsert(p)}>
                {p}
              </Button>
            ))}
          </Space>
        ),
      }))}
    />
  );
}

/** The agents' knowledge panel beside a reply: search the base, insert an article or a standard phrase. */
export function AgentAssist({ onInsert }: { onInsert: (text: string) => void }) {
  return (
    <Card size="small" style={{ marginTop: 8 }} data-testid="agent-assist">
      <Tabs
        size="small"
        items={[
          {
            key: 'kb',
            label: (
              <span>
                <BookOutlined /> {T.title}
              </span>
            ),
            children: <KnowledgeSearch onInsert={onInsert} />,
          },
          {
            key: 'phrases',
            label: (
              <span>
                <MessageOutlined /> {T.phrases}
              </span>
            ),
            children: <Phrases onInsert={onInsert} />,
          },
        ]}
      />
    </Card>
  );
}

type Hint = { found: string; suggest: string; reason: string; index: number };

/**
 * Seed 000's house style checked before a reply goes out: `check` resolves false (and shows the hints) when the
 * reply uses a discouraged phrase; the agent fixes it or sends anyway (`banner` renders both choices).
 */
export function useStyleGate() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [hints, setHints] = useState<Hint[] | null>(null);
  const overridden = useRef<string | null>(null);
  const check = useCallback(
    async (text: string, customerLast?: string | null): Promise<boolean> => {
      if (overridden.current === text) return true;
      try {
        const found = await qc.fetchQuery(trpc.knowledge.checkReply.queryOptions({ text, customerLast: customerLast ?? null }));
        if (!found.length) return true;
        setHints(found);
        return false;
      } catch {
        // The check only advises: if it cannot run, the reply still goes.
        return true;
      }
    },
    [qc, trpc],
  );
  const banner = (text: string, sendAnyway: () => void) =>
    hints && (
      <Alert
        type="warning"
        showIcon
        style={{ marginTop: 8 }}
        title={T.hintTitle}
        description={
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {hints.map((h) => (
              <li key={`${h.index}-${h.found}`}>{T.hintLine(h.found, h.suggest, h.reason)}</li>
            ))}
          </ul>
        }
        action={
          <Space direction="vertical">
            <Button size="small" onClick={() => setHints(null)}>
              {T.fixIt}
            </Button>
            <Button
              size="small"
              danger
              onClick={() => {
                overridden.current = text;
                setHints(null);
                sendAnyway();
              }}
            >
              {T.sendAnyway}
            </Button>
          </Space>
        }
      />
    );
  const reset = () => {
    setHints(null);
    overridden.current = null;
  };
  return { check, banner, reset };
}
