import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectTrpcError, startTestApi, type TestApi } from '../../testing/harness';
import { DEMO } from '../../seed/generate';
import { AccountModel } from '../accounts/account.model';
import { AuditLogModel } from '../audit/audit.model';
import { GridNodeModel } from '../grid/grid.model';
import { checkAreaMove, checkParent, childCode } from './org.rules';
import { moveTransformerArea } from './grid-admin.service';

/** Grid topology administration against the real database: browse, add, rename, move an area (issue 10). */
let api: TestApi;
type Client = ReturnType<TestApi['client']>;
let admin: Client;
let adminClaims: { sub: string; roles: string[] };
let dispatcher: Client;
let agent: Client;
let regionId: string;

async function login(username: string) {
  const r = await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return { client: api.client(r.accessToken), id: r.user.id, roles: r.user.roles };
}

beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 120 });
  const a = await login('admin01');
  admin = a.client;
  adminClaims = { sub: a.id, roles: a.roles };
  dispatcher = (await login('dispatcher01')).client;
  agent = (await login('agent01')).client;
  regionId = String((await GridNodeModel.findOne({ kind: 'region' }).sort({ code: 1 }).lean())!._id);
});
afterAll(async () => {
  await api?.stop();
});

describe('grid rules (pure)', () => {
  it('builds the tree kind by kind and moves areas only within a region', () => {
    expect(() => checkParent('feeder', { kind: 'region' })).toThrow('线路只能建在变电站下');
    expect(() => checkParent('substation', null)).toThrow('请选择变电站所属的供电区域');
    expect(() => checkParent('region', { kind: 'region' })).toThrow('供电区域不能有上级节点');
    expect(childCode('transformer_area', 'R1S2F3', 6)).toBe('R1S2F3T6');
    const area = { kind: 'transformer_area', regionId: 'r1', feederId: 'f1' };
    expect(checkAreaMove(area, { kind: 'feeder', regionId: 'r1', id: 'f2' }, 'f1')).toBe('move');
    expect(checkAreaMove(area, { kind: 'feeder', regionId: 'r1', id: 'f1' }, 'f0')).toBe('already_there');
    expect(() => checkAreaMove(area, { kind: 'feeder', regionId: 'r2', id: 'f9' }, 'f1')).toThrow('台区只能移到同一供电区域内的线路');
    expect(() => checkAreaMove(area, { kind: 'substation', regionId: 'r1', id: 's1' }, 'f1')).toThrow('台区只能移到线路下');
    expect(() => checkAreaMove(area, { kind: 'feeder', regionId: 'r1', id: 'f2' }, 'f0')).toThrow('已被他人修改');
  });
});

