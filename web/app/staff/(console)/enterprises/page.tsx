'use client';

import { BankOutlined, FilePdfOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { FormModal } from '@/components/FormModal';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useActionRunner, useMe } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const e = t.ent.staffEnt;
const STATUS_COLOR: Record<string, string> = { draft: 'default', pending: 'processing', verified: 'green', rejected: 'red' };
type Status = 'draft' | 'pending' | 'verified' | 'rejected';
type Row = {
  id: string;
  name: string;
  creditCode: string;
  tier: string;
  status: Status;
  contactNameMasked: string;
  contactPhoneMasked: string | null;
  submittedAt: string | null;
  accountManager: { id: string; name: string } | null;
  accountCount: number;
  pendingJoins: number;
};

function Detail({ id, onClose, canAssign }: { id: string | null; onClose: () => void; canAssign: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery({ ...trpc.enterprise.staffGet.queryOptions({ id: id ?? '' }), enabled: !!id });
  const managers = useQuery({ ...trpc.enterprise.accountManagers.queryOptions(), enabled: !!id && canAssign });
  const verify = useMutation(trpc.enterprise.verify.mutationOptions());
  const reject = useMutation(trpc.enterprise.reject.mutationOptions());
  const assign = useMutation(trpc.enterprise.assignManager.mutationOptions());
  const [rejecting, setRejecting] = useState(false);
  const [managerId, setManagerId] = useState<string | null | undefined>(undefined);
  const d = detail.data;

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.enterprise.staffGet.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.enterprise.staffList.queryKey() });
  };
  const run = useActionRunner(refresh);

  return (
    <Drawer open={!!id} onClose={onClose} size="large" title={d ? e.detailTitle(d.name) : e.title} destroyOnHidden>
      {detail.isError && <Alert type="error" showIcon title={errorMessage(detail.error)} />}
      {d && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={1} bordered size="small">
            <Descriptions.Item label={e.name}>{d.name}</Descriptions.Item>
            <Descriptions.Item label={e.creditCode}>{d.creditCode}</Descriptions.Item>
            <Descriptions.Item label={e.tier}>{t.enums.tier[d.tier] ?? d.tier}</Descriptions.Item>
            <Descriptions.Item label={e.contact}>
              {d.contactName} {d.contactPhoneMasked}
            </Descriptions.Item>
            <Descriptions.Item label={e.status}>
              <Tag color={STATUS_COLOR[d.status]}>{t.ent.status[d.status]}</Tag>
            </Descriptions.Item>
            {d.submittedAt && <Descriptions.Item label={e.submittedAt}>{formatDateTime(d.submittedAt)}</Descriptions.Item>}
            {d.rejectReason && <Descriptions.Item label={e.lastReject}>{d.rejectReason}</Descriptions.Item>}
            <Descriptions.Item label={e.members}>{d.memberCount}</Descriptions.Item>
            <Descriptions.Item label={e.manager}>{d.accountManager?.name ?? e.none}</Descriptions.Item>
          </Descriptions>

          <Card size="small" title={e.licence}>
            {!d.licence && <Empty description={e.noLicence} />}
            {d.licence?.mime.startsWith('image/') && (
              <img
                src={d.licence.url}
                alt={`${e.licence}：${d.licence.name}`}
                style={{ maxWidth: '100%', maxHeight: 420, border: '1px solid #e6ebf0' }}
              />
            )}
            {d.licence && (
              <div style={{ marginTop: 8 }}>
                <a href={d.licence.url} target="_blank" rel="noreferrer">
                  <FilePdfOutlined /> {e.licenceOpen}
                </a>
                <span className="ps-muted" style={{ marginLeft: 8 }}>
                  {d.licence.name}
                </span>
              </div>
            )}
          </Card>

          {d.status === 'pending' && (
            <Space>
              <Popconfirm title={e.verifyConfirm(d.name)} onConfirm={() => run(verify.mutateAsync({ id: d.id }), e.verified)}>
                <Button type="primary" loading={verify.isPending}>
                  {e.verify}
                </Button>
              </Popconfirm>
              <Button danger onClick={() => setRejecting(true)}>
                {e.reject}
              </Button>
            </Space>
          )}

          {canAssign && (
            <Card size="small" title={e.assign}>
              <Space.Compact style={{ width: '100%', maxWidth: 420 }}>
                <Select
                  aria-label={e.assign}
                  style={{ flex: 1 }}
                  allowClear
                  placeholder={e.assignPh}
                  loading={managers.isPending}
                  value={managerId === undefined ? (d.accountManager?.id ?? null) : managerId}
                  onChange={(v) => setManagerId(v ?? null)}
                  options={(managers.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
                />
                <Button
                  onClick={() =>
                    run(assign.mutateAsync({ id: d.id, managerId: managerId === undefined ? (d.accountManager?.id ?? null) : managerId }), e.assigned)
                  }
                  loading={assign.isPending}
                >
                  {e.assignSave}
                </Button>
              </Space.Compact>
            </Card>
          )}

          <JoinQueue enterpriseId={d.id} />
        </Space>
      )}
      <FormModal<{ reason: string }>
        open={rejecting}
        title={e.rejectTitle}
        okText={e.reject}
        okTestId="enterprise-reject-ok"
        danger
        loading={reject.isPending}
        onClose={() => setRejecting(false)}
        onSubmit={(v) => run(reject.mutateAsync({ id: d!.id, reason: v.reason.trim() }), e.rejected)}
      >
        <Form.Item name="reason" label={e.rejectReason} rules={[{ required: true, whitespace: true, message: e.rejectReasonRequired }]}>
          <Input.TextArea rows={3} maxLength={200} placeholder={e.rejectReasonPh} />
        </Form.Item>
      </FormModal>
    </Drawer>
  );
}

