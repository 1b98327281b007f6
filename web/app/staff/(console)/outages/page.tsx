'use client';

import { CheckOutlined, CloseOutlined, EditOutlined, PoweroffOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ButtonProps } from 'antd';
import { Alert, App, Button, Card, Col, Empty, Form, Input, Popconfirm, Radio, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { KindTag, PhaseTag } from '@/components/outages/OutageBits';
import { groupedOptions, useAreas } from '@/components/outages/useAreas';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { fromLocalInput, type OutageView, type ProposalView } from '@/lib/outages';
import { DateTimeField } from '@/components/DateTimeField';
import { useTRPC } from '@/lib/trpc';
import { FormModal } from '@/components/FormModal';

const T = t.outages;

function useRefreshOutages() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: trpc.outage.pathKey() });
}

type PublishValues = {
  kind: 'planned' | 'temporary' | 'fault';
  feederIds?: string[];
  transformerAreaIds?: string[];
  startAt: string;
  etr?: string;
  reason: string;
  importantContactNote?: string;
};

function PublishForm() {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const refresh = useRefreshOutages();
  const [regionId, setRegionId] = useState<string | null>(null);
  const areas = useAreas(regionId);
  const [form] = Form.useForm<PublishValues>();
  const [error, setError] = useState<string | null>(null);
  const publish = useMutation(trpc.outage.publish.mutationOptions());
  const kind = Form.useWatch('kind', form);

  const submit = async (v: PublishValues) => {
    setError(null);
    const feederIds = v.feederIds ?? [];
    const transformerAreaIds = v.transformerAreaIds ?? [];
    if (feederIds.length === 0 && transformerAreaIds.length === 0) {
      setError(T.scopeRequired);
      return;
    }
    try {
      const r = await publish.mutateAsync({
        kind: v.kind,
        scope: { feederIds, transformerAreaIds },
        startAt: fromLocalInput(v.startAt) ?? v.startAt,
        etr: fromLocalInput(v.etr),
        importantContactNote: v.kind === 'temporary' ? v.importantContactNote?.trim() || null : null,
        reason: v.reason,
      });
      message.success(T.published(r.outage.outageNo, r.merged));
      form.resetFields(['feederIds', 'transformerAreaIds', 'etr', 'reason']);
      form.setFieldValue('startAt', new Date().toISOString());
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      await refresh();
    }
  };

  return (
    <Card title={T.publishTitle} style={{ marginBottom: 16 }} data-testid="publish-card">
      <Form
        form={form}
        // Its own id prefix (publish_etr …): the ETR dialog's field has the name etr too, and labels point at ids.
        name="publish"
        layout="vertical"
        onFinish={submit}
        initialValues={{ kind: 'fault', startAt: new Date().toISOString() }}
        onValuesChange={() => error && setError(null)}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="kind" label={T.kind} rules={[{ required: true }]} extra={kind === 'planned' ? T.plannedRule : undefined}>
              <Radio.Group optionType="button" buttonStyle="solid" data-testid="publish-kind">
                {(['planned', 'temporary', 'fault'] as const).map((k) => (
                  <Radio.Button key={k} value={k}>
                    <span data-testid={`publish-kind-${k}`}>{T.kinds[k]}</span>
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={T.region}>
              <div data-testid="publish-region">
                <Select
                  allowClear
                  placeholder={T.regionAll}
                  value={regionId ?? undefined}
                  onChange={(v) => setRegionId(v ?? null)}
                  options={areas.regions.map((r) => ({ value: r.id, label: r.name }))}
                />
              </div>
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={T.feeders} htmlFor="publish_feederIds">
              <div data-testid="publish-feeders">
                <Form.Item name="feederIds" noStyle>
                  <Select
                    mode="multiple"
                    allowClear
                    showSearch
                    optionFilterProp="label"
                    placeholder={T.feedersPlaceholder}
                    loading={areas.loading}
                    options={groupedOptions(areas.nodes, 'feeder')}
                  />
                </Form.Item>
              </div>
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={T.areas} htmlFor="publish_transformerAreaIds">
              <div data-testid="publish-areas">
                <Form.Item name="transformerAreaIds" noStyle>
                  <Select
                    mode="multiple"
                    allowClear
                    showSearch
                    optionFilterProp="label"
                    placeholder={T.areasPlaceholder}
                    loading={areas.loading}
                    options={groupedOptions(areas.nodes, 'transformer_area')}
                  />
                </Form.Item>
              </div>
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="startAt" label={T.startAt} rules={[{ required: true, message: T.startRequired }]}>
              <DateTimeField data-testid="publish-start" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="etr" label={T.etr} extra={T.etrHint} rules={[{ required: kind !== 'fault', message: T.etrRequired }]}>
              <DateTimeField data-testid="publish-etr" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="reason" label={T.reason} rules={[{ required: true, whitespace: true, message: T.reasonRequired }]}>
              <Input.TextArea rows={2} maxLength={500} placeholder={T.reasonPlaceholder} data-testid="publish-reason" />
            </Form.Item>
          </Col>
          {kind === 'temporary' && (
            <Col xs={24}>
              {/* SPEC §4: temporary maintenance reaches important customers 24 h ahead; within 24 h the phone contact is recorded. */}
              <Form.Item name="importantContactNote" label={t.entService.importantNoteLabel} extra={t.entService.importantNoteHint}>
                <Input.TextArea rows={2} maxLength={500} placeholder={t.entService.importantNotePlaceholder} />
              </Form.Item>
            </Col>
          )}
        </Row>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="publish-error" />}
        <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={publish.isPending} data-testid="publish-submit">
          {T.publish}
        </Button>
      </Form>
    </Card>
  );
}

/**
 * A dialog with a small form whose OK runs one outage action: fields validated first, the API's refusal
 * shown inline, a success message, and every outage list refreshed either way.
 */
function ActionModal<V extends object>({
  run,
  success,
  children,
  ...modal
}: {
  open: boolean;
  title: string;
  okText: string;
  okTestId: string;
  danger?: boolean;
  initialValues?: Partial<V>;
  run: (values: V) => Promise<unknown>;
  success: (result: unknown) => string;
  onClose: () => void;
  children: React.ReactNode;
}) {
  const { message } = App.useApp();
  const refresh = useRefreshOutages();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: V) => {
    setError(null);
    setBusy(true);
    try {
      message.success(success(await run(v)));
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  const close = () => {
    setError(null);
    modal.onClose();
  };

  return (
    <FormModal<V> {...modal} loading={busy} onSubmit={submit} onClose={close}>
      {children}
      {error && <Alert type="error" showIcon title={error} data-testid={`${modal.okTestId}-error`} />}
    </FormModal>
  );
}

function EtrModal({ outage, onClose }: { outage: OutageView | null; onClose: () => void }) {
  const trpc = useTRPC();
  const update = useMutation(trpc.outage.update.mutationOptions());
  return (
    <ActionModal<{ etr: string; note?: string }>
      open={!!outage}
      title={outage ? T.editEtrTitle(outage.outageNo) : ''}
      okText={t.app.confirm}
      okTestId="etr-save"
      initialValues={{ etr: outage?.etr ?? undefined }}
      run={(v) => update.mutateAsync({ outageId: outage!.id, version: outage!.version, etr: fromLocalInput(v.etr), note: v.note?.trim() || null })}
      success={() => T.etrUpdated}
      onClose={onClose}
    >
      <p className="ps-muted">{outage?.etrText}</p>
      <Form.Item name="etr" label={T.newEtr} rules={[{ required: true, message: T.etrRequired }]}>
        <DateTimeField data-testid="etr-input" />
      </Form.Item>
      <Form.Item name="note" label={T.note}>
        <Input.TextArea rows={2} maxLength={500} data-testid="etr-note" />
      </Form.Item>
    </ActionModal>
  );
}

/** Cancels an outage that has not started yet, with a reason (customers in scope are told). */
function CancelModal({ outage, onClose }: { outage: OutageView | null; onClose: () => void }) {
  const trpc = useTRPC();
  const cancel = useMutation(trpc.outage.cancel.mutationOptions());
  return (
    <ActionModal<{ reason: string }>
      open={!!outage}
      title={outage ? T.cancelTitle(outage.outageNo) : ''}
      okText={T.cancelOutage}
      okTestId="cancel-outage-confirm"
      danger
      run={(v) => cancel.mutateAsync({ outageId: outage!.id, version: outage!.version, reason: v.reason.trim() })}
      success={() => T.cancelled}
      onClose={onClose}
    >
      <p className="ps-muted">{T.cancelDesc}</p>
      <Form.Item name="reason" label={T.cancelReason} rules={[{ required: true, whitespace: true, message: T.cancelReasonRequired }]}>
        <Input.TextArea rows={2} maxLength={500} data-testid="cancel-outage-reason" />
      </Form.Item>
    </ActionModal>
  );
}

function OutageList() {
  const trpc = useTRPC();
  const { message } = App.useApp();
  const refresh = useRefreshOutages();
  const [statuses, setStatuses] = useState<('published' | 'restored' | 'cancelled')[]>(['published']);
  const list = useQuery({
    ...trpc.outage.staffList.queryOptions({ statuses: statuses.length ? statuses : undefined, limit: 100 }),
    refetchInterval: 15_000,
  });
  const restore = useMutation(trpc.outage.restore.mutationOptions());
  const [editing, setEditing] = useState<OutageView | null>(null);
  const [cancelling, setCancelling] = useState<OutageView | null>(null);

  const doRestore = async (o: OutageView) => {
    try {
      const r = await restore.mutateAsync({ outageId: o.id, version: o.version });
      message.success(T.restored(r.resolved));
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      await refresh();
    }
  };

  const columns: ColumnsType<OutageView> = [
    { title: T.outageNo, dataIndex: 'outageNo', key: 'no', width: 170 },
    { title: T.kind, key: 'k', width: 100, render: (_, o) => <KindTag kind={o.kind} label={o.kindLabel} /> },
    { title: T.phase, key: 'p', width: 100, render: (_, o) => <PhaseTag phase={o.phase} label={o.phaseLabel} /> },
    { title: T.scope, key: 'a', width: 240, ellipsis: true, render: (_, o) => <span title={o.areaNames.join('、')}>{o.areaText}</span> },
    { title: T.startAt, key: 's', width: 170, render: (_, o) => formatDateTime(o.startAt) },
    {
      title: T.etr,
      key: 'e',
      width: 200,
      render: (_, o) => (o.restoredAt ? `${T.restoredAt} ${formatDateTime(o.restoredAt)}` : <span data-testid="row-etr">{o.etrText}</span>),
    },
    { title: T.reason, dataIndex: 'reason', key: 'r', ellipsis: true },
    {
      title: T.actions,
      key: 'x',
      width: 230,
      fixed: 'right',
      render: (_, o) =>
        o.phase === 'upcoming' || o.phase === 'active' ? (
          <Space size={4}>
            <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(o)} data-testid={`edit-etr-${o.outageNo}`}>
              {T.editEtr}
            </Button>
            {o.phase === 'upcoming' && (
              <Button size="small" danger icon={<CloseOutlined />} onClick={() => setCancelling(o)} data-testid={`cancel-outage-${o.outageNo}`}>
                {T.cancelOutage}
              </Button>
            )}
            {o.phase === 'active' && (
              <Popconfirm
                title={T.restoreConfirm(o.outageNo)}
                onConfirm={() => doRestore(o)}
                okText={T.restore}
                cancelText={t.app.cancel}
                okButtonProps={{ 'data-testid': 'restore-confirm', loading: restore.isPending } as ButtonProps}
              >
                <Button size="small" type="primary" icon={<PoweroffOutlined />} data-testid={`restore-${o.outageNo}`}>
                  {T.restore}
                </Button>
              </Popconfirm>
            )}
          </Space>
        ) : null,
    },
  ];

  return (
    <Card
      title={T.list}
      style={{ marginBottom: 16 }}
      extra={
        <Space>
          <div data-testid="outage-status-filter" style={{ minWidth: 220 }}>
            <Select
              mode="multiple"
              allowClear
              style={{ width: '100%' }}
              placeholder={T.filterStatus}
              value={statuses}
              onChange={setStatuses}
              options={Object.entries(T.statuses).map(([value, label]) => ({ value, label }))}
            />
          </div>
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} data-testid="outages-refresh">
            {T.refresh}
          </Button>
        </Space>
      }
    >
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} style={{ marginBottom: 12 }} />}
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isPending}
        scroll={{ x: 1400 }}
        pagination={{ pageSize: 20, showTotal: (n) => T.total(n) }}
        locale={{ emptyText: <Empty description={T.empty} /> }}
        onRow={(o) => ({ 'data-testid': `outage-row-${o.outageNo}` }) as React.HTMLAttributes<HTMLElement>}
      />
      <EtrModal outage={editing} onClose={() => setEditing(null)} />
      <CancelModal outage={cancelling} onClose={() => setCancelling(null)} />
    </Card>
  );
}

