import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../seed/generate';
import { startTestApi, type TestApi } from '../../testing/harness';
import { AccountModel, EnterpriseModel } from '../accounts/account.model';
import { UserModel } from '../auth/user.model';
import { MessageModel } from '../notify/message.model';

let api: TestApi;
const tokens: Record<string, string> = {};
async function as(username: string) {
  tokens[username] ??= (await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password })).accessToken!;
  return api.client(tokens[username]);
}

beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 50 });
}, 120_000);
afterAll(async () => {
  await api?.stop();
});

describe("outages over all of an enterprise's sites", () => {
  it('one list with the sites affected, a switch per site, notices to subscribed users only, scope respected', async () => {
    const ent = (await EnterpriseModel.findOne({ name: DEMO.enterpriseName }).lean())!;
    const sites = await AccountModel.find({ enterpriseId: ent._id }).sort({ number: 1 }).lean();
    const admin = await as('ent_admin');
    const view = await admin.outage.enterpriseView.query();
    expect(view.sites).toHaveLength(sites.length);
    expect(view.sites[0].addressMasked).not.toBe(sites[0].address);

    // A temporary maintenance over the first site's area, more than 24 h ahead.
    const site = sites[0];
    const dispatcher = await as('dispatcher01');
    const start = new Date(Date.now() + 30 * 3600_000);
    const p = await dispatcher.outage.publish.mutate({
      kind: 'temporary',
      scope: { feederIds: [], transformerAreaIds: [String(site.transformerAreaId)] },
      startAt: start,
      etr: new Date(start.getTime() + 3 * 3600_000),
      reason: '配电变压器检修',
    });
    const after = await admin.outage.enterpriseView.query();
    const listed = after.outages.find((o) => o.id === p.outage.id)!;
    const sameArea = sites.filter((s) => String(s.transformerAreaId) === String(site.transformerAreaId));
    expect(listed.siteCount).toBe(sameArea.length);
    expect(listed.sites.map((s) => s.number)).toContain(site.number);
    expect(after.sites.find((s) => s.number === site.number)!.outageCount).toBeGreaterThanOrEqual(1);

    // The power liaison limited to another site sees only it, and not this outage.
    const other = sites.find((s) => String(s.transformerAreaId) !== String(site.transformerAreaId))!;
    await UserModel.updateOne({ username: 'ent_elec' }, { $set: { siteAccountIds: [other._id] } });
    const elecView = await (await as('ent_elec')).outage.enterpriseView.query();
    expect(elecView.sites.map((s) => s.number)).toEqual([other.number]);
    expect(elecView.outages.some((o) => o.id === p.outage.id)).toBe(false);
    // ...and cannot subscribe outside its scope.
    expect((await (await as('ent_elec')).outage.setSiteSubscriptions.mutate({ accountIds: [String(site._id)], on: true })).changed).toBe(0);
    await UserModel.updateOne({ username: 'ent_elec' }, { $unset: { siteAccountIds: 1 } });
    // Another enterprise cannot subscribe this one's sites.
    expect((await (await as('other_ent_admin')).outage.setSiteSubscriptions.mutate({ accountIds: [String(site._id)], on: true })).changed).toBe(0);

    // The admin subscribes the one site; finance subscribes nothing.
    await admin.outage.setSiteSubscriptions.mutate({ accountIds: [String(site._id)], on: true });
    expect((await admin.outage.enterpriseView.query()).subscribedCount).toBe(1);
    const p2 = await dispatcher.outage.publish.mutate({
      kind: 'temporary',
      scope: { feederIds: [], transformerAreaIds: [String(site.transformerAreaId)] },
      startAt: new Date(Date.now() + 50 * 3600_000),
      etr: new Date(Date.now() + 52 * 3600_000),
      reason: '开关更换',
    });
    const adminUser = (await UserModel.findOne({ username: 'ent_admin' }).lean())!;
    const finance = (await UserModel.findOne({ username: 'ent_finance' }).lean())!;
    const notice = await MessageModel.findOne({ noticeKey: `${p2.outage.id}:published`, userId: adminUser._id }).lean();
    expect(notice).toMatchObject({ rank: 0, accountNumbers: [site.number] }); // a tier A enterprise is told first
    expect(await MessageModel.countDocuments({ noticeKey: `${p2.outage.id}:published`, userId: finance._id })).toBe(0);

    // Every site at once, then none.
    await admin.outage.setSiteSubscriptions.mutate({ all: true, on: true });
    expect((await admin.outage.enterpriseView.query()).subscribedCount).toBe(sites.length);
    await admin.outage.setSiteSubscriptions.mutate({ all: true, on: false });
    expect((await admin.outage.enterpriseView.query()).subscribedCount).toBe(0);
    expect(Types.ObjectId.isValid(p.outage.id)).toBe(true);
  });
});
