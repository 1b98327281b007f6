'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { APPLICATION_DOC_LABELS, APPLICATION_KIND_LABELS, APPLICATION_MILESTONE_LABELS } from '@power/api/labels';
import { Alert, App, Button, Card, Checkbox, Drawer, Input, InputNumber, Radio, Select, Skeleton, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { type ApplicationView, DocumentsCard, HistoryCard, LateNotice, MilestoneSteps, PhaseTag } from '@/components/applications/ApplicationBits';
import { DateTimeField } from '@/components/DateTimeField';
import { LiveBadge } from '@/components/workorders/OrderBits';
import { useLiveOrders } from '@/components/workorders/useLiveOrders';
import { errorCode, errorMessage } from '@/lib/errors';
import { useMe } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

type Filters = {
  kinds: (keyof typeof APPLICATION_KIND_LABELS)[];
  milestone: keyof typeof APPLICATION_MILESTONE_LABELS | null;
  overdue: boolean;
  waiting: boolean;
  maxDaysLeft: number | null;
  mine: boolean;
  includeDone: boolean;
};
const KINDS = Object.keys(APPLICATION_KIND_LABELS) as (keyof typeof APPLICATION_KIND_LABELS)[];
const MILESTONES = Object.keys(APPLICATION_MILESTONE_LABELS) as (keyof typeof APPLICATION_MILESTONE_LABELS)[];
const DOC_KINDS = Object.keys(APPLICATION_DOC_LABELS) as (keyof typeof APPLICATION_DOC_LABELS)[];

function Actions({ app, onDone }: { app: ApplicationView; onDone: () => Promise<void> }) {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const roles = useMe().data?.roles ?? [];
  const opts = { onSuccess: onDone };
  const claim = useMutation(trpc.application.claim.mutationOptions(opts));
  const complete = useMutation(trpc.application.complete.mutationOptions(opts));
  const schedule = useMutation(trpc.application.schedule.mutationOptions(opts));
  const requestDocs = useMutation(trpc.application.requestDocs.mutationOptions(opts));
  const refuse = useMutation(trpc.application.refuse.mutationOptions(opts));
  const note = useMutation(trpc.application.note.mutationOptions(opts));
  const assign = useMutation(trpc.application.assign.mutationOptions(opts));
  const agents = useQuery({ ...trpc.application.agents.queryOptions(), enabled: app.actions.includes('assign') });
  const [assignee, setAssignee] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const [when, setWhen] = useState<string | null>(null);
  const [kinds, setKinds] = useState<string[]>([]);
  const [reqNote, setReqNote] = useState('');
  const [reason, setReason] = useState('');
  const [msg, setMsg] = useState('');
  const [vis, setVis] = useState<'internal' | 'customer'>('customer');
  const [error, setError] = useState<string | null>(null);
  const run = async (p: Promise<unknown>, reset?: () => void) => {
    setError(null);
    try {
      await p;
      reset?.();
      message.success(t.applyDesk.saved);
    } catch (err) {
      setError(errorCode(err) === 'CONFLICT' ? t.wo.conflict : errorMessage(err));
      await onDone();
    }
  };
  const base = { orderId: app.id, version: app.version };
  const has = (a: string) => app.actions.includes(a as never);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={error} />}
      {has('claim') && !app.assigned && (
        <Button onClick={() => run(claim.mutateAsync(base))} loading={claim.isPending}>
          {t.applyDesk.claim}
        </Button>
      )}
      {has('assign') && (
        <Space.Compact style={{ width: '100%' }}>
          <Select
            style={{ flex: 1 }}
            aria-label={t.applyDesk.assignTo}
            placeholder={t.applyDesk.assignTo}
            value={assignee}
            onChange={setAssignee}
            options={(agents.data ?? []).map((g) => ({ value: g.id, label: `${g.name}（${g.roleLabel}，${g.load}）` }))}
          />
          <Button disabled={!assignee} loading={assign.isPending} onClick={() => assignee && run(assign.mutateAsync({ ...base, agentId: assignee }))}>
            {t.applyDesk.assign}
          </Button>
        </Space.Compact>
      )}
      {has('complete') && (
        <Card size="small" title={app.actionLabels.complete}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input.TextArea
              rows={2}
              aria-label={t.applyDesk.notes}
              placeholder={t.applyDesk.notesPh}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
            />
            <Button
              type="primary"
              loading={complete.isPending}
              onClick={() => run(complete.mutateAsync({ ...base, notes: notes.trim() || null }), () => setNotes(''))}
            >
              {app.actionLabels.complete}
            </Button>
          </Space>
        </Card>
      )}
      {has('schedule') && (
        <Space wrap>
          <DateTimeField value={when} onChange={setWhen} aria-label={t.applyDesk.scheduleAt} placeholder={t.applyDesk.scheduleAt} disabledPast />
          <Button disabled={!when} loading={schedule.isPending} onClick={() => when && run(schedule.mutateAsync({ ...base, scheduledAt: when }))}>
            {t.applyDesk.schedule}
          </Button>
        </Space>
      )}
      {has('requestDocs') && (
        <Card size="small" title={t.applyDesk.requestDocs}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Checkbox.Group
              value={kinds}
              onChange={(v) => setKinds(v as string[])}
              options={DOC_KINDS.map((k) => ({ value: k, label: APPLICATION_DOC_LABELS[k] }))}
            />
            <Input
              aria-label={t.applyDesk.requestNote}
              placeholder={t.applyDesk.requestNote}
              value={reqNote}
              onChange={(e) => setReqNote(e.target.value)}
            />
            <Button
              loading={requestDocs.isPending}
              onClick={() =>
                run(requestDocs.mutateAsync({ ...base, docKinds: kinds as 'id_card'[], notes: reqNote }), () => {
                  setKinds([]);
                  setReqNote('');
                })
              }
            >
              {t.applyDesk.requestDocs}
            </Button>
          </Space>
        </Card>
      )}
      {has('note') && (
        <Card size="small" title={t.applyDesk.note}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Radio.Group
              value={vis}
              onChange={(e) => setVis(e.target.value)}
              options={[
                { value: 'customer', label: t.applyDesk.noteCustomer },
                { value: 'internal', label: t.applyDesk.noteInternal },
              ]}
            />
            <Input.TextArea rows={2} aria-label={t.applyDesk.note} value={msg} onChange={(e) => setMsg(e.target.value)} />
            <Button loading={note.isPending} onClick={() => run(note.mutateAsync({ ...base, notes: msg, visibility: vis }), () => setMsg(''))}>
              {t.applyDesk.send}
            </Button>
          </Space>
        </Card>
      )}
      {(has('refuse') || (roles.includes('agent') && app.phase === 'in_progress')) && app.phase !== 'completed' && (
        <Card size="small" title={t.applyDesk.refuse}>
          {has('refuse') ? (
            <Space.Compact style={{ width: '100%' }}>
              <Input
                aria-label={t.applyDesk.refuseReason}
                placeholder={t.applyDesk.refuseReason}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
              <Button danger loading={refuse.isPending} onClick={() => run(refuse.mutateAsync({ ...base, reason }))}>
                {t.applyDesk.refuse}
              </Button>
            </Space.Compact>
          ) : (
            <Typography.Text type="secondary">{t.applyDesk.refuseHint}</Typography.Text>
          )}
        </Card>
      )}
    </Space>
  );
}

function ApplicationDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery({ ...trpc.application.get.queryOptions({ id: id ?? '' }), enabled: id != null });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.application.pathKey() });
  const app = q.data;
  return (
    <Drawer open={id != null} onClose={onClose} size="large" title={app ? t.applyDesk.drawerTitle(app.orderNo) : ''}>
      {q.isPending && <Skeleton active />}
      {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} />}
      {app && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <b>{app.kindLabel}</b>
            <Tag>{app.supplyClassLabel}</Tag>
            <PhaseTag phase={app.phase} label={app.phaseLabel} />
            {app.escalated && <Tag color="red">{t.applyDesk.escalated}</Tag>}
          </Space>
          <p>
            {app.form.contactName} {app.form.contactPhone} · {app.accountNumber ?? app.form.address}
            {app.form.capacityKva ? ` · ${app.form.capacityKva} kVA` : ''}
          </p>
          <p className="ps-muted">{app.form.reason}</p>
          <p>{app.promiseLabel}</p>
          <LateNotice app={app} />
          <Actions app={app} onDone={refresh} />
          <Card size="small" title={t.apply.milestones} style={{ marginTop: 12 }}>
            <MilestoneSteps app={app} />
          </Card>
          <DocumentsCard app={app} />
          <HistoryCard app={app} />
        </>
      )}
    </Drawer>
  );
}