function Proposals() {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.outage.proposals.queryOptions({ status: 'open' }), refetchInterval: 15_000 });
  const confirm = useMutation(trpc.outage.confirmProposal.mutationOptions());
  const dismiss = useMutation(trpc.outage.dismissProposal.mutationOptions());
  const [confirming, setConfirming] = useState<ProposalView | null>(null);
  const [dismissing, setDismissing] = useState<ProposalView | null>(null);

  const columns: ColumnsType<ProposalView> = [
    { title: T.proposals, key: 'l', width: 100, render: (_, p) => <Tag color={p.level === 'feeder' ? 'red' : 'orange'}>{p.levelLabel}</Tag> },
    { title: T.scope, dataIndex: 'scopeName', key: 'n', ellipsis: true },
    { title: T.mergedReports, key: 'r', width: 110, render: (_, p) => T.proposalReports(p.evidence.reports) },
    { title: T.startAt, key: 'f', width: 170, render: (_, p) => formatDateTime(p.evidence.firstAt ?? p.createdAt) },
    {
      title: t.desk.unusual,
      key: 'rule',
      render: (_, p) => (
        <div style={{ fontSize: 12 }}>
          {p.unusual && (
            <div data-testid="proposal-unusual">
              {p.unusual.firedBy && <Tag color="volcano">{p.unusual.firedBy === 'share' ? t.desk.firedByShare : t.desk.firedByAreas}</Tag>}
              {p.unusual.text}
            </div>
          )}
          <div className="ps-muted">{p.evidence.rule}</div>
        </div>
      ),
    },
    {
      title: T.actions,
      key: 'x',
      width: 180,
      render: (_, p) => (
        <Space size={4}>
          <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => setConfirming(p)} data-testid={`proposal-confirm-${p.id}`}>
            {T.confirmProposal}
          </Button>
          <Button size="small" danger icon={<CloseOutlined />} onClick={() => setDismissing(p)} data-testid={`proposal-dismiss-${p.id}`}>
            {T.dismissProposal}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Card title={T.proposals} style={{ marginBottom: 16 }} data-testid="proposals-card">
      <p className="ps-muted" style={{ marginTop: 0 }}>
        {T.proposalsDesc}
      </p>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} style={{ marginBottom: 12 }} />}
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pagination={false}
        locale={{ emptyText: <Empty description={T.proposalsEmpty} /> }}
      />
      <ActionModal<{ etr?: string; reason?: string }>
        open={!!confirming}
        title={confirming ? T.confirmProposalTitle(confirming.scopeName) : ''}
        okText={T.confirmProposal}
        okTestId="proposal-confirm-ok"
        run={(v) => confirm.mutateAsync({ proposalId: confirming!.id, etr: fromLocalInput(v.etr), reason: v.reason?.trim() || null })}
        success={(r) => {
          const { outage, merged } = r as Awaited<ReturnType<typeof confirm.mutateAsync>>;
          return T.proposalConfirmed(outage.outageNo, merged);
        }}
        onClose={() => setConfirming(null)}
      >
        <Form.Item name="etr" label={T.etr} extra={T.etrHint}>
          <DateTimeField data-testid="proposal-etr" />
        </Form.Item>
        <Form.Item name="reason" label={T.reason}>
          <Input.TextArea rows={2} maxLength={500} data-testid="proposal-reason" />
        </Form.Item>
      </ActionModal>
      <ActionModal<{ reason: string }>
        open={!!dismissing}
        title={dismissing ? T.dismissTitle(dismissing.scopeName) : ''}
        okText={T.dismissProposal}
        okTestId="proposal-dismiss-ok"
        danger
        run={(v) => dismiss.mutateAsync({ proposalId: dismissing!.id, reason: v.reason })}
        success={() => T.dismissed}
        onClose={() => setDismissing(null)}
      >
        <Form.Item name="reason" label={T.dismissReason} rules={[{ required: true, whitespace: true, message: T.dismissReasonRequired }]}>
          <Input.TextArea rows={2} maxLength={500} data-testid="proposal-dismiss-reason" />
        </Form.Item>
      </ActionModal>
    </Card>
  );
}

export default function StaffOutagesPage() {
  return (
    <div data-testid="staff-outages">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {T.staffTitle}
      </Typography.Title>
      <PublishForm />
      <Proposals />
      <OutageList />
    </div>
  );
}
