'use client';

import { ArrowLeftOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, InputNumber, Progress, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import Link from 'next/link';
import { useState, type HTMLAttributes } from 'react';
import { FormModal } from '@/components/FormModal';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { WORK_PHONE_PATTERN, type CrewRow, type RegionRow } from '@/lib/org-admin';
import { useTRPC } from '@/lib/trpc';

const o = t.orgAdmin;
const AREA_TYPES = ['urban', 'rural', 'remote'] as const;

type CrewForm = { name: string; regionId: string; capacity: number; workPhone?: string };

function CrewModal({
  open,
  crew,
  regions,
  defaultRegionId,
  onClose,
}: {
  open: boolean;
  crew: CrewRow | null;
  regions: RegionRow[];
  defaultRegionId: string | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const create = useMutation(trpc.admin.createCrew.mutationOptions());
  const update = useMutation(trpc.admin.updateCrew.mutationOptions());

  const submit = async (v: CrewForm) => {
    const input = { name: v.name.trim(), regionId: v.regionId, capacity: Number(v.capacity), workPhone: v.workPhone?.trim() || null };
    try {
      if (crew) await update.mutateAsync({ crewId: crew.id, ...input });
      else await create.mutateAsync(input);
      message.success(crew ? o.saved : o.crewCreated);
      return true;
    } catch (err) {
      message.error(errorMessage(err));
      return false;
    } finally {
      await queryClient.invalidateQueries({ queryKey: trpc.admin.crews.pathKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.admin.regions.pathKey() });
    }
  };

  return (
    <FormModal<CrewForm>
      open={open}
      title={crew ? o.editCrew(crew.name) : o.newCrew}
      okTestId="crew-save"
      loading={create.isPending || update.isPending}
      initialValues={
        crew
          ? { name: crew.name, regionId: crew.regionId, capacity: crew.capacity, workPhone: crew.workPhone ?? '' }
          : { regionId: defaultRegionId ?? undefined, capacity: 5 }
      }
      onSubmit={submit}
      onClose={onClose}
    >
      <Form.Item name="name" label={o.crewName} rules={[{ required: true, whitespace: true, min: 2, max: 30, message: o.crewNameInvalid }]}>
        <Input maxLength={30} autoComplete="off" />
      </Form.Item>
      <Form.Item name="regionId" label={o.region} rules={[{ required: true, message: o.regionPlaceholder }]}>
        <Select placeholder={o.regionPlaceholder} options={regions.map((r) => ({ value: r.id, label: r.name }))} />
      </Form.Item>
      <Form.Item
        name="capacity"
        label={o.capacityLabel}
        rules={[
          {
            validator: async (_, v: unknown) => {
              const n = Number(v);
              if (v === null || v === undefined || v === '' || !Number.isInteger(n) || n < 1 || n > 50) throw new Error(o.capacityInvalid);
            },
          },
        ]}
      >
        {/* No min/max here: a value out of range is said in words, not silently clamped. */}
        <InputNumber style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="workPhone" label={o.workPhoneOptional} rules={[{ pattern: WORK_PHONE_PATTERN, message: o.workPhoneInvalid }]}>
        <Input maxLength={16} autoComplete="off" />
      </Form.Item>
    </FormModal>
  );
}

function RegionModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const add = useMutation(trpc.admin.addGridNode.mutationOptions());
  const submit = async (v: { name: string; areaType: (typeof AREA_TYPES)[number] }) => {
    try {
      await add.mutateAsync({ kind: 'region', name: v.name.trim(), areaType: v.areaType });
      message.success(o.regionCreated);
      return true;
    } catch (err) {
      message.error(errorMessage(err));
      return false;
    } finally {
      await queryClient.invalidateQueries({ queryKey: trpc.admin.regions.pathKey() });
    }
  };
  return (
    <FormModal<{ name: string; areaType: (typeof AREA_TYPES)[number] }>
      open={open}
      title={o.newRegion}
      okTestId="region-save"
      loading={add.isPending}
      initialValues={{ areaType: 'urban' }}
      onSubmit={submit}
      onClose={onClose}
    >
      <Form.Item
        name="name"
        label={o.regionName}
        extra={o.regionNameHint}
        rules={[{ required: true, whitespace: true, min: 2, max: 40, message: o.nameInvalid }]}
      >
        <Input maxLength={40} autoComplete="off" />
      </Form.Item>
      <Form.Item name="areaType" label={o.areaTypeLabel}>
        <Radio.Group options={AREA_TYPES.map((a) => ({ value: a, label: o.areaType[a] }))} />
      </Form.Item>
    </FormModal>
  );
}

export default function CrewsPage() {
  const trpc = useTRPC();
  const [regionId, setRegionId] = useState<string | null>(null);
  const [editing, setEditing] = useState<CrewRow | null>(null);
  const [creating, setCreating] = useState(false);
  const [addingRegion, setAddingRegion] = useState(false);
  const regions = useQuery({ ...trpc.admin.regions.queryOptions(), staleTime: 0 });
  const crews = useQuery({ ...trpc.admin.crews.queryOptions({ regionId }), staleTime: 0 });
  const regionList = regions.data ?? [];

  const regionColumns: ColumnsType<RegionRow> = [
    { title: o.regionName, dataIndex: 'name' },
    { title: o.areaTypeLabel, key: 'areaType', width: 100, render: (_, r) => o.areaType[r.areaType] ?? '—' },
    { title: o.substations, dataIndex: 'substations', width: 90, align: 'right' },
    { title: o.areas, dataIndex: 'transformerAreas', width: 90, align: 'right' },
    { title: o.crews, dataIndex: 'crews', width: 90, align: 'right' },
    { title: o.staffCount, dataIndex: 'staff', width: 90, align: 'right' },
  ];

  const crewColumns: ColumnsType<CrewRow> = [
    { title: o.crewName, dataIndex: 'name', width: 160 },
    { title: o.region, dataIndex: 'regionName', width: 140 },
    { title: o.capacity, dataIndex: 'capacity', width: 80, align: 'right' },
    {
      title: o.load,
      key: 'load',
      width: 180,
      render: (_, c) => (
        <Space size={8}>
          <Progress
            percent={Math.min(100, Math.round((c.load / c.capacity) * 100))}
            size="small"
            showInfo={false}
            status={c.load >= c.capacity ? 'exception' : 'normal'}
            style={{ width: 80 }}
          />
          <span>{o.loadText(c.load, c.capacity)}</span>
        </Space>
      ),
    },
    { title: o.workPhone, key: 'workPhone', width: 140, render: (_, c) => c.workPhone ?? '—' },
    {
      title: o.members,
      key: 'members',
      render: (_, c) =>
        c.members.length ? (
          <Space size={4} wrap>
            {c.members.map((m) => (
              <Tag key={m.id}>{m.displayName}</Tag>
            ))}
          </Space>
        ) : (
          <span className="ps-muted">{o.noMembers}</span>
        ),
    },
    {
      title: o.actions,
      key: 'x',
      width: 80,
      fixed: 'right',
      render: (_, c) => (
        <Button size="small" onClick={() => setEditing(c)}>
          {o.edit}
        </Button>
      ),
    },
  ];

  return (
    <>
      <Link href="/staff/admin" className="ps-muted">
        <ArrowLeftOutlined /> {o.back}
      </Link>
      <Typography.Title level={4} style={{ marginTop: 8 }}>
        {o.crewsTitle}
      </Typography.Title>
      <p className="ps-muted">{o.crewsDesc}</p>
      {(regions.isError || crews.isError) && (
        <Alert type="error" showIcon title={errorMessage(regions.error ?? crews.error)} style={{ marginBottom: 16 }} />
      )}
      <Card
        title={o.regionsCard}
        extra={
          <Button icon={<PlusOutlined />} onClick={() => setAddingRegion(true)}>
            {o.newRegion}
          </Button>
        }
        style={{ marginBottom: 16 }}
        styles={{ body: { padding: 0 } }}
      >
        <Table<RegionRow> rowKey="id" size="small" columns={regionColumns} dataSource={regionList} loading={regions.isPending} pagination={false} />
      </Card>
      <Card
        title={o.crewsCard}
        extra={
          <Space>
            <Select
              allowClear
              placeholder={o.allRegions}
              value={regionId}
              onChange={(v) => setRegionId(v ?? null)}
              style={{ width: 180 }}
              options={regionList.map((r) => ({ value: r.id, label: r.name }))}
            />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {o.newCrew}
            </Button>
          </Space>
        }
        styles={{ body: { padding: 0 } }}
      >
        <Table<CrewRow>
          rowKey="id"
          size="small"
          columns={crewColumns}
          dataSource={crews.data ?? []}
          loading={crews.isPending}
          pagination={{ pageSize: 20, hideOnSinglePage: true, size: 'small' }}
          scroll={{ x: 1000 }}
          locale={{ emptyText: <Empty description={o.emptyCrews} /> }}
          onRow={(c) => ({ 'data-testid': `crew-${c.name}` }) as HTMLAttributes<HTMLElement>}
        />
      </Card>
      <CrewModal
        open={creating || !!editing}
        crew={editing}
        regions={regionList}
        defaultRegionId={regionId}
        onClose={() => {
          setCreating(false);
          setEditing(null);
        }}
      />
      <RegionModal open={addingRegion} onClose={() => setAddingRegion(false)} />
    </>
  );
}
