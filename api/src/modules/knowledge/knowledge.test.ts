import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { expectTrpcError, startTestApi, type TestApi } from '../../testing/harness';
import { DEMO } from '../../seed/generate';
import { SmsOutboxModel } from '../notify/sms-provider';
import { UserModel } from '../auth/user.model';
import { WorkOrderModel } from '../workorders/workorder.model';
import { SEED_ARTICLES } from './articles.data';
import { QUERY_SET } from './queries.data';
import { KnowledgeArticleModel, KnowledgeViewModel } from './knowledge.model';
import { deflectionByCategory } from './knowledge.service';

let api: TestApi;
type Client = ReturnType<TestApi['client']>;
let anon: Client;
let resident: Client;
let residentId: string;
let expert: Client;
let supervisor: Client;
let agent: Client;
const idOf = new Map<string, string>();

async function login(username: string) {
  const r = await api.client().auth.passwordLogin.mutate({ username, password: DEMO.password });
  return api.client(r.accessToken);
}

beforeAll(async () => {
  api = await startTestApi({ seedAccounts: 50 });
  anon = api.client();
  await anon.auth.sendSmsCode.mutate({ phone: DEMO.residentPhone });
  const sms = await SmsOutboxModel.findOne({ phone: DEMO.residentPhone }).sort({ createdAt: -1 }).lean();
  const r = await anon.auth.smsLogin.mutate({ phone: DEMO.residentPhone, code: sms!.text.match(/\d{6}/)![0] });
  resident = api.client(r.accessToken);
  residentId = String((await UserModel.findOne({ phone: DEMO.residentPhone, kind: 'web' }).lean())!._id);
  [expert, supervisor, agent] = await Promise.all([login('expert01'), login('supervisor01'), login('agent01')]);
  for (const a of await KnowledgeArticleModel.find({ slug: { $ne: null } }, { slug: 1 }).lean()) idOf.set(a.slug!, String(a._id));
});
afterAll(async () => {
  await api?.stop();
});