export default function ApplicationsDeskPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const live = useLiveOrders();
  const [f, setF] = useState<Filters>({
    kinds: [],
    milestone: null,
    overdue: false,
    waiting: false,
    maxDaysLeft: null,
    mine: false,
    includeDone: false,
  });
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useQuery({ ...trpc.application.queue.queryOptions(f), refetchInterval: 10_000 });
  const claim = useMutation(
    trpc.application.claim.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.application.pathKey() }) }),
  );
  type Row = NonNullable<typeof list.data>['items'][number];
  const columns: ColumnsType<Row> = [
    { title: t.apply.orderNo, dataIndex: 'orderNo', key: 'no', width: 170 },
    { title: t.applyDesk.kind, key: 'k', width: 130, render: (_, r) => `${r.kindLabel} · ${r.supplyClassLabel}` },
    { title: t.applyDesk.milestone, key: 'm', width: 120, render: (_, r) => r.currentLabel ?? r.phaseLabel },
    {
      title: t.apply.milestones,
      key: 'd',
      width: 200,
      render: (_, r) => (
        <Space size={4} wrap>
          {r.waiting && <Tag color="gold">{t.applyDesk.waiting}</Tag>}
          {r.late && <Tag color="red">{t.applyDesk.overdue}</Tag>}
          {r.escalated && <Tag color="volcano">{t.applyDesk.escalated}</Tag>}
          <span>{r.currentDaysLeftLabel ?? ''}</span>
        </Space>
      ),
    },
    { title: t.applyDesk.customer, key: 'c', width: 140, render: (_, r) => r.contactName },
    { title: t.applyDesk.address, key: 'a', ellipsis: true, render: (_, r) => r.accountNumber ?? r.address ?? '' },
    { title: t.apply.createdAt, dataIndex: 'createdLabel', key: 't', width: 130 },
    {
      title: t.queue.actions,
      key: 'x',
      width: 150,
      fixed: 'right',
      render: (_, r) => (
        <Space>
          {!r.assigned && !f.includeDone && (
            <Button
              size="small"
              onClick={(e) => {
                e.stopPropagation();
                claim.mutate({ orderId: r.id, version: r.version });
              }}
            >
              {t.applyDesk.claim}
            </Button>
          )}
          <Button size="small" type="primary" onClick={() => setOpenId(r.id)}>
            {t.applyDesk.open}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t.applyDesk.title} <LiveBadge status={live.status} />
      </Typography.Title>
      <p className="ps-muted">{t.applyDesk.desc}</p>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          mode="multiple"
          allowClear
          style={{ minWidth: 200 }}
          placeholder={t.applyDesk.kind}
          value={f.kinds}
          onChange={(kinds) => setF({ ...f, kinds })}
          options={KINDS.map((k) => ({ value: k, label: APPLICATION_KIND_LABELS[k] }))}
        />
        <Select
          allowClear
          style={{ minWidth: 150 }}
          placeholder={t.applyDesk.milestone}
          value={f.milestone}
          onChange={(milestone) => setF({ ...f, milestone: milestone ?? null })}
          options={MILESTONES.map((k) => ({ value: k, label: APPLICATION_MILESTONE_LABELS[k] }))}
        />
        <Space size={4}>
          {t.applyDesk.daysLeft}
          <InputNumber
            min={0}
            max={60}
            value={f.maxDaysLeft}
            onChange={(v) => setF({ ...f, maxDaysLeft: v ?? null })}
            aria-label={t.applyDesk.daysLeft}
          />
        </Space>
        <Space size={4}>
          <Switch checked={f.overdue} onChange={(overdue) => setF({ ...f, overdue })} aria-label={t.applyDesk.overdue} />
          {t.applyDesk.overdue}
        </Space>
        <Space size={4}>
          <Switch checked={f.waiting} onChange={(waiting) => setF({ ...f, waiting })} aria-label={t.applyDesk.waiting} />
          {t.applyDesk.waiting}
        </Space>
        <Space size={4}>
          <Switch checked={f.mine} onChange={(mine) => setF({ ...f, mine })} aria-label={t.applyDesk.mine} />
          {t.applyDesk.mine}
        </Space>
        <Space size={4}>
          <Switch checked={f.includeDone} onChange={(includeDone) => setF({ ...f, includeDone })} aria-label={t.applyDesk.done} />
          {t.applyDesk.done}
        </Space>
      </Space>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} style={{ marginBottom: 12 }} />}
      <Table<Row>
        rowKey="id"
        size="small"
        loading={list.isPending}
        columns={columns}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 1100 }}
        pagination={{ pageSize: 20, showTotal: (n) => t.applyDesk.total(n) }}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
      />
      <ApplicationDrawer id={openId} onClose={() => setOpenId(null)} />
    </>
  );
}