/** Account-join requests awaiting staff confirmation: all of them, or one enterprise's. */
function JoinQueue({ enterpriseId }: { enterpriseId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.enterprise.staffJoinRequests.queryOptions(enterpriseId ? { enterpriseId, status: 'pending' } : {}));
  const decide = useMutation(trpc.enterprise.decideJoin.mutationOptions());
  const [rejecting, setRejecting] = useState<string | null>(null);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.enterprise.staffJoinRequests.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.enterprise.staffList.queryKey() });
  };
  const run = useActionRunner(refresh);
  const rows = list.data ?? [];
  if (enterpriseId && !list.isPending && rows.length === 0) return null;
  return (
    <Card size="small" title={e.tabJoins}>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <Table
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={rows}
        locale={{ emptyText: e.noJoins }}
        pagination={false}
        scroll={{ x: 720 }}
        columns={[
          { title: e.joinNumber, dataIndex: 'accountNumber' },
          { title: e.joinHolder, dataIndex: 'holderNameMasked' },
          { title: e.joinAddress, dataIndex: 'addressMasked' },
          ...(enterpriseId ? [] : [{ title: e.joinEnterprise, key: 'ent', render: (_v: unknown, r: (typeof rows)[number]) => r.enterprise.name }]),
          { title: e.joinNote, dataIndex: 'note', render: (v: string | null) => v ?? '' },
          { title: e.joinCreatedAt, dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
          {
            title: '',
            key: 'a',
            render: (_v: unknown, r: (typeof rows)[number]) => (
              <Space size={4}>
                <Button size="small" type="primary" onClick={() => run(decide.mutateAsync({ id: r.id, approve: true }), e.approved)}>
                  {e.approve}
                </Button>
                <Button size="small" danger onClick={() => setRejecting(r.id)}>
                  {e.joinReject}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <FormModal<{ reason: string }>
        open={!!rejecting}
        title={e.joinRejectTitle}
        okText={e.joinReject}
        okTestId="join-reject-ok"
        danger
        loading={decide.isPending}
        onClose={() => setRejecting(null)}
        onSubmit={(v) => run(decide.mutateAsync({ id: rejecting!, approve: false, reason: v.reason.trim() }), e.joinRejected)}
      >
        <Form.Item name="reason" label={e.rejectReason} rules={[{ required: true, whitespace: true, message: e.rejectReasonRequired }]}>
          <Input.TextArea rows={3} maxLength={200} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}

function Applications({ canAssign }: { canAssign: boolean }) {
  const trpc = useTRPC();
  const [status, setStatus] = useState<Status | 'all'>('pending');
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery(trpc.enterprise.staffList.queryOptions({ status: status === 'all' ? null : status, q: search || null }));
  const columns: ColumnsType<Row> = [
    {
      title: e.name,
      dataIndex: 'name',
      render: (v: string, r) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(r.id)}>
          {v}
        </Button>
      ),
    },
    { title: e.creditCode, dataIndex: 'creditCode' },
    { title: e.contact, key: 'contact', render: (_v, r) => `${r.contactNameMasked} ${r.contactPhoneMasked ?? ''}` },
    { title: e.status, dataIndex: 'status', render: (v: string) => <Tag color={STATUS_COLOR[v]}>{t.ent.status[v]}</Tag> },
    { title: e.submittedAt, dataIndex: 'submittedAt', render: (v: string | null) => (v ? formatDateTime(v) : '') },
    { title: e.manager, key: 'mgr', render: (_v, r) => r.accountManager?.name ?? <span className="ps-muted">{e.none}</span> },
    { title: e.accounts, dataIndex: 'accountCount' },
    { title: e.pendingJoins, dataIndex: 'pendingJoins', render: (v: number) => (v ? <Tag color="orange">{v}</Tag> : 0) },
    {
      title: '',
      key: 'open',
      render: (_v, r) => (
        <Button size="small" onClick={() => setOpen(r.id)}>
          {e.open}
        </Button>
      ),
    },
  ];
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented<Status | 'all'>
          value={status}
          onChange={setStatus}
          options={[
            { value: 'pending', label: t.ent.status.pending },
            { value: 'rejected', label: t.ent.status.rejected },
            { value: 'verified', label: t.ent.status.verified },
            { value: 'draft', label: t.ent.status.draft },
            { value: 'all', label: e.all },
          ]}
        />
        <Input.Search
          aria-label={e.search}
          placeholder={e.search}
          allowClear
          value={q}
          onChange={(ev) => setQ(ev.target.value)}
          onSearch={(v) => setSearch(v.trim())}
          style={{ width: 260 }}
        />
      </Space>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <Table<Row>
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={list.data ?? []}
        columns={columns}
        locale={{ emptyText: e.noApps }}
        scroll={{ x: 960 }}
      />
      <Detail id={open} onClose={() => setOpen(null)} canAssign={canAssign} />
    </>
  );
}

export default function StaffEnterprisesPage() {
  const me = useMe();
  const canAssign = !!me.data?.roles.some((r) => r === 'supervisor' || r === 'admin');
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        <BankOutlined /> {e.title}
      </Typography.Title>
      <p className="ps-muted">{e.desc}</p>
      <Tabs
        items={[
          { key: 'apps', label: e.tabApps, children: <Applications canAssign={canAssign} /> },
          { key: 'joins', label: e.tabJoins, children: <JoinQueue /> },
        ]}
      />
    </Card>
  );
}
