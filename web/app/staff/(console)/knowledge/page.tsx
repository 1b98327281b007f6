'use client';

import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Input, Modal, Segmented, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ArticleEditor } from '@/components/knowledge/ArticleEditor';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useMe } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const T = t.knowledge.staff;
type Filter = 'all' | 'review' | 'published' | 'draft' | 'archived';
type Row = {
  id: string;
  title: string;
  categoryName: string;
  stateLabel: string;
  state: string;
  revisionLabel: string | null;
  revisionState: string | null;
  revisionAuthor: string | null;
  version: number | null;
  views: number;
  helpful: number;
  unhelpful: number;
  updatedAt: string | Date;
};

const STATE_COLOR: Record<string, string> = { published: 'green', draft: 'default', archived: 'red' };

function Articles({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<Filter>('all');
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<string | 'new' | null>(null);
  const list = useQuery(trpc.knowledge.staffList.queryOptions({ state: filter === 'all' ? null : filter, q: q || null }));
  const columns: ColumnsType<Row> = [
    {
      title: T.colTitle,
      key: 'title',
      render: (_, r) => (
        <Button type="link" style={{ padding: 0, whiteSpace: 'normal', textAlign: 'left', height: 'auto' }} onClick={() => setOpen(r.id)}>
          {r.title}
        </Button>
      ),
    },
    { title: T.colCategory, dataIndex: 'categoryName', key: 'c', width: 110 },
    { title: T.colState, key: 's', width: 90, render: (_, r) => <Tag color={STATE_COLOR[r.state]}>{r.stateLabel}</Tag> },
    {
      title: T.colRevision,
      key: 'r',
      width: 170,
      render: (_, r) =>
        r.revisionLabel ? (
          <Space size={4}>
            <Tag color={r.revisionState === 'review' ? 'orange' : 'blue'}>{r.revisionLabel}</Tag>
            <span className="ps-muted">{r.revisionAuthor}</span>
          </Space>
        ) : null,
    },
    { title: T.colVersion, key: 'v', width: 80, render: (_, r) => (r.version ? t.knowledge.version(r.version) : T.noPublished) },
    { title: T.colViews, dataIndex: 'views', key: 'views', width: 70 },
    { title: T.colVotes, key: 'votes', width: 110, render: (_, r) => `${r.helpful} / ${r.unhelpful}` },
    { title: T.colUpdated, key: 'u', width: 160, render: (_, r) => formatDateTime(r.updatedAt) },
  ];
  return (
    <Card>
      <Space wrap style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }}>
        <Segmented<Filter>
          value={filter}
          onChange={setFilter}
          options={[
            { value: 'all', label: T.filterAll },
            { value: 'review', label: T.filterReview },
            { value: 'published', label: T.filterPublished },
            { value: 'draft', label: T.filterDraft },
            { value: 'archived', label: T.filterArchived },
          ]}
        />
        <Space>
          <Input.Search allowClear placeholder={T.searchTitle} onSearch={(v) => setQ(v.trim())} style={{ width: 220 }} aria-label={T.searchTitle} />
          {canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen('new')}>
              {T.newArticle}
            </Button>
          )}
        </Space>
      </Space>
      {!canEdit && <Alert type="info" showIcon title={T.editorOnly} style={{ marginBottom: 12 }} />}
      {list.isError ? (
        <Alert type="error" showIcon title={errorMessage(list.error)} />
      ) : (
        <Table<Row>
          rowKey="id"
          size="small"
          loading={list.isPending}
          columns={columns}
          dataSource={(list.data as Row[] | undefined) ?? []}
          pagination={{ pageSize: 20 }}
        />
      )}
      {open && <ArticleEditor id={open === 'new' ? null : open} onClose={() => setOpen(null)} onCreated={(id) => setOpen(id)} />}
    </Card>
  );
}

