'use client';

import { ArrowLeftOutlined, EditOutlined, NodeIndexOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Form, Input, Radio, Row, Select, Space, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { FormModal } from '@/components/FormModal';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import type { GridTreeNode } from '@/lib/org-admin';
import { useTRPC } from '@/lib/trpc';

const o = t.orgAdmin;
type Kind = 'region' | 'substation' | 'feeder' | 'transformer_area';
const KIND_COLOR: Record<Kind, string> = { region: 'blue', substation: 'purple', feeder: 'cyan', transformer_area: 'green' };
const AREA_TYPES = ['urban', 'rural', 'remote'] as const;
/** The kind of node added under each kind (a transformer area has none). */
const CHILD_KIND: Partial<Record<Kind, Kind>> = { region: 'substation', substation: 'feeder', feeder: 'transformer_area' };

/** A node as the page knows it: where it sits (names of its ancestors) and which region's tree holds it. */
type Located = { node: GridTreeNode; path: GridTreeNode[]; regionId: string; loaded: boolean };

function index(tree: GridTreeNode, out: Map<string, Located>, path: GridTreeNode[] = []) {
  out.set(tree.id, { node: tree, path, regionId: path[0]?.id ?? tree.id, loaded: true });
  for (const c of tree.children) index(c, out, [...path, tree]);
}

function title(n: { name: string; kind: Kind; accounts: number | null }) {
  return (
    <Space size={6}>
      <span>{n.name}</span>
      <Tag color={KIND_COLOR[n.kind]} style={{ marginInlineEnd: 0 }}>
        {o.kind[n.kind]}
      </Tag>
      {n.accounts !== null && <span className="ps-muted">{o.accountsCount(n.accounts)}</span>}
    </Space>
  );
}

function toData(n: GridTreeNode): DataNode {
  return {
    key: n.id,
    title: title({ name: n.name, kind: n.kind, accounts: n.accounts }),
    isLeaf: n.kind === 'transformer_area',
    children: n.kind === 'transformer_area' ? undefined : n.children.map(toData),
  };
}

export default function GridPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const regions = useQuery({ ...trpc.admin.regions.queryOptions(), staleTime: 0 });
  const [loadedRegions, setLoadedRegions] = useState<string[]>([]);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [adding, setAdding] = useState<{ kind: Kind; parent: GridTreeNode | null } | null>(null);
  const [renaming, setRenaming] = useState<GridTreeNode | null>(null);
  const [moving, setMoving] = useState<Located | null>(null);
  const trees = useQueries({ queries: loadedRegions.map((regionId) => ({ ...trpc.admin.gridTree.queryOptions({ regionId }), staleTime: 0 })) });
  const add = useMutation(trpc.admin.addGridNode.mutationOptions());
  const rename = useMutation(trpc.admin.renameGridNode.mutationOptions());
  const move = useMutation(trpc.admin.moveArea.mutationOptions());

  const treeByRegion = new Map<string, GridTreeNode>();
  trees.forEach((q, i) => {
    if (q.data) treeByRegion.set(loadedRegions[i], q.data);
  });
  const treeKey = trees.map((q) => q.dataUpdatedAt).join(',');

  const located = useMemo(() => {
    const m = new Map<string, Located>();
    for (const tree of treeByRegion.values()) index(tree, m);
    return m;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [treeKey]);

  const treeData: DataNode[] = (regions.data ?? []).map((r) => {
    const tree = treeByRegion.get(r.id);
    return tree ? toData(tree) : { key: r.id, title: title({ name: r.name, kind: 'region', accounts: null }), isLeaf: false };
  });

  const loadRegion = async (regionId: string) => {
    if (!loadedRegions.includes(regionId)) setLoadedRegions((l) => (l.includes(regionId) ? l : [...l, regionId]));
    await queryClient.fetchQuery(trpc.admin.gridTree.queryOptions({ regionId }));
  };
  const refreshRegion = async (regionId: string | null) => {
    await queryClient.invalidateQueries({ queryKey: trpc.admin.regions.pathKey() });
    if (regionId) await queryClient.invalidateQueries({ queryKey: trpc.admin.gridTree.queryKey({ regionId }) });
  };

  const current: Located | null = selected
    ? (located.get(selected) ??
      (() => {
        const r = regions.data?.find((x) => x.id === selected);
        return r
          ? {
              node: { id: r.id, kind: 'region', name: r.name, parentId: null, areaType: r.areaType, accounts: 0, children: [] },
              path: [],
              regionId: r.id,
              loaded: false,
            }
          : null;
      })())
    : null;

  const submitAdd = async (v: { name: string; areaType?: (typeof AREA_TYPES)[number] }) => {
    if (!adding) return false;
    try {
      const node = await add.mutateAsync({
        kind: adding.kind,
        parentId: adding.parent?.id ?? null,
        name: v.name.trim(),
        areaType: adding.kind === 'region' ? (v.areaType ?? 'urban') : null,
      });
      message.success(o.added(o.kind[adding.kind]));
      const regionId = adding.parent ? (located.get(adding.parent.id)?.regionId ?? null) : node.id;
      await refreshRegion(adding.parent ? regionId : null);
      if (adding.parent)
        setExpanded((e) => [...new Set([...e, ...(located.get(adding.parent!.id)?.path.map((p) => p.id) ?? []), adding.parent!.id])]);
      setSelected(node.id);
      return true;
    } catch (err) {
      message.error(errorMessage(err));
      return false;
    }
  };

  const submitRename = async (v: { name: string }) => {
    if (!renaming) return false;
    try {
      await rename.mutateAsync({ nodeId: renaming.id, name: v.name.trim() });
      message.success(o.renamed);
      await refreshRegion(located.get(renaming.id)?.regionId ?? renaming.id);
      return true;
    } catch (err) {
      message.error(errorMessage(err));
      return false;
    }
  };

  /** Feeders of the moving area's region, grouped by substation, without the one it is under now. */
  const feederOptions = (l: Located) => {
    const tree = treeByRegion.get(l.regionId);
    if (!tree) return [];
    return tree.children.map((s) => ({
      label: s.name,
      title: s.name,
      options: s.children.filter((f) => f.id !== l.node.parentId).map((f) => ({ value: f.id, label: f.name })),
    }));
  };

  const submitMove = async (v: { toFeederId: string }) => {
    if (!moving) return false;
    const from = moving.path[moving.path.length - 1];
    const to = located.get(v.toFeederId)?.node;
    if (!from || !to) return false;
    const ok = await new Promise<boolean>((resolve) =>
      modal.confirm({
        title: o.moveConfirmTitle,
        content: o.moveConfirm(moving.node.name, from.name, to.name, moving.node.accounts),
        okText: o.moveOk,
        cancelText: t.app.cancel,
        onOk: () => resolve(true),
        onCancel: () => resolve(false),
      }),
    );
    if (!ok) return false;
    try {
      await move.mutateAsync({ areaId: moving.node.id, fromFeederId: from.id, toFeederId: to.id });
      message.success(o.moved(moving.node.name, to.name));
      await refreshRegion(moving.regionId);
      const toPath = located.get(to.id)?.path.map((p) => p.id) ?? [];
      setExpanded((e) => [...new Set([...e, ...toPath, to.id])]);
      setSelected(moving.node.id);
      return true;
    } catch (err) {
      message.error(errorMessage(err));
      await refreshRegion(moving.regionId);
      return false;
    }
  };

  const childKind = current ? CHILD_KIND[current.node.kind] : undefined;

  return (
    <>
      <Link href="/staff/admin" className="ps-muted">
        <ArrowLeftOutlined /> {o.back}
      </Link>
      <Typography.Title level={4} style={{ marginTop: 8 }}>
        {o.gridTitle}
      </Typography.Title>
      <p className="ps-muted">{o.gridDesc}</p>
      {regions.isError && <Alert type="error" showIcon title={errorMessage(regions.error)} style={{ marginBottom: 16 }} />}
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card
            title={o.gridTitle}
            extra={
              <Button icon={<PlusOutlined />} onClick={() => setAdding({ kind: 'region', parent: null })}>
                {o.addRegionTitle}
              </Button>
            }
            loading={regions.isPending}
          >
            <Tree
              showLine
              blockNode
              expandAction="click"
              treeData={treeData}
              expandedKeys={expanded}
              selectedKeys={selected ? [selected] : []}
              onExpand={(keys) => setExpanded(keys.map(String))}
              onSelect={(_, info) => setSelected(String(info.node.key))}
              loadData={async (node) => {
                if (!treeByRegion.has(String(node.key))) await loadRegion(String(node.key));
              }}
              loadedKeys={[...treeByRegion.keys()]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={current ? current.node.name : o.selectHint} style={{ position: 'sticky', top: 16 }}>
            {!current ? (
              <Empty description={o.selectHint} />
            ) : (
              <>
                <Descriptions column={1} size="small" bordered styles={{ label: { width: 96, whiteSpace: 'nowrap' } }}>
                  <Descriptions.Item label={o.nodeKind}>{o.kind[current.node.kind]}</Descriptions.Item>
                  <Descriptions.Item label={o.nodeName}>{current.node.name}</Descriptions.Item>
                  {current.path.length > 0 && <Descriptions.Item label={o.nodePath}>{current.path.map((p) => p.name).join(' / ')}</Descriptions.Item>}
                  {current.node.kind === 'region' && (
                    <Descriptions.Item label={o.areaTypeLabel}>{o.areaType[current.node.areaType]}</Descriptions.Item>
                  )}
                  {current.loaded && <Descriptions.Item label={o.nodeAccounts}>{o.accountsCount(current.node.accounts)}</Descriptions.Item>}
                  {current.loaded && current.node.kind !== 'transformer_area' && (
                    <Descriptions.Item label={o.nodeChildren}>{current.node.children.length}</Descriptions.Item>
                  )}
                </Descriptions>
                <Space wrap style={{ marginTop: 16 }}>
                  {childKind && (
                    <Button
                      icon={<PlusOutlined />}
                      onClick={async () => {
                        if (!current.loaded) await loadRegion(current.regionId);
                        setAdding({ kind: childKind, parent: current.node });
                      }}
                    >
                      {o.addChild(o.kind[childKind])}
                    </Button>
                  )}
                  <Button icon={<EditOutlined />} onClick={() => setRenaming(current.node)}>
                    {o.rename}
                  </Button>
                  {current.node.kind === 'transformer_area' && (
                    <Button type="primary" icon={<NodeIndexOutlined />} onClick={() => setMoving(current)}>
                      {o.move}
                    </Button>
                  )}
                </Space>
              </>
            )}
          </Card>
        </Col>
      </Row>

      <FormModal<{ name: string; areaType?: (typeof AREA_TYPES)[number] }>
        open={!!adding}
        title={adding ? (adding.parent ? o.addTitle(o.kind[adding.kind], adding.parent.name) : o.addRegionTitle) : ''}
        okTestId="grid-add-save"
        loading={add.isPending}
        initialValues={{ areaType: 'urban' }}
        onSubmit={submitAdd}
        onClose={() => setAdding(null)}
      >
        <Form.Item name="name" label={o.nodeName} rules={[{ required: true, whitespace: true, min: 2, max: 40, message: o.nameInvalid }]}>
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
        {adding?.kind === 'region' && (
          <Form.Item name="areaType" label={o.areaTypeLabel}>
            <Radio.Group options={AREA_TYPES.map((a) => ({ value: a, label: o.areaType[a] }))} />
          </Form.Item>
        )}
      </FormModal>

      <FormModal<{ name: string }>
        open={!!renaming}
        title={renaming ? o.renameTitle(renaming.name) : ''}
        okTestId="grid-rename-save"
        loading={rename.isPending}
        initialValues={renaming ? { name: renaming.name } : undefined}
        onSubmit={submitRename}
        onClose={() => setRenaming(null)}
      >
        <Form.Item name="name" label={o.nodeName} rules={[{ required: true, whitespace: true, min: 2, max: 40, message: o.nameInvalid }]}>
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
      </FormModal>

      <FormModal<{ toFeederId: string }>
        open={!!moving}
        title={moving ? o.moveTitle(moving.node.name) : ''}
        okText={o.moveOk}
        okTestId="grid-move-save"
        loading={move.isPending}
        onSubmit={submitMove}
        onClose={() => setMoving(null)}
      >
        {moving && (
          <>
            <Form.Item label={o.moveFrom}>{moving.path[moving.path.length - 1]?.name}</Form.Item>
            <Form.Item name="toFeederId" label={o.moveTo} rules={[{ required: true, message: o.moveToRequired }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={o.moveToPlaceholder}
                options={feederOptions(moving)}
                aria-label={o.moveTo}
              />
            </Form.Item>
          </>
        )}
      </FormModal>
    </>
  );
}
