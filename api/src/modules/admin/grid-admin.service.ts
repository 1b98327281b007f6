import { DomainError } from '../../lib/errors';
import { Types } from 'mongoose';
import { AccountModel } from '../accounts/account.model';
import { recordAudit } from '../audit/audit.service';
import { CrewModel, UserModel } from '../auth/user.model';
import { GridNodeModel, type AREA_TYPES } from '../grid/grid.model';
import type { Actor } from './org.service';
import { checkAreaMove, checkNodeName, checkParent, childCode, type GridNodeKind } from './org.rules';

/**
 * Grid topology administration: regions → substations → feeders → transformer areas (issue 10).
 *
 * Accounts reference their transformer area and carry its feeder, region and name denormalised
 * (`feederId`, `regionId`, `transformerAreaName`). A move or a rename therefore writes the node first
 * (one guarded single-document update) and then the accounts under it (`updateMany` keyed by the area,
 * guarded by "not yet the new value"), with no transaction: a retry after a crash in between finds the
 * node already moved, and the same `updateMany` finishes the accounts. Every write is audited.
 *
 * Work orders and outages keep the feeder they were filed or published with (history stays as it was).
 */

const oid = (id: string) => new Types.ObjectId(id);
const notFound = (what: string) => new DomainError('NOT_FOUND', `${what}不存在`);
type AreaType = (typeof AREA_TYPES)[number];

async function audit(actor: Actor, action: string, targetId: string, detail: Record<string, unknown>) {
  await recordAudit({ actorId: actor.user.sub, actorRoles: actor.user.roles, action, targetType: 'grid_node', targetId, ip: actor.ip, detail });
}

export interface RegionView {
  id: string;
  name: string;
  areaType: AreaType;
  substations: number;
  transformerAreas: number;
  crews: number;
  staff: number;
}

export async function listRegions(): Promise<RegionView[]> {
  const regions = await GridNodeModel.find({ kind: 'region' }).sort({ code: 1 }).lean();
  const ids = regions.map((r) => r._id);
  const [subs, areas, crews, staff] = await Promise.all([
    GridNodeModel.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { kind: 'substation', regionId: { $in: ids } } },
      { $group: { _id: '$regionId', n: { $sum: 1 } } },
    ]),
    GridNodeModel.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { kind: 'transformer_area', regionId: { $in: ids } } },
      { $group: { _id: '$regionId', n: { $sum: 1 } } },
    ]),
    CrewModel.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { regionId: { $in: ids } } },
      { $group: { _id: '$regionId', n: { $sum: 1 } } },
    ]),
    UserModel.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { kind: 'staff', disabled: { $ne: true }, regionId: { $in: ids } } },
      { $group: { _id: '$regionId', n: { $sum: 1 } } },
    ]),
  ]);
  const m = (rows: { _id: Types.ObjectId; n: number }[]) => new Map(rows.map((r) => [String(r._id), r.n]));
  const [s, a, c, u] = [m(subs), m(areas), m(crews), m(staff)];
  return regions.map((r) => {
    const id = String(r._id);
    return {
      id,
      name: r.name,
      areaType: r.areaType as AreaType,
      substations: s.get(id) ?? 0,
      transformerAreas: a.get(id) ?? 0,
      crews: c.get(id) ?? 0,
      staff: u.get(id) ?? 0,
    };
  });
}

export interface GridTreeNode {
  id: string;
  kind: GridNodeKind;
  name: string;
  parentId: string | null;
  areaType: AreaType;
  /** Accounts in this node's transformer areas (for a transformer area: its own). */
  accounts: number;
  children: GridTreeNode[];
}

