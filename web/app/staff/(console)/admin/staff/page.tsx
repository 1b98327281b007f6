'use client';

import { ArrowLeftOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Empty, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import Link from 'next/link';
import { useState, type HTMLAttributes } from 'react';
import { FormModal } from '@/components/FormModal';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { GRANTABLE_ROLES, PHONE_PATTERN, ROLE_COLOR, USERNAME_PATTERN, type StaffUserRow } from '@/lib/org-admin';
import { roleLabel } from '@/lib/roles';
import { useTRPC } from '@/lib/trpc';

const o = t.orgAdmin;

type UserForm = { username?: string; displayName: string; phone?: string; roles: string[]; regionId?: string | null; crewId?: string | null };

/** Create (user null) or edit one staff user: roles, region and (for crew members) the crew. */
function UserModal({
  open,
  user,
  onClose,
  onCreated,
}: {
  open: boolean;
  user: StaffUserRow | null;
  onClose: () => void;
  onCreated: (r: { name: string; username: string; password: string }) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const regions = useQuery({ ...trpc.admin.regions.queryOptions(), enabled: open });
  const crews = useQuery({ ...trpc.admin.crews.queryOptions(), enabled: open });
  const create = useMutation(trpc.admin.createUser.mutationOptions());
  const update = useMutation(trpc.admin.updateUser.mutationOptions());

  const submit = async (v: UserForm) => {
    const fields = {
      displayName: v.displayName.trim(),
      phone: v.phone?.trim() || null,
      roles: v.roles,
      regionId: v.regionId ?? null,
      crewId: v.roles.includes('crew') ? (v.crewId ?? null) : null,
    };
    try {
      if (user) {
        const before = JSON.stringify([user.roles, user.crew?.id ?? null, user.region?.id ?? null]);
        const after = await update.mutateAsync({ userId: user.id, ...fields });
        const changed = before !== JSON.stringify([after.roles, after.crew?.id ?? null, after.region?.id ?? null]);
        message.success(changed ? o.savedRelogin : o.saved);
      } else {
        const r = await create.mutateAsync({ username: v.username!.trim(), ...fields });
        message.success(o.created);
        onCreated({ name: r.user.displayName, username: r.user.username, password: r.initialPassword });
      }
      return true;
    } catch (err) {
      message.error(errorMessage(err));
      return false;
    } finally {
      await queryClient.invalidateQueries({ queryKey: trpc.admin.users.pathKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.admin.crews.pathKey() });
    }
  };

  const initial: Partial<UserForm> = user
    ? { displayName: user.displayName, roles: user.roles, regionId: user.region?.id ?? null, crewId: user.crew?.id ?? null }
    : { roles: [], regionId: null };
  const crewOptions = (regionId: string | null) =>
    (crews.data ?? [])
      .filter((c) => !regionId || c.regionId === regionId)
      .map((c) => ({ value: c.id, label: regionId ? c.name : `${c.name}（${c.regionName}）` }));

  return (
    <FormModal<UserForm>
      open={open}
      title={user ? o.editUser(user.displayName) : o.newUser}
      okTestId="user-save"
      loading={create.isPending || update.isPending}
      initialValues={initial}
      onSubmit={submit}
      onClose={onClose}
    >
      {!user && (
        <Form.Item
          name="username"
          label={o.username}
          extra={o.usernameHint}
          rules={[{ required: true, pattern: USERNAME_PATTERN, message: o.usernameInvalid }]}
        >
          <Input maxLength={32} autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item
        name="displayName"
        label={o.displayName}
        rules={[{ required: true, whitespace: true, min: 2, max: 20, message: o.displayNameInvalid }]}
      >
        <Input maxLength={20} autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="phone"
        label={o.phoneOptional}
        extra={user?.phoneMasked ? `${o.phone}：${user.phoneMasked}` : undefined}
        rules={[{ pattern: PHONE_PATTERN, message: o.phoneInvalid }]}
      >
        <Input maxLength={11} inputMode="numeric" autoComplete="off" />
      </Form.Item>
      <Form.Item name="roles" label={o.roles} extra={o.rolesHint} rules={[{ required: true, type: 'array', min: 1, message: o.rolesRequired }]}>
        <Checkbox.Group options={GRANTABLE_ROLES.map((r) => ({ value: r, label: roleLabel(r) }))} />
      </Form.Item>
      <Form.Item name="regionId" label={o.region}>
        <Select
          allowClear
          placeholder={o.regionPlaceholder}
          loading={regions.isPending}
          options={(regions.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
        />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a: UserForm, b: UserForm) => a.roles !== b.roles || a.regionId !== b.regionId}>
        {({ getFieldValue }) =>
          (getFieldValue('roles') as string[] | undefined)?.includes('crew') ? (
            <Form.Item name="crewId" label={o.crew} rules={[{ required: true, message: o.crewRequired }]}>
              <Select placeholder={o.crewPlaceholder} loading={crews.isPending} options={crewOptions(getFieldValue('regionId') ?? null)} />
            </Form.Item>
          ) : null
        }
      </Form.Item>
    </FormModal>
  );
}

/** The one-time password, shown once after a create or a reset. */
function PasswordDialog({ shown, onClose }: { shown: { name: string; username: string; password: string } | null; onClose: () => void }) {
  return (
    <Modal
      open={!!shown}
      title={o.passwordTitle}
      onCancel={onClose}
      closable={false}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose}>
          {o.done}
        </Button>
      }
    >
      {shown && (
        <>
          <p>{o.passwordFor(shown.name, shown.username)}</p>
          <Typography.Text
            copyable={{ text: shown.password, tooltips: [o.copy, o.copied] }}
            code
            style={{ fontSize: 20 }}
            data-testid="initial-password"
          >
            {shown.password}
          </Typography.Text>
          <p className="ps-muted" style={{ marginTop: 12 }}>
            {o.passwordNote}
          </p>
        </>
      )}
    </Modal>
  );
}

export default function StaffUsersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<string | null>(null);
  const [includeDisabled, setIncludeDisabled] = useState(false);
  const [editing, setEditing] = useState<StaffUserRow | null>(null);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ name: string; username: string; password: string } | null>(null);
  const list = useQuery({ ...trpc.admin.users.queryOptions({ search: search || null, role, includeDisabled }), staleTime: 0 });
  const setDisabled = useMutation(trpc.admin.setUserDisabled.mutationOptions());
  const reset = useMutation(trpc.admin.resetPassword.mutationOptions());

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.pathKey() });
  const toggle = async (u: StaffUserRow) => {
    try {
      await setDisabled.mutateAsync({ userId: u.id, disabled: !u.disabled });
      message.success(u.disabled ? o.enabledDone : o.disabledDone);
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      await refresh();
    }
  };
  const resetPw = async (u: StaffUserRow) => {
    try {
      const r = await reset.mutateAsync({ userId: u.id });
      setShown({ name: u.displayName, username: u.username, password: r.initialPassword });
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      await refresh();
    }
  };

  const columns: ColumnsType<StaffUserRow> = [
    { title: o.username, dataIndex: 'username', width: 130 },
    { title: o.displayName, dataIndex: 'displayName', width: 110 },
    { title: o.phone, key: 'phone', width: 120, render: (_, u) => u.phoneMasked ?? '—' },
    {
      title: o.roles,
      key: 'roles',
      render: (_, u) => (
        <Space size={4} wrap>
          {u.roles.map((r) => (
            <Tag key={r} color={ROLE_COLOR[r]}>
              {roleLabel(r)}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: o.region, key: 'region', width: 130, render: (_, u) => u.region?.name || '—' },
    { title: o.crew, key: 'crew', width: 130, render: (_, u) => u.crew?.name || '—' },
    {
      title: o.status,
      key: 'status',
      width: 90,
      render: (_, u) =>
        u.disabled ? (
          <Tag>{o.statusDisabled}</Tag>
        ) : u.locked ? (
          <Tag color="orange">{o.statusLocked}</Tag>
        ) : (
          <Tag color="green">{o.statusActive}</Tag>
        ),
    },
    { title: o.lastLogin, key: 'lastLogin', width: 150, render: (_, u) => (u.lastLoginAt ? formatDateTime(u.lastLoginAt) : o.neverLoggedIn) },
    {
      title: o.actions,
      key: 'x',
      width: 210,
      fixed: 'right',
      render: (_, u) => (
        <Space size={4}>
          <Button size="small" onClick={() => setEditing(u)}>
            {o.edit}
          </Button>
          <Popconfirm title={o.resetConfirm(u.displayName)} okText={t.app.confirm} cancelText={t.app.cancel} onConfirm={() => resetPw(u)}>
            <Button size="small">{o.resetPassword}</Button>
          </Popconfirm>
          <Popconfirm
            title={u.disabled ? o.enableConfirm(u.displayName) : o.disableConfirm(u.displayName)}
            okText={t.app.confirm}
            cancelText={t.app.cancel}
            okButtonProps={{ danger: !u.disabled }}
            onConfirm={() => toggle(u)}
          >
            <Button size="small" danger={!u.disabled}>
              {u.disabled ? o.enable : o.disable}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <Link href="/staff/admin" className="ps-muted">
        <ArrowLeftOutlined /> {o.back}
      </Link>
      <Typography.Title level={4} style={{ marginTop: 8 }}>
        {o.staffTitle}
      </Typography.Title>
      <p className="ps-muted">{o.staffDesc}</p>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap size={12}>
          <Input.Search placeholder={o.search} allowClear onSearch={(v) => setSearch(v.trim())} style={{ width: 240 }} />
          <Select
            allowClear
            placeholder={o.roleFilter}
            value={role}
            onChange={(v) => setRole(v ?? null)}
            style={{ width: 150 }}
            options={GRANTABLE_ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
          />
          <Space size={6}>
            <Switch size="small" checked={includeDisabled} onChange={setIncludeDisabled} aria-label={o.showDisabled} />
            <span>{o.showDisabled}</span>
          </Space>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {o.newUser}
          </Button>
        </Space>
      </Card>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} style={{ marginBottom: 16 }} />}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<StaffUserRow>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data ?? []}
          loading={list.isPending}
          pagination={{ pageSize: 20, hideOnSinglePage: true, size: 'small' }}
          scroll={{ x: 1200 }}
          locale={{ emptyText: <Empty description={o.emptyUsers} /> }}
          onRow={(u) => ({ 'data-testid': `staff-user-${u.username}` }) as HTMLAttributes<HTMLElement>}
        />
      </Card>
      <UserModal
        open={creating || !!editing}
        user={editing}
        onClose={() => {
          setCreating(false);
          setEditing(null);
        }}
        onCreated={setShown}
      />
      <PasswordDialog shown={shown} onClose={() => setShown(null)} />
    </>
  );
}
