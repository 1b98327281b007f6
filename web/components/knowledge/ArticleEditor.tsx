'use client';

import { PictureOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Drawer, Form, Input, Modal, Select, Skeleton, Space, Tabs, Tag, Timeline, Typography } from 'antd';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useMe } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { readAsDataUrl } from '@/lib/workorders';
import { ArticleBody } from './ArticleBody';

const T = t.knowledge.staff;
type Values = { title: string; summary?: string; categoryId: string; tags: string[]; relatedIds: string[]; body: string };
type Image = { key: string; dataUrl: string; alt: string };
type DiffLine = { op: 'same' | 'add' | 'del' | 'change'; text: string; parts?: { op: 'same' | 'add' | 'del'; text: string }[] };

const DIFF_STYLE: Record<string, React.CSSProperties> = {
  add: { background: '#f6ffed', color: '#135200' },
  del: { background: '#fff1f0', color: '#a8071a', textDecoration: 'line-through' },
  same: {},
};

/** A line/character diff as the reviewer reads it: removed in red, added in green. */
export function DiffView({ lines }: { lines: DiffLine[] }) {
  return (
    <div style={{ fontSize: 13, lineHeight: 1.8, border: '1px solid #f0f0f0', borderRadius: 6, padding: 8, maxHeight: 420, overflow: 'auto' }}>
      {lines.map((l, i) => {
        const key = `${i}-${l.op}`;
        if (l.op === 'change')
          return (
            <div key={key} style={{ background: '#fffbe6' }}>
              <span className="ps-muted">± </span>
              {l.parts?.map((p, j) => (
                <span key={j} style={DIFF_STYLE[p.op]}>
                  {p.text}
                </span>
              ))}
            </div>
          );
        return (
          <div key={key} style={DIFF_STYLE[l.op]}>
            <span className="ps-muted">{l.op === 'add' ? '+ ' : l.op === 'del' ? '− ' : '  '}</span>
            {l.text || ' '}
          </div>
        );
      })}
    </div>
  );
}

const MAX_IMAGE = 512 * 1024;

