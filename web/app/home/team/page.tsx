'use client';

import { TeamOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { CustomerGate } from '@/components/CustomerGate';
import { FormModal } from '@/components/FormModal';
import { HeaderUser } from '@/components/HeaderUser';
import { PortalShell } from '@/components/PortalShell';
import { errorMessage } from '@/lib/errors';
import { useActionRunner } from '@/lib/hooks';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { roleLabel } from '@/lib/roles';
import { useTRPC } from '@/lib/trpc';

const m = t.ent.team;
type MemberRole = 'enterprise_admin' | 'enterprise_finance' | 'enterprise_electrician';
type Member = {
  id: string;
  displayName: string;
  phoneMasked: string | null;
  role: MemberRole;
  siteAccountIds: string[];
  siteNumbers: string[];
  disabled: boolean;
  lastLoginAt: string | null;
  isMe: boolean;
};
type Invite = {
  id: string;
  displayName: string;
  phoneMasked: string | null;
  role: MemberRole;
  siteNumbers: string[];
  expiresAt: string;
  expired: boolean;
};
type FormValues = { displayName?: string; phone?: string; role: MemberRole; scope: 'all' | 'some'; siteAccountIds?: string[] };

function ScopeFields() {
  const trpc = useTRPC();
  const sites = useQuery(trpc.enterprise.sites.queryOptions());
  return (
    <>
      <Form.Item name="scope" label={m.scope}>
        <Radio.Group
          options={[
            { value: 'all', label: m.scopeAll },
            { value: 'some', label: m.scopeSome },
          ]}
        />
      </Form.Item>
      <Form.Item noStyle dependencies={['scope']}>
        {({ getFieldValue }) =>
          getFieldValue('scope') === 'some' ? (
            <Form.Item name="siteAccountIds" label={m.scopePick} rules={[{ required: true, type: 'array', min: 1, message: m.scopePickRequired }]}>
              <Select
                mode="multiple"
                loading={sites.isPending}
                optionFilterProp="label"
                placeholder={m.scopePick}
                options={(sites.data ?? []).map((s) => ({ value: s.id, label: `${s.number} ${s.name}` }))}
              />
            </Form.Item>
          ) : null
        }
      </Form.Item>
    </>
  );
}

function Team({ meId }: { meId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const team = useQuery(trpc.enterprise.team.queryOptions());
  const invite = useMutation(trpc.enterprise.invite.mutationOptions());
  const update = useMutation(trpc.enterprise.updateMember.mutationOptions());
  const setDisabled = useMutation(trpc.enterprise.setMemberDisabled.mutationOptions());
  const remove = useMutation(trpc.enterprise.removeMember.mutationOptions());
  const cancel = useMutation(trpc.enterprise.cancelInvite.mutationOptions());
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<Member | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.enterprise.team.queryKey() });
  const run = useActionRunner(refresh);

  const sitesOf = (v: FormValues) => (v.scope === 'some' ? (v.siteAccountIds ?? []) : []);

  const columns: ColumnsType<Member> = [
    { title: m.name, dataIndex: 'displayName', render: (v: string, r) => (r.isMe || r.id === meId ? `${v}${m.me}` : v) },
    { title: m.phone, dataIndex: 'phoneMasked' },
    { title: m.role, dataIndex: 'role', render: (v: string) => <Tag color="blue">{roleLabel(v)}</Tag> },
    {
      title: m.scope,
      dataIndex: 'siteNumbers',
      render: (v: string[]) => (v.length ? <span title={v.join('、')}>{v.length <= 2 ? v.join('、') : m.sitesCount(v.length)}</span> : m.scopeAll),
    },
    { title: m.status, dataIndex: 'disabled', render: (v: boolean) => (v ? <Tag>{m.disabled}</Tag> : <Tag color="green">{m.active}</Tag>) },
    { title: m.lastLogin, dataIndex: 'lastLoginAt', render: (v: string | null) => (v ? formatDateTime(v) : m.never) },
    {
      title: m.actions,
      key: 'actions',
      render: (_v, r) => (
        <Space size={4} wrap>
          <Button size="small" onClick={() => setEditing(r)}>
            {m.edit}
          </Button>
          {r.disabled ? (
            <Button size="small" onClick={() => run(setDisabled.mutateAsync({ userId: r.id, disabled: false }), m.done)}>
              {m.enable}
            </Button>
          ) : (
            <Popconfirm
              title={m.disableConfirm(r.displayName)}
              onConfirm={() => run(setDisabled.mutateAsync({ userId: r.id, disabled: true }), m.done)}
            >
              <Button size="small">{m.disable}</Button>
            </Popconfirm>
          )}
          <Popconfirm title={m.removeConfirm(r.displayName)} onConfirm={() => run(remove.mutateAsync({ userId: r.id }), m.removed)}>
            <Button size="small" danger>
              {m.remove}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 16, flexWrap: 'wrap' }}>
          <div style={{ flex: 1, minWidth: 240 }}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              <TeamOutlined /> {m.title}
            </Typography.Title>
            <div className="ps-muted" style={{ marginTop: 6 }}>
              {m.desc}
            </div>
          </div>
          <Button type="primary" icon={<UserAddOutlined />} onClick={() => setInviting(true)}>
            {m.invite}
          </Button>
        </div>
      </Card>
      {team.isError && <Alert type="error" showIcon title={errorMessage(team.error)} style={{ marginBottom: 16 }} />}
      <Card title={m.members} style={{ marginBottom: 16 }}>
        <Table<Member>
          rowKey="id"
          size="middle"
          loading={team.isPending}
          dataSource={team.data?.members ?? []}
          columns={columns}
          pagination={false}
          scroll={{ x: 760 }}
        />
      </Card>
      <Card title={m.invites}>
        <Table<Invite>
          rowKey="id"
          size="middle"
          loading={team.isPending}
          dataSource={team.data?.invites ?? []}
          locale={{ emptyText: m.noInvites }}
          pagination={false}
          scroll={{ x: 640 }}
          columns={[
            { title: m.name, dataIndex: 'displayName' },
            { title: m.phone, dataIndex: 'phoneMasked' },
            { title: m.role, dataIndex: 'role', render: (v: string) => roleLabel(v) },
            { title: m.scope, dataIndex: 'siteNumbers', render: (v: string[]) => (v.length ? v.join('、') : m.scopeAll) },
            {
              title: m.expiresAt,
              dataIndex: 'expiresAt',
              render: (v: string, r) => (r.expired ? <Tag color="orange">{m.expired}</Tag> : formatDateTime(v)),
            },
            {
              title: m.actions,
              key: 'a',
              render: (_v, r) => (
                <Button size="small" onClick={() => run(cancel.mutateAsync({ id: r.id }), m.cancelled)}>
                  {m.cancel}
                </Button>
              ),
            },
          ]}
        />
      </Card>

      <FormModal<FormValues>
        open={inviting}
        title={m.inviteTitle}
        okText={m.inviteOk}
        okTestId="invite-ok"
        loading={invite.isPending}
        initialValues={{ role: 'enterprise_finance', scope: 'all' }}
        onClose={() => setInviting(false)}
        onSubmit={async (v) => {
          try {
            const r = await invite.mutateAsync({
              phone: v.phone!.trim(),
              displayName: v.displayName!.trim(),
              role: v.role,
              siteAccountIds: sitesOf(v),
            });
            message.success(m.invited(r.phoneMasked));
            return true;
          } catch (err) {
            message.error(errorMessage(err));
            return false;
          } finally {
            await refresh();
          }
        }}
      >
        <Form.Item name="displayName" label={m.name} rules={[{ required: true, whitespace: true, message: t.ent.apply.required(m.name) }]}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item
          name="phone"
          label={m.phone}
          rules={[
            { required: true, message: t.login.phoneRequired },
            { pattern: /^1[3-9]\d{9}$/, message: t.login.phoneInvalid },
          ]}
        >
          <Input maxLength={11} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="role" label={m.role}>
          <Radio.Group options={t.ent.memberRoles} />
        </Form.Item>
        <ScopeFields />
      </FormModal>

      <FormModal<FormValues>
        open={!!editing}
        title={editing ? m.editTitle(editing.displayName) : ''}
        okText={m.save}
        okTestId="member-save"
        loading={update.isPending}
        initialValues={
          editing ? { role: editing.role, scope: editing.siteAccountIds.length ? 'some' : 'all', siteAccountIds: editing.siteAccountIds } : undefined
        }
        onClose={() => setEditing(null)}
        onSubmit={async (v) => {
          try {
            const r = await update.mutateAsync({ userId: editing!.id, role: v.role, siteAccountIds: sitesOf(v) });
            message.success(r.sessionsEnded ? m.savedRelogin : m.saved);
            return true;
          } catch (err) {
            message.error(errorMessage(err));
            return false;
          } finally {
            await refresh();
          }
        }}
      >
        <Form.Item name="role" label={m.role}>
          <Radio.Group options={t.ent.memberRoles} />
        </Form.Item>
        <ScopeFields />
      </FormModal>
    </>
  );
}

export default function TeamPage() {
  return (
    <CustomerGate>
      {(me) => (
        <PortalShell right={<HeaderUser me={me} />}>
          <Team meId={me.id} />
        </PortalShell>
      )}
    </CustomerGate>
  );
}