describe('seeded base', () => {
  it('has the five categories and 40+ published articles whose related links resolve', async () => {
    const cats = await anon.knowledge.categories.query();
    expect(cats.map((c) => c.name)).toEqual(['用电知识', '安全用电', '电价电费', '业务办理', '停电与抢修']);
    expect(cats.reduce((s, c) => s + c.articles, 0)).toBeGreaterThanOrEqual(40);
    const slugs = new Set(SEED_ARTICLES.map((a) => a.slug));
    expect(slugs.size).toBe(SEED_ARTICLES.length);
    for (const a of SEED_ARTICLES) for (const r of a.related) expect(slugs.has(r), `${a.slug} → ${r}`).toBe(true);
    for (const q of QUERY_SET) expect(slugs.has(q.expect), q.expect).toBe(true);
  });

  it(`finds the expected article in the top 5 for at least 90% of ${QUERY_SET.length} customer queries (recall@5)`, async () => {
    expect(QUERY_SET.length).toBeGreaterThanOrEqual(60);
    const misses: string[] = [];
    const t0 = Date.now();
    for (const { q, expect: slug } of QUERY_SET) {
      const hits = await anon.knowledge.search.query({ q, limit: 5 });
      if (!hits.some((h) => h.id === idOf.get(slug))) misses.push(`${q} → ${slug} (got ${hits.map((h) => h.title).join(' | ')})`);
    }
    const recall = 1 - misses.length / QUERY_SET.length;
    console.log(`knowledge recall@5 = ${recall.toFixed(3)} over ${QUERY_SET.length} queries (${Date.now() - t0} ms); misses:\n${misses.join('\n')}`);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it('finds 停电 for 家里没电了, first, with the matched words marked', async () => {
    const hits = await anon.knowledge.search.query({ q: '家里没电了', limit: 5 });
    expect(hits[0].title).toBe('家里突然停电了怎么办？');
    expect(hits[0].titleSegments.filter((s) => s.hit).map((s) => s.text)).toEqual(['停电']);
    expect(hits[0].categoryName).toBe('停电与抢修');
  });

  it('gives safety tips from 安全用电 and public pages with blocks, never HTML', async () => {
    const tips = await anon.knowledge.safetyTips.query();
    expect(tips.length).toBeGreaterThan(0);
    const page = await anon.knowledge.article.query({ id: idOf.get('home-no-power')! });
    expect(page.state).toBe('published');
    expect(page.blocks[0].t).toBe('p');
    expect(page.related.length).toBeGreaterThan(0);
    expect(JSON.stringify(page.blocks)).not.toMatch(/<[a-z]/i);
  });
});

describe('editing and review', () => {
  it('keeps the published text live until a reviewer approves the revision', async () => {
    const id = idOf.get('late-fee')!;
    const before = await anon.knowledge.article.query({ id });
    const a = await expert.knowledge.staffArticle.query({ id });
    const pub = a.published!;
    const body = pub.body.replace('**1‰**', '**1‰（千分之一）**');
    const saved = await expert.knowledge.saveDraft.mutate({
      articleId: id,
      rev: a.rev,
      content: { title: pub.title, summary: pub.summary, body, tags: pub.tags, categoryId: pub.categoryId, relatedIds: pub.relatedIds, images: [] },
    });
    const { rev } = await expert.knowledge.workflow.mutate({ articleId: id, action: 'submit', rev: saved.rev });
    // Still the old text for everybody while it waits.
    expect(JSON.stringify((await anon.knowledge.article.query({ id })).blocks)).not.toContain('千分之一');
    const review = await supervisor.knowledge.staffArticle.query({ id });
    expect(review.revision?.state).toBe('review');
    expect(review.diff?.some((l) => l.op === 'change' && l.parts?.some((p) => p.op === 'add' && p.text.includes('千分之一')))).toBe(true);
    // The author cannot approve, nor edit while under review; an agent cannot edit at all.
    await expectTrpcError(expert.knowledge.workflow.mutate({ articleId: id, action: 'approve', rev }), 'FORBIDDEN');
    await expectTrpcError(
      agent.knowledge.saveDraft.mutate({ articleId: id, content: { title: 'x', body: 'y', categoryId: pub.categoryId } }),
      'FORBIDDEN',
    );
    await supervisor.knowledge.workflow.mutate({ articleId: id, action: 'approve', rev });
    const after = await anon.knowledge.article.query({ id });
    expect(JSON.stringify(after.blocks)).toContain('千分之一');
    expect(after.version).toBe(before.version + 1);
    const history = (await supervisor.knowledge.staffArticle.query({ id })).history;
    expect(history.map((h) => h.action)).toEqual(['created', 'approved', 'edited', 'submitted', 'approved']);
    expect(history.at(-1)?.actorName).toBe('马值班长');
    const d = await supervisor.knowledge.historyDiff.query({ articleId: id, fromId: history[1].id, toId: history[4].id });
    expect(d.stats.changed).toBe(1);
  });

  it('writes a new draft that is not public until approved, and refuses unsafe images', async () => {
    const cats = await anon.knowledge.categories.query();
    const categoryId = cats.find((c) => c.name === '用电知识')!.id;
    await expectTrpcError(
      expert.knowledge.saveDraft.mutate({
        content: {
          title: '图片测试',
          body: '![图](img1)',
          categoryId,
          images: [{ key: 'img1', dataUrl: `data:image/png;base64,${Buffer.from('MZ fake exe').toString('base64')}` }],
        },
      }),
      'BAD_REQUEST',
    );
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
      'hex',
    );
    const draft = await expert.knowledge.saveDraft.mutate({
      content: {
        title: '电能表铭牌上的参数',
        body: '## 铭牌\n![电能表铭牌](img1)\n电能表铭牌写明额定电流。',
        categoryId,
        images: [{ key: 'img1', dataUrl: `data:image/png;base64,${png.toString('base64')}`, alt: '铭牌' }],
      },
    });
    await expectTrpcError(anon.knowledge.article.query({ id: draft.id }), 'NOT_FOUND');
    expect((await anon.knowledge.search.query({ q: '铭牌' })).some((h) => h.id === draft.id)).toBe(false);
    const { rev } = await expert.knowledge.workflow.mutate({ articleId: draft.id, action: 'submit', rev: draft.rev });
    await supervisor.knowledge.workflow.mutate({ articleId: draft.id, action: 'approve', rev });
    const page = await anon.knowledge.article.query({ id: draft.id });
    expect(page.images[0].dataUrl.startsWith('data:image/png;base64,')).toBe(true);
    expect((await anon.knowledge.search.query({ q: '铭牌' }))[0].id).toBe(draft.id);
  });

  it('takes an archived article out of search but keeps its address with a notice', async () => {
    const id = idOf.get('children-safety')!;
    const a = await supervisor.knowledge.staffArticle.query({ id });
    await supervisor.knowledge.workflow.mutate({ articleId: id, action: 'archive', rev: a.rev, note: '内容已合并到其他文章' });
    expect((await anon.knowledge.search.query({ q: '插座保护盖' })).some((h) => h.id === id)).toBe(false);
    const page = await anon.knowledge.article.query({ id });
    expect(page.state).toBe('archived');
    expect(page.archivedReason).toBe('内容已合并到其他文章');
  });
});

describe('deflection', () => {
  it('counts a view from the consultation form as deflected when no order follows within 24 h', async () => {
    const id = idOf.get('home-no-power')!;
    const { viewId } = await resident.knowledge.view.mutate({ articleId: id, source: 'consultation' });
    await resident.knowledge.resolved.mutate({ viewId });
    await expectTrpcError(agent.knowledge.resolved.mutate({ viewId }), 'FORBIDDEN');
    const from = new Date(Date.now() - 60_000);
    const to = new Date(Date.now() + 60_000);
    const now = (await deflectionByCategory({ from, to })).find((r) => r.views > 0)!;
    expect(now).toMatchObject({ views: 1, pending: 1, resolvedClicks: 1, rate: null });
    const dayLater = await deflectionByCategory({ from, to, now: new Date(Date.now() + 25 * 3600_000) });
    expect(dayLater[0]).toMatchObject({ deflected: 1, filed: 0, rate: 1 });
    // A second view followed by an order within 24 h is not deflected.
    await resident.knowledge.view.mutate({ articleId: idOf.get('late-fee')!, source: 'consultation' });
    await WorkOrderModel.collection.insertOne({
      reporterUserId: new Types.ObjectId(residentId),
      createdAt: new Date(Date.now() + 1000),
      orderNo: 'KB-TEST',
    });
    const rows = await deflectionByCategory({ from, to: new Date(Date.now() + 60_000), now: new Date(Date.now() + 25 * 3600_000) });
    expect(rows.reduce((s, r) => s + r.filed, 0)).toBe(2);
    expect(await KnowledgeViewModel.countDocuments({ source: 'consultation' })).toBe(2);
    const report = await supervisor.knowledge.deflection.query({ from, to });
    expect(report.find((r) => r.categoryName === '停电与抢修')?.views).toBe(1);
  });

  it('takes one vote per person with a reason', async () => {
    const id = idOf.get('how-to-pay')!;
    await resident.knowledge.vote.mutate({ articleId: id, helpful: false, reason: '内容看不懂' });
    const r = await resident.knowledge.vote.mutate({ articleId: id, helpful: true, reason: '解决了我的问题' });
    expect(r).toEqual({ helpful: 1, unhelpful: 0 });
  });
});

describe('agents', () => {
  it('search with excerpts, phrases by scenario and the house-style check', async () => {
    const hits = await agent.knowledge.agentSearch.query({ q: '违约金' });
    expect(hits[0].excerpt.length).toBeGreaterThan(0);
    expect(hits[0].path).toBe(`/knowledge/${hits[0].id}`);
    const { scenarios } = await agent.knowledge.phrases.query();
    expect(scenarios.map((s) => s.label)).toEqual(['问候', '致歉', '请稍候', '结束语', '停电解释']);
    const hints = await agent.knowledge.checkReply.query({ text: '很抱歉，您说' });
    expect(hints.map((h) => h.suggest)).toEqual(['对不起', '您请讲']);
    await expectTrpcError(resident.knowledge.checkReply.query({ text: '抱歉' }), 'FORBIDDEN');
  });
});
