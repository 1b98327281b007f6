'use client';

import { ArrowLeftOutlined, HistoryOutlined, RollbackOutlined } from '@ant-design/icons';
import type { AppRouter } from '@power/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Radio, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { CenterSpin } from '@/components/common';
import { DateTimeField } from '@/components/DateTimeField';
import { FormModal } from '@/components/FormModal';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useMe } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const T = t.settings;

type Out = inferRouterOutputs<AppRouter>;
export type SettingKind = Out['settings']['overview'][number]['kind'];
export type SettingVersionRow = Out['settings']['history'][number];
export type SettingCurrent = Out['settings']['current'];
export type SettingDetail = Out['settings']['version'];

/** Version 1 (the defaults) is in force "from the start": no date to show. */
export const effectiveText = (iso: string) => (new Date(iso).getTime() < Date.UTC(2000, 0, 1) ? T.initial : formatDateTime(iso));

export function useSettingCurrent(kind: SettingKind) {
  const trpc = useTRPC();
  return useQuery(trpc.settings.current.queryOptions({ kind }));
}

/** Admins write; supervisors only read. */
export function useCanEditSettings(): boolean {
  const me = useMe();
  return !!me.data?.roles?.includes('admin');
}

export function useRefreshSettings() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: trpc.settings.pathKey() });
}

export function SettingsPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Link href="/staff/admin">
        <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingLeft: 0 }}>
          {T.back}
        </Button>
      </Link>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      {children}
    </Space>
  );
}

/**
 * A settings screen of two versioned kinds, one tab each (SLA rules + calendar, tariffs + late fees): read-only
 * for supervisors, the editors once both current versions are loaded.
 */
export function TwoSettingsPage({ title, tabs }: { title: string; tabs: [SettingTab, SettingTab] }) {
  const canEdit = useCanEditSettings();
  const a = useSettingCurrent(tabs[0].kind);
  const b = useSettingCurrent(tabs[1].kind);
  const error = a.error ?? b.error;
  return (
    <SettingsPage title={title}>
      {!canEdit && <Alert type="info" showIcon title={T.readOnly} />}
      {error && <Alert type="error" showIcon title={errorMessage(error)} />}
      {a.isPending || b.isPending ? (
        <CenterSpin />
      ) : (
        a.data &&
        b.data && (
          <Tabs
            items={[
              { key: tabs[0].key, label: tabs[0].label, children: tabs[0].render(a.data, canEdit) },
              { key: tabs[1].key, label: tabs[1].label, children: tabs[1].render(b.data, canEdit) },
            ]}
          />
        )
      )}
    </SettingsPage>
  );
}
export interface SettingTab {
  key: string;
  label: string;
  kind: SettingKind;
  render: (current: SettingCurrent, canEdit: boolean) => ReactNode;
}

/** What is in force and what is scheduled after it. */
export function CurrentLine({ current }: { current: SettingCurrent }) {
  return (
    <Space wrap size={[8, 4]} data-testid={`current-${current.kind}`}>
      <Tag color="green">{T.current(current.version, effectiveText(current.effectiveAt))}</Tag>
      {current.scheduled.map((s) => (
        <Tag key={s.version} color="gold">
          {T.pending(s.version, formatDateTime(s.effectiveAt))}
        </Tag>
      ))}
      {current.latestVersion !== current.version && <span className="ps-muted">{T.editFrom(current.latestVersion)}</span>}
    </Space>
  );
}

type PublishValues = { when: 'now' | 'later'; effectiveAt?: string | null; note: string };

/**
 * The bottom of every editor: when the new version takes effect, why, and the publish button. `build` validates
 * the editor's own form and returns the value to publish (or null when the form shows errors).
 */
export function PublishPanel({
  kind,
  current,
  build,
  onPublished,
}: {
  kind: SettingKind;
  current: SettingCurrent;
  build: () => Promise<unknown | null>;
  onPublished?: () => void;
}) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const refresh = useRefreshSettings();
  const [form] = Form.useForm<PublishValues>();
  const [error, setError] = useState<string | null>(null);
  const publish = useMutation(trpc.settings.publish.mutationOptions());
  const when = Form.useWatch('when', form);

  const submit = async () => {
    setError(null);
    const value = await build();
    let v: PublishValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (value === null) return;
    try {
      const r = await publish.mutateAsync({
        kind,
        value,
        effectiveAt: v.when === 'later' ? v.effectiveAt : null,
        note: v.note.trim(),
        baseVersion: current.latestVersion,
      });
      message.success(T.published(r.version));
      form.resetFields();
      await refresh();
      onPublished?.();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <Card title={T.publishTitle} size="small">
      {/* A form name of its own: two tabs each have a panel, and field ids (label → input) must not collide. */}
      <Form form={form} name={`publish-${kind}`} layout="vertical" initialValues={{ when: 'now', note: '' }} style={{ maxWidth: 640 }}>
        <Form.Item name="when" label={T.effective}>
          <Radio.Group
            options={[
              { value: 'now', label: T.effectiveNow },
              { value: 'later', label: T.effectiveLater },
            ]}
          />
        </Form.Item>
        {when === 'later' && (
          <Form.Item name="effectiveAt" label={T.effectiveLater} rules={[{ required: true, message: T.effectiveAtRequired }]}>
            <DateTimeField disabledPast aria-label={T.effective} />
          </Form.Item>
        )}
        <Form.Item name="note" label={T.note} rules={[{ required: true, whitespace: true, min: 2, message: T.noteRequired }]}>
          <Input maxLength={200} showCount placeholder={T.notePlaceholder} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" onClick={submit} loading={publish.isPending}>
          {T.publish}
        </Button>
      </Form>
    </Card>
  );
}