/** One region's subtree (substations → feeders → transformer areas) with account counts summed upwards. */
export async function regionTree(regionId: string): Promise<GridTreeNode> {
  const region = await GridNodeModel.findOne({ _id: oid(regionId), kind: 'region' }).lean();
  if (!region) throw notFound('供电区域');
  const [nodes, counts] = await Promise.all([
    GridNodeModel.find(
      { regionId: region._id, kind: { $in: ['substation', 'feeder', 'transformer_area'] } },
      { kind: 1, name: 1, parentId: 1, areaType: 1, code: 1 },
    )
      .sort({ code: 1 })
      .lean(),
    AccountModel.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { regionId: region._id } },
      { $group: { _id: '$transformerAreaId', n: { $sum: 1 } } },
    ]),
  ]);
  const perArea = new Map(counts.map((c) => [String(c._id), c.n]));
  const byId = new Map<string, GridTreeNode>();
  const make = (n: {
    _id: Types.ObjectId;
    kind: string;
    name: string;
    parentId?: Types.ObjectId | null;
    areaType?: string | null;
  }): GridTreeNode => ({
    id: String(n._id),
    kind: n.kind as GridNodeKind,
    name: n.name,
    parentId: n.parentId ? String(n.parentId) : null,
    areaType: (n.areaType ?? 'urban') as AreaType,
    accounts: n.kind === 'transformer_area' ? (perArea.get(String(n._id)) ?? 0) : 0,
    children: [],
  });
  const root = make(region);
  byId.set(root.id, root);
  // Codes sort parents before children (R1 < R1S1 < R1S1F1 …), but a moved area keeps its code: link in two passes.
  for (const n of nodes) byId.set(String(n._id), make(n));
  for (const n of nodes) {
    const node = byId.get(String(n._id))!;
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
  }
  const sum = (n: GridTreeNode): number => {
    if (n.kind !== 'transformer_area') n.accounts = n.children.reduce((s, c) => s + sum(c), 0);
    return n.accounts;
  };
  sum(root);
  return root;
}

/** Adds a region, substation, feeder or transformer area under the right kind of parent, with the next free code. */
export async function addGridNode(
  actor: Actor,
  input: { kind: GridNodeKind; parentId?: string | null; name: string; areaType?: AreaType | null },
): Promise<GridTreeNode> {
  const parent = input.parentId ? await GridNodeModel.findById(input.parentId).lean() : null;
  if (input.parentId && !parent) throw notFound('上级节点');
  checkParent(input.kind, parent);
  const siblings = await GridNodeModel.find(parent ? { parentId: parent._id } : { kind: 'region' }, { name: 1 }).lean();
  const name = checkNodeName(
    input.name,
    siblings.map((s) => s.name),
  );
  const areaType = (input.areaType ?? parent?.areaType ?? 'urban') as AreaType;
  const _id = new Types.ObjectId();
  const ancestorIds = parent ? [...(parent.ancestorIds ?? []), parent._id] : [];
  const regionId = input.kind === 'region' ? null : parent!.kind === 'region' ? parent!._id : parent!.regionId;
  const feederId = input.kind === 'transformer_area' ? parent!._id : null;
  const doc = { _id, kind: input.kind, name, parentId: parent?._id ?? null, ancestorIds, regionId, feederId, areaType };
  // Next code after the siblings; a concurrent add that took it makes the unique index refuse, and we try the next.
  let n = siblings.length + 1;
  for (let attempt = 0; ; attempt++) {
    try {
      await GridNodeModel.create({ ...doc, code: childCode(input.kind, parent?.code ?? null, n) });
      break;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000 || attempt >= 50) throw err;
      n++;
    }
  }
  const after = { kind: input.kind, name, parentId: parent ? String(parent._id) : null, areaType };
  await audit(actor, 'grid.create', String(_id), { before: null, after });
  return { id: String(_id), kind: input.kind, name, parentId: after.parentId, areaType, accounts: 0, children: [] };
}