function Deflection() {
  const trpc = useTRPC();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(30, 'day').startOf('day'), dayjs().add(1, 'day').startOf('day')]);
  const r = useQuery(trpc.knowledge.deflection.queryOptions({ from: range[0].toDate(), to: range[1].toDate() }));
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  return (
    <Card>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{T.deflectionHelp}</Typography.Text>
        <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
        {r.isError ? (
          <Alert type="error" showIcon title={errorMessage(r.error)} />
        ) : (
          <Table
            rowKey="categoryId"
            size="small"
            loading={r.isPending}
            pagination={false}
            dataSource={r.data ?? []}
            columns={[
              { title: T.colCategory, dataIndex: 'categoryName' },
              { title: T.colViewsForm, dataIndex: 'views' },
              { title: T.colDeflected, dataIndex: 'deflected' },
              { title: T.colFiled, dataIndex: 'filed' },
              { title: T.colPending, dataIndex: 'pending' },
              { title: T.colResolvedClicks, dataIndex: 'resolvedClicks' },
              { title: T.colRate, key: 'rate', render: (_, x) => pct(x.rate) },
            ]}
          />
        )}
      </Space>
    </Card>
  );
}

function Categories() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const cats = useQuery(trpc.knowledge.categories.queryOptions());
  const save = useMutation(trpc.knowledge.saveCategory.mutationOptions());
  const [editing, setEditing] = useState<{ id?: string; name: string; description: string } | null>(null);
  const submit = async () => {
    if (!editing) return;
    try {
      await save.mutateAsync({ id: editing.id, name: editing.name.trim(), description: editing.description.trim() || null });
      message.success(T.categorySaved);
      setEditing(null);
      await qc.invalidateQueries({ queryKey: trpc.knowledge.pathKey() });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Card
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setEditing({ name: '', description: '' })}>
          {T.newCategory}
        </Button>
      }
    >
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={cats.isPending}
        dataSource={cats.data ?? []}
        columns={[
          { title: T.categoryName, dataIndex: 'name' },
          { title: T.categoryDescription, dataIndex: 'description' },
          { title: T.categoryArticles, key: 'n', render: (_, c) => t.knowledge.articles(c.articles) },
          {
            title: '',
            key: 'x',
            width: 90,
            render: (_, c) => (
              <Button size="small" onClick={() => setEditing({ id: c.id, name: c.name, description: c.description })}>
                {T.rename}
              </Button>
            ),
          },
        ]}
      />
      {editing && (
        <Modal open title={editing.id ? T.rename : T.newCategory} onCancel={() => setEditing(null)} onOk={submit} confirmLoading={save.isPending}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input
              aria-label={T.categoryName}
              placeholder={T.categoryName}
              maxLength={20}
              value={editing.name}
              onChange={(e) => setEditing({ ...editing, name: e.target.value })}
            />
            <Input
              aria-label={T.categoryDescription}
              placeholder={T.categoryDescription}
              maxLength={100}
              value={editing.description}
              onChange={(e) => setEditing({ ...editing, description: e.target.value })}
            />
          </Space>
        </Modal>
      )}
    </Card>
  );
}

export default function StaffKnowledgePage() {
  const me = useMe();
  const roles: readonly string[] = me.data?.roles ?? [];
  const canEdit = roles.some((r) => ['expert', 'supervisor', 'admin'].includes(r));
  const canReport = roles.some((r) => ['supervisor', 'admin'].includes(r));
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {T.title}
      </Typography.Title>
      {canReport ? (
        <Tabs
          items={[
            { key: 'articles', label: T.title, children: <Articles canEdit={canEdit} /> },
            { key: 'categories', label: T.categories, children: <Categories /> },
            { key: 'deflection', label: T.deflection, children: <Deflection /> },
          ]}
        />
      ) : canEdit ? (
        <Tabs
          items={[
            { key: 'articles', label: T.title, children: <Articles canEdit={canEdit} /> },
            { key: 'categories', label: T.categories, children: <Categories /> },
          ]}
        />
      ) : (
        <Articles canEdit={canEdit} />
      )}
    </>
  );
}
