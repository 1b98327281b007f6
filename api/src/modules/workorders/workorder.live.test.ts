import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveClient, startTestApi, type TestApi } from '../../testing/harness';
import { DEMO } from '../../seed/generate';
import { AccountModel } from '../accounts/account.model';
import { UserModel } from '../auth/user.model';

let api: TestApi;
const tokens: Record<string, string> = {};

async function token(username: string) {
  tokens[username] ??= (await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password })).accessToken!;
  return tokens[username];
}

/** Opens a console's live queue and collects what reaches it. */
async function openConsole(username: string) {
  const t = await token(username);
  const sse = liveClient(api.url, t);
  const got: { type: string; orderId: string | null }[] = [];
  let started!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const sub = sse.workorder.live.subscribe(undefined, {
    onStarted: () => started(),
    onData: (d) => got.push((d as { data: { type: string; orderId: string | null } }).data),
  });
  await ready;
  return { got, close: () => sub.unsubscribe() };
}

const waitFor = async (ok: () => boolean, ms = 8000) => {
  const until = Date.now() + ms;
  while (!ok() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
};

beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 50 });
});
afterAll(async () => {
  await api?.stop();
});

describe('live queue: each console gets what its person may see', () => {
  it("a crew's console carries its own crew's orders only; the desk's carries all", async () => {
    const crewUser = await UserModel.findOne({ username: 'crew01' }).lean();
    const account = await AccountModel.findOne({ number: DEMO.residentAccounts[0].number }).lean();
    const agent = api.client(await token('agent01'));
    const dispatcher = api.client(await token('dispatcher01'));
    const [crewConsole, deskConsole] = [await openConsole('crew01'), await openConsole('agent01')];
    await new Promise((r) => setTimeout(r, 300));

    const fault = {
      type: 'fault_repair' as const,
      accountId: String(account!._id),
      faultKind: 'flicker' as const,
      description: '家里灯一直闪烁',
      contactPhone: DEMO.residentPhone,
    };
    const notOurs = await agent.workorder.createForCaller.mutate(fault);
    const ours = await agent.workorder.createForCaller.mutate({ ...fault, description: '电压忽高忽低，灯泡发烫' });
    await dispatcher.workorder.dispatch.mutate({ orderId: ours.id, crewId: String(crewUser!.crewId), overCapacity: true });

    await waitFor(
      () =>
        crewConsole.got.some((e) => e.orderId === ours.id) && deskConsole.got.some((e) => e.orderId === ours.id && e.type !== 'workorder.created'),
    );
    await new Promise((r) => setTimeout(r, 500));
    crewConsole.close();
    deskConsole.close();

    expect(deskConsole.got.filter((e) => e.orderId === notOurs.id).length).toBeGreaterThan(0);
    expect(crewConsole.got.some((e) => e.orderId === ours.id)).toBe(true);
    // Orders of other crews (or of nobody yet) never reach the crew's phone.
    expect(crewConsole.got.filter((e) => e.orderId === notOurs.id)).toEqual([]);
  });
});