/** Editing, review and history of one article (or a new one), in a drawer of the staff console. */
export function ArticleEditor({ id, onClose, onCreated }: { id: string | null; onClose: () => void; onCreated: (id: string) => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const me = useMe();
  const roles: readonly string[] = me.data?.roles ?? [];
  const canEdit = roles.some((r) => ['expert', 'supervisor', 'admin'].includes(r));
  const canReview = roles.some((r) => ['supervisor', 'admin'].includes(r));
  const article = useQuery({ ...trpc.knowledge.staffArticle.queryOptions({ id: id ?? '' }), enabled: !!id });
  const cats = useQuery(trpc.knowledge.categories.queryOptions());
  const all = useQuery(trpc.knowledge.list.queryOptions({ limit: 100 }));
  const save = useMutation(trpc.knowledge.saveDraft.mutationOptions());
  const step = useMutation(trpc.knowledge.workflow.mutationOptions());
  const [form] = Form.useForm<Values>();
  const [images, setImages] = useState<Image[]>([]);
  const [note, setNote] = useState<{ action: 'reject' | 'archive'; text: string } | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const a = article.data;
  const src = a?.revision ?? a?.published ?? null;
  const loadedKey = a ? `${a.id}:${a.rev}` : null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload the form when another version arrives, not on every render
  useEffect(() => {
    if (!src) return;
    form.setFieldsValue({
      title: src.title,
      summary: src.summary,
      categoryId: src.categoryId,
      tags: src.tags,
      relatedIds: src.relatedIds,
      body: src.body,
    });
    setImages(src.images);
  }, [loadedKey]);

  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: trpc.knowledge.pathKey() });
  };
  const fail = (e: unknown) => message.error(errorMessage(e));

  const onSave = async (v: Values) => {
    try {
      const r = await save.mutateAsync({
        articleId: id,
        rev: a?.rev,
        content: {
          ...v,
          summary: v.summary ?? null,
          tags: v.tags ?? [],
          relatedIds: v.relatedIds ?? [],
          images: images.map((i) => ({ ...i, alt: i.alt || null })),
        },
      });
      message.success(T.saved);
      await refresh();
      if (!id) onCreated(r.id);
    } catch (e) {
      fail(e);
    }
  };
  const run = async (action: 'submit' | 'approve' | 'reject' | 'archive' | 'restore' | 'discard', text?: string) => {
    if (!a) return;
    try {
      await step.mutateAsync({ articleId: a.id, action, rev: a.rev, note: text ?? null });
      const done = {
        submit: T.submitted,
        approve: T.approved,
        reject: T.rejected,
        archive: T.archivedDone,
        restore: T.restored,
        discard: T.discarded,
      };
      message.success(done[action]);
      setNote(null);
      await refresh();
    } catch (e) {
      fail(e);
    }
  };
  const addImage = async (f: File | undefined) => {
    if (!f) return;
    if (!['image/png', 'image/jpeg', 'image/webp'].includes(f.type)) return message.error(T.imageType);
    if (f.size > MAX_IMAGE) return message.error(T.imageTooBig);
    const key = `img${images.reduce((m, i) => Math.max(m, Number(i.key.replace(/\D/g, '')) || 0), 0) + 1}`;
    const alt = f.name.replace(/\.[^.]+$/, '').slice(0, 30);
    setImages([...images, { key, dataUrl: await readAsDataUrl(f), alt }]);
    form.setFieldValue('body', `${form.getFieldValue('body') ?? ''}\n![${alt}](${key})\n`);
  };

  const rev = a?.revision;
  const inReview = rev?.state === 'review';
  const archived = a?.state === 'archived';
  const editable = canEdit && !inReview && !archived;
  const own = rev?.authorId && me.data && 'id' in me.data && rev.authorId === (me.data as { id: string }).id;

  const editorTab = (
    <Form<Values> form={form} layout="vertical" onFinish={onSave} disabled={!editable} initialValues={{ tags: [], relatedIds: [] }}>
      <Form.Item name="title" label={T.fieldTitle} rules={[{ required: true, whitespace: true, message: T.fieldTitle }]}>
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item name="summary" label={T.fieldSummary}>
        <Input.TextArea rows={2} maxLength={200} showCount />
      </Form.Item>
      <Space style={{ display: 'flex' }} align="start" wrap>
        <Form.Item name="categoryId" label={T.fieldCategory} rules={[{ required: true, message: T.fieldCategory }]} style={{ minWidth: 180 }}>
          <Select options={cats.data?.map((c) => ({ value: c.id, label: c.name })) ?? []} />
        </Form.Item>
        <Form.Item name="tags" label={T.fieldTags} style={{ minWidth: 260 }}>
          <Select mode="tags" tokenSeparators={[',', '，', ' ']} />
        </Form.Item>
      </Space>
      <Form.Item name="relatedIds" label={T.fieldRelated}>
        <Select
          mode="multiple"
          optionFilterProp="label"
          options={all.data?.filter((x) => x.id !== id).map((x) => ({ value: x.id, label: x.title })) ?? []}
        />
      </Form.Item>
      <Form.Item name="body" label={T.fieldBody} extra={T.bodyHelp} rules={[{ required: true, whitespace: true, message: T.fieldBody }]}>
        <Input.TextArea rows={14} maxLength={20000} style={{ fontFamily: 'inherit' }} />
      </Form.Item>
      {images.length > 0 && (
        <Space wrap style={{ marginBottom: 12 }}>
          {images.map((i) => (
            <Tag key={i.key}>
              {i.key}：{i.alt}
            </Tag>
          ))}
        </Space>
      )}
      <input ref={fileRef} type="file" accept="image/png,image/jpeg,image/webp" hidden onChange={(e) => void addImage(e.target.files?.[0])} />
      {editable && (
        <Space wrap>
          <Button icon={<PictureOutlined />} onClick={() => fileRef.current?.click()}>
            {T.insertImage}
          </Button>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {T.saveDraft}
          </Button>
        </Space>
      )}
    </Form>
  );

  const actions = a && (
    <Space wrap>
      {canEdit && rev?.state === 'editing' && (
        <Button type="primary" onClick={() => run('submit')} loading={step.isPending}>
          {T.submit}
        </Button>
      )}
      {canReview && inReview && !own && (
        <>
          <Button type="primary" onClick={() => run('approve')} loading={step.isPending}>
            {T.approve}
          </Button>
          <Button onClick={() => setNote({ action: 'reject', text: '' })}>{T.reject}</Button>
        </>
      )}
      {canEdit && rev && a.state !== 'draft' && !inReview && <Button onClick={() => run('discard')}>{T.discard}</Button>}
      {canReview && !archived && (
        <Button danger onClick={() => setNote({ action: 'archive', text: '' })}>
          {T.archive}
        </Button>
      )}
      {canReview && archived && a.published && <Button onClick={() => run('restore')}>{T.restore}</Button>}
      {a.published && (
        <Link href={`/knowledge/${a.id}`} target="_blank">
          {T.viewPublic}
        </Link>
      )}
    </Space>
  );

  return (
    <Drawer
      open
      onClose={onClose}
      size="large"
      width={860}
      title={id ? (a?.published?.title ?? a?.revision?.title ?? T.title) : T.newArticle}
      extra={actions}
    >
      {id && article.isPending ? (
        <Skeleton active />
      ) : article.isError ? (
        <Alert type="error" showIcon title={errorMessage(article.error)} />
      ) : (
        <>
          {a && (
            <Space wrap style={{ marginBottom: 12 }}>
              <Tag color={a.state === 'published' ? 'green' : a.state === 'archived' ? 'red' : 'default'}>{a.stateLabel}</Tag>
              {a.published && <span className="ps-muted">{t.knowledge.version(a.published.version)}</span>}
              {rev && (
                <>
                  <Tag color={inReview ? 'orange' : 'blue'}>{rev.stateLabel}</Tag>
                  <span className="ps-muted">{T.revisionBy(rev.authorName)}</span>
                  {rev.note && <span className="ps-muted">{T.reviewNote(rev.note)}</span>}
                </>
              )}
              {rev && a.published && <Alert type="info" showIcon title={T.livePublic} style={{ padding: '2px 8px' }} />}
            </Space>
          )}
          <Tabs
            items={[
              { key: 'edit', label: a?.revision ? T.revision : T.edit, children: editorTab },
              ...(a?.diff
                ? [
                    {
                      key: 'diff',
                      label: T.diff,
                      children: (
                        <>
                          {a.diffStats && <p className="ps-muted">{T.diffStats(a.diffStats.added, a.diffStats.removed, a.diffStats.changed)}</p>}
                          <DiffView lines={a.diff as DiffLine[]} />
                        </>
                      ),
                    },
                  ]
                : []),
              ...(a?.revision
                ? [{ key: 'preview', label: T.preview, children: <ArticleBody blocks={a.revision.blocks} images={a.revision.images} /> }]
                : []),
              ...(a?.published
                ? [
                    {
                      key: 'published',
                      label: T.published,
                      children: (
                        <Card size="small">
                          <Typography.Title level={5}>{a.published.title}</Typography.Title>
                          <ArticleBody blocks={a.published.blocks} images={a.published.images} />
                        </Card>
                      ),
                    },
                  ]
                : []),
              ...(a
                ? [
                    {
                      key: 'history',
                      label: T.history,
                      children: (
                        <Timeline
                          items={a.history.map((h) => ({
                            children: (
                              <>
                                <strong>{h.actionLabel}</strong> · {h.actorName} · {formatDateTime(h.at)}
                                {h.version ? ` · ${t.knowledge.version(h.version)}` : ''}
                                {h.note && <div className="ps-muted">{T.reviewNote(h.note)}</div>}
                              </>
                            ),
                          }))}
                        />
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </>
      )}
      {note && (
        <Modal
          open
          title={note.action === 'reject' ? T.reject : T.archive}
          onCancel={() => setNote(null)}
          onOk={() => run(note.action, note.text.trim() || undefined)}
          okText={note.action === 'reject' ? T.reject : T.archive}
          confirmLoading={step.isPending}
        >
          <Input.TextArea
            rows={3}
            maxLength={300}
            placeholder={note.action === 'reject' ? T.rejectNote : T.archiveNote}
            aria-label={note.action === 'reject' ? T.rejectNote : T.archiveNote}
            value={note.text}
            onChange={(e) => setNote({ ...note, text: e.target.value })}
          />
        </Modal>
      )}
    </Drawer>
  );
}