function ChangesModal({ kind, label, version, onClose }: { kind: SettingKind; label: string; version: number | null; onClose: () => void }) {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.settings.version.queryOptions({ kind, version: version ?? 1 }), enabled: version !== null });
  const columns: ColumnsType<SettingDetail['changes'][number]> = [
    { title: T.colField, dataIndex: 'label', key: 'label' },
    { title: T.colBefore, dataIndex: 'before', key: 'before', render: (v: string | null) => v ?? T.none },
    { title: T.colAfter, dataIndex: 'after', key: 'after', render: (v: string | null) => v ?? T.none },
  ];
  return (
    <Modal open={version !== null} title={version ? T.changesTitle(label, version) : ''} onCancel={onClose} footer={null} width={720} destroyOnHidden>
      {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} />}
      {q.data && (
        <>
          <p className="ps-muted">
            {T.changesAgainst(q.data.previousVersion)}
            {q.data.note ? ` · ${q.data.note}` : ''}
          </p>
          {q.data.changes.length === 0 && q.data.previousVersion ? (
            <Empty description={T.noChanges} />
          ) : (
            <Table
              rowKey={(r) => `${r.path}:${r.before}:${r.after}`}
              size="small"
              columns={columns}
              dataSource={q.data.changes}
              pagination={q.data.changes.length > 20 ? { pageSize: 20 } : false}
            />
          )}
        </>
      )}
    </Modal>
  );
}

/** Version history of one kind: who, when, why; the before/after of each version; roll back with a confirmation. */
export function VersionHistory({ kind, current }: { kind: SettingKind; current: SettingCurrent }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const refresh = useRefreshSettings();
  const canEdit = useCanEditSettings();
  const history = useQuery(trpc.settings.history.queryOptions({ kind, limit: 50 }));
  const rollback = useMutation(trpc.settings.rollback.mutationOptions());
  const [viewing, setViewing] = useState<number | null>(null);
  const [target, setTarget] = useState<SettingVersionRow | null>(null);

  const columns: ColumnsType<SettingVersionRow> = [
    {
      title: T.colVersion,
      key: 'version',
      render: (_, r) => (
        <Space size={4} wrap>
          <strong>{T.versionNo(r.version)}</strong>
          <Tag color={r.state === 'in_force' ? 'green' : r.state === 'scheduled' ? 'gold' : 'default'}>{r.stateLabel}</Tag>
          {r.rolledBackFrom && <Tag color="purple">{T.rolledBackFrom(r.rolledBackFrom)}</Tag>}
        </Space>
      ),
    },
    { title: T.colEffective, key: 'effectiveAt', render: (_, r) => effectiveText(r.effectiveAt) },
    { title: T.colBy, dataIndex: 'createdByName', key: 'by' },
    { title: T.colAt, key: 'createdAt', render: (_, r) => effectiveText(r.createdAt) },
    { title: T.colNote, dataIndex: 'note', key: 'note', render: (v: string) => v || T.none },
    {
      title: T.colActions,
      key: 'actions',
      render: (_, r) => (
        <Space size={0} wrap>
          <Button type="link" icon={<HistoryOutlined />} onClick={() => setViewing(r.version)}>
            {T.viewChanges}
          </Button>
          {canEdit && r.version !== current.latestVersion && (
            <Button type="link" danger icon={<RollbackOutlined />} onClick={() => setTarget(r)}>
              {T.rollback}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  const submitRollback = async (v: { note?: string }) => {
    if (!target) return false;
    try {
      const r = await rollback.mutateAsync({ kind, toVersion: target.version, note: v.note?.trim() || null, baseVersion: current.latestVersion });
      message.success(T.rolledBack(target.version, r.version));
      await refresh();
      return true;
    } catch (err) {
      message.error(errorMessage(err));
      return false;
    }
  };

  return (
    <Card title={T.history} size="small">
      {history.isError && <Alert type="error" showIcon title={errorMessage(history.error)} />}
      <Table
        rowKey="version"
        size="small"
        loading={history.isPending}
        columns={columns}
        dataSource={history.data ?? []}
        pagination={false}
        scroll={{ x: true }}
        aria-label={T.history}
      />
      <ChangesModal kind={kind} label={current.kindLabel} version={viewing} onClose={() => setViewing(null)} />
      <FormModal<{ note?: string }>
        open={!!target}
        title={target ? T.rollbackTitle(target.version) : ''}
        okText={T.rollbackConfirm}
        okTestId="rollback-confirm"
        danger
        loading={rollback.isPending}
        onSubmit={submitRollback}
        onClose={() => setTarget(null)}
      >
        {target && (
          <>
            <p>{T.rollbackDesc(target.version, current.latestVersion + 1)}</p>
            <Form.Item name="note" label={T.note}>
              <Input maxLength={200} placeholder={T.rollbackTitle(target.version)} />
            </Form.Item>
          </>
        )}
      </FormModal>
    </Card>
  );
}

/** Integer field rules with the server's ranges, in Chinese. */
export const intRules = (label: string, min: number, max: number, unit: string) => [
  { required: true, message: T.required(label) },
  { type: 'integer' as const, min, max, message: T.intRange(label, min, max, unit) },
];