describe('grid topology', () => {
  it('shows a region as a tree with account counts summed upwards', async () => {
    const tree = await dispatcher.admin.gridTree.query({ regionId });
    expect(tree.kind).toBe('region');
    expect(tree.children).toHaveLength(3);
    expect(tree.children[0].children).toHaveLength(5);
    expect(tree.children[0].children[0].children).toHaveLength(5);
    const accounts = await AccountModel.countDocuments({ regionId });
    expect(tree.accounts).toBe(accounts);
    const area = tree.children[0].children[0].children[0];
    expect(area.accounts).toBe(await AccountModel.countDocuments({ transformerAreaId: area.id }));
    expect(JSON.stringify(tree)).not.toMatch(/"code"/);
  });

  it('moves a transformer area to another feeder: its accounts follow, audited, idempotent on retry', async () => {
    const tree = await admin.admin.gridTree.query({ regionId });
    // The area with the most accounts, moved to a feeder of another substation in the same region.
    const areas = tree.children.flatMap((s) => s.children.flatMap((f) => f.children.map((a) => ({ a, f }))));
    const { a: area, f: from } = areas.sort((x, y) => y.a.accounts - x.a.accounts)[0];
    expect(area.accounts).toBeGreaterThan(0);
    const to = tree.children.find((s) => !s.children.some((f) => f.id === from.id))!.children[2];

    const r = await admin.admin.moveArea.mutate({ areaId: area.id, fromFeederId: from.id, toFeederId: to.id });
    expect(r).toMatchObject({ toFeederId: to.id, accountsUpdated: area.accounts, accounts: area.accounts });
    expect(await AccountModel.countDocuments({ transformerAreaId: area.id, feederId: to.id })).toBe(area.accounts);
    const node = (await GridNodeModel.findById(area.id).lean())!;
    expect(String(node.parentId)).toBe(to.id);
    expect(String(node.feederId)).toBe(to.id);
    expect(node.ancestorIds.map(String)).toEqual([regionId, String((await GridNodeModel.findById(to.id).lean())!.parentId), to.id]);
    const after = await admin.admin.gridTree.query({ regionId });
    const toAfter = after.children.flatMap((s) => s.children).find((f) => f.id === to.id)!;
    expect(toAfter.children.map((c) => c.id)).toContain(area.id);
    expect(
      after.children
        .flatMap((s) => s.children)
        .find((f) => f.id === from.id)!
        .children.map((c) => c.id),
    ).not.toContain(area.id);
    expect(after.accounts).toBe(tree.accounts);

    const audit = await AuditLogModel.findOne({ action: 'grid.move_area', targetId: area.id }).lean();
    expect(audit).toMatchObject({
      actorId: adminClaims.sub,
      targetType: 'grid_node',
      detail: { before: { feederId: from.id, feederName: from.name }, after: { feederId: to.id, feederName: to.name } },
    });

    // A retry of the same move changes nothing and is not audited twice.
    const again = await admin.admin.moveArea.mutate({ areaId: area.id, fromFeederId: from.id, toFeederId: to.id });
    expect(again.accountsUpdated).toBe(0);
    expect(await AuditLogModel.countDocuments({ action: 'grid.move_area', targetId: area.id })).toBe(1);

    // A crash after the node moved but before the accounts did: the retry finishes the accounts.
    await AccountModel.updateMany({ transformerAreaId: area.id }, { $set: { feederId: from.id } });
    const healed = await moveTransformerArea(
      { user: { ...adminClaims, kind: 'staff', sid: 's', ent: null, crew: null } as never, ip: null },
      { areaId: area.id, fromFeederId: from.id, toFeederId: to.id },
    );
    expect(healed.accountsUpdated).toBe(area.accounts);
    expect(await AccountModel.countDocuments({ transformerAreaId: area.id, feederId: { $ne: to.id } })).toBe(0);

    // Someone else's earlier view is refused instead of silently overriding.
    const third = after.children.flatMap((s) => s.children).find((f) => f.id !== to.id && f.id !== from.id)!;
    const e = await expectTrpcError(admin.admin.moveArea.mutate({ areaId: area.id, fromFeederId: from.id, toFeederId: third.id }), 'CONFLICT');
    expect(e.message).toBe('台区所属线路已被他人修改，请刷新后重试');
  });

  it('refuses a move to another region and moves by non-admins', async () => {
    const regions = await GridNodeModel.find({ kind: 'region' }).sort({ code: 1 }).limit(2).lean();
    const area = (await GridNodeModel.findOne({ kind: 'transformer_area', regionId: regions[0]._id }).lean())!;
    const foreign = (await GridNodeModel.findOne({ kind: 'feeder', regionId: regions[1]._id }).lean())!;
    const e = await expectTrpcError(
      admin.admin.moveArea.mutate({ areaId: String(area._id), fromFeederId: String(area.feederId), toFeederId: String(foreign._id) }),
      'BAD_REQUEST',
    );
    expect(e.message).toBe('台区只能移到同一供电区域内的线路');
    await expectTrpcError(
      dispatcher.admin.moveArea.mutate({ areaId: String(area._id), fromFeederId: String(area.feederId), toFeederId: String(foreign._id) }),
      'FORBIDDEN',
    );
    await expectTrpcError(agent.admin.gridTree.query({ regionId }), 'FORBIDDEN');
  });

  it('adds a region, substation, feeder and transformer area; names are checked; rename follows to accounts', async () => {
    const region = await admin.admin.addGridNode.mutate({ kind: 'region', name: '湘江新区供电所', areaType: 'urban' });
    const sub = await admin.admin.addGridNode.mutate({ kind: 'substation', parentId: region.id, name: '梅溪湖变电站' });
    const feeder = await admin.admin.addGridNode.mutate({ kind: 'feeder', parentId: sub.id, name: '10kV梅溪一线' });
    const area = await admin.admin.addGridNode.mutate({ kind: 'transformer_area', parentId: feeder.id, name: '梅溪湖1号台区' });
    const doc = (await GridNodeModel.findById(area.id).lean())!;
    expect(doc).toMatchObject({ kind: 'transformer_area', areaType: 'urban' });
    expect(String(doc.regionId)).toBe(region.id);
    expect(String(doc.feederId)).toBe(feeder.id);
    expect(doc.ancestorIds.map(String)).toEqual([region.id, sub.id, feeder.id]);
    expect(doc.code).toMatch(/^R9S1F1T1$/);
    const tree = await admin.admin.gridTree.query({ regionId: region.id });
    expect(tree.children[0].children[0].children[0]).toMatchObject({ id: area.id, name: '梅溪湖1号台区', accounts: 0 });
    expect((await admin.admin.regions.query()).map((r) => r.name)).toContain('湘江新区供电所');

    expect(
      (await expectTrpcError(admin.admin.addGridNode.mutate({ kind: 'feeder', parentId: sub.id, name: '10kV梅溪一线' }), 'CONFLICT')).message,
    ).toBe('同一上级下已有名为“10kV梅溪一线”的节点');
    expect(
      (await expectTrpcError(admin.admin.addGridNode.mutate({ kind: 'transformer_area', parentId: sub.id, name: '错层台区' }), 'BAD_REQUEST'))
        .message,
    ).toBe('台区只能建在线路下');
    expect((await expectTrpcError(admin.admin.addGridNode.mutate({ kind: 'feeder', parentId: sub.id, name: '一' }), 'BAD_REQUEST')).message).toBe(
      '名称须为2–40个字',
    );
    expect(await AuditLogModel.countDocuments({ action: 'grid.create', targetId: { $in: [region.id, sub.id, feeder.id, area.id] } })).toBe(4);
    await expectTrpcError(dispatcher.admin.addGridNode.mutate({ kind: 'region', name: '越权供电所' }), 'FORBIDDEN');

    // Renaming an area with accounts rewrites their denormalised area name.
    const withAccounts = (await AccountModel.findOne({ regionId }).lean())!;
    const renamed = await admin.admin.renameGridNode.mutate({ nodeId: String(withAccounts.transformerAreaId), name: '更名后台区' });
    expect(renamed.accountsUpdated).toBe(await AccountModel.countDocuments({ transformerAreaId: withAccounts.transformerAreaId }));
    expect((await AccountModel.findById(withAccounts._id).lean())!.transformerAreaName).toBe('更名后台区');
    const audit = await AuditLogModel.findOne({ action: 'grid.rename', targetId: String(withAccounts.transformerAreaId) }).lean();
    expect(audit!.detail).toMatchObject({ before: { name: withAccounts.transformerAreaName }, after: { name: '更名后台区' } });
  });
});