/** Renames a node; accounts carry their area's name, so a transformer area's rename follows to them. */
export async function renameGridNode(actor: Actor, nodeId: string, newName: string): Promise<{ id: string; name: string; accountsUpdated: number }> {
  const node = await GridNodeModel.findById(nodeId).lean();
  if (!node) throw notFound('节点');
  const siblings = await GridNodeModel.find(
    node.parentId ? { parentId: node.parentId, _id: { $ne: node._id } } : { kind: 'region', _id: { $ne: node._id } },
    { name: 1 },
  ).lean();
  const name = checkNodeName(
    newName,
    siblings.map((s) => s.name),
  );
  let accountsUpdated = 0;
  if (name !== node.name) {
    await GridNodeModel.updateOne({ _id: node._id }, { $set: { name } });
    await audit(actor, 'grid.rename', nodeId, { before: { name: node.name }, after: { name }, changes: { name: { from: node.name, to: name } } });
  }
  if (node.kind === 'transformer_area') {
    const r = await AccountModel.updateMany(
      { transformerAreaId: node._id, transformerAreaName: { $ne: name } },
      { $set: { transformerAreaName: name } },
    );
    accountsUpdated = r.modifiedCount;
  }
  return { id: nodeId, name, accountsUpdated };
}

export interface AreaMoveResult {
  areaId: string;
  fromFeederId: string;
  toFeederId: string;
  /** Accounts whose feeder was rewritten by this call (0 on a repeat that found them done). */
  accountsUpdated: number;
  accounts: number;
}

/**
 * Moves a transformer area to another feeder of the same region. The node update is guarded by the
 * feeder the admin saw it under (`fromFeederId`); then every account of the area gets the new feeder.
 * A repeat of the same move (a retry, a double click) finds the node there and only finishes the accounts.
 */
export async function moveTransformerArea(
  actor: Actor,
  input: { areaId: string; fromFeederId: string; toFeederId: string },
): Promise<AreaMoveResult> {
  const [area, target] = await Promise.all([GridNodeModel.findById(input.areaId).lean(), GridNodeModel.findById(input.toFeederId).lean()]);
  if (!area) throw notFound('台区');
  if (!target) throw notFound('目标线路');
  const verdict = checkAreaMove(
    { kind: area.kind, regionId: area.regionId ? String(area.regionId) : null, feederId: area.feederId ? String(area.feederId) : null },
    { kind: target.kind, regionId: target.regionId ? String(target.regionId) : null, id: String(target._id) },
    input.fromFeederId,
  );
  const substationId = target.parentId!;
  if (verdict === 'move') {
    const moved = await GridNodeModel.updateOne(
      { _id: area._id, kind: 'transformer_area', feederId: oid(input.fromFeederId) },
      { $set: { parentId: target._id, feederId: target._id, ancestorIds: [target.regionId!, substationId, target._id] } },
    );
    if (moved.matchedCount === 0) {
      // Someone moved it between our read and our write: the same move is a repeat, any other a conflict.
      const now = await GridNodeModel.findById(area._id, { feederId: 1 }).lean();
      if (!now?.feederId?.equals(target._id)) throw new DomainError('CONFLICT', '台区所属线路已被他人修改，请刷新后重试');
    } else {
      const fromFeeder = await GridNodeModel.findById(input.fromFeederId, { name: 1 }).lean();
      await audit(actor, 'grid.move_area', String(area._id), {
        before: { feederId: input.fromFeederId, feederName: fromFeeder?.name ?? null, parentId: String(area.parentId) },
        after: { feederId: String(target._id), feederName: target.name, parentId: String(target._id) },
        changes: { feederId: { from: input.fromFeederId, to: String(target._id) } },
        areaName: area.name,
      });
    }
  }
  const r = await AccountModel.updateMany({ transformerAreaId: area._id, feederId: { $ne: target._id } }, { $set: { feederId: target._id } });
  const accounts = await AccountModel.countDocuments({ transformerAreaId: area._id });
  return {
    areaId: String(area._id),
    fromFeederId: verdict === 'move' ? input.fromFeederId : String(target._id),
    toFeederId: String(target._id),
    accountsUpdated: r.modifiedCount,
    accounts,
  };
}
