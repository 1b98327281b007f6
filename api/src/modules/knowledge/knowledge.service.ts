/**
 * The knowledge base: categories, articles with a review workflow and history, Chinese search over an
 * indexed term array (no `$text`), views, votes and deflection. Rules live in *.rules.ts beside this file.
 */
import { Types } from 'mongoose';
import { isDuplicateKeyError } from '../../db/connect';
import { DomainError } from '../../lib/errors';
import type { AccessClaims } from '../auth/tokens';
import { UserModel } from '../auth/user.model';
import { sniffDocument } from '../files/file.rules';
import { WorkOrderModel } from '../workorders/workorder.model';
import { type Block, checkBody, MAX_IMAGE_BYTES, parseBody, plainText } from './content.rules';
import { diffStats, diffText } from './diff.rules';
import {
  ARTICLE_STATE_LABELS,
  checkWorkflow,
  DEFLECTION_SOURCES,
  type DeflectionRow,
  deflectionOutcome,
  deflectionRate,
  HISTORY_ACTION_LABELS,
  type HistoryAction,
  REVISION_STATE_LABELS,
  type ViewSource,
  type WorkflowAction,
} from './knowledge.rules';
import {
  type ArticleDoc,
  KnowledgeArticleModel,
  KnowledgeCategoryModel,
  KnowledgeHistoryModel,
  KnowledgeTermModel,
  KnowledgeViewModel,
  KnowledgeVoteModel,
} from './knowledge.model';
import { analyseQuery, articleTerms, highlight, matchedSurfaces, queryTerms, rank, type Segment, snippet } from './search.rules';

const notFound = () => new DomainError('NOT_FOUND', '文章不存在或已删除');
const oid = (id: string) => new Types.ObjectId(id);

// ---------------------------------------------------------------------------------------------
// Categories

export interface CategoryView {
  id: string;
  name: string;
  description: string;
  order: number;
  articles: number;
}

export async function listCategories(): Promise<CategoryView[]> {
  const [cats, counts] = await Promise.all([
    KnowledgeCategoryModel.find().sort({ order: 1, name: 1 }).lean(),
    KnowledgeArticleModel.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { state: 'published' } },
      { $group: { _id: '$categoryId', n: { $sum: 1 } } },
    ]),
  ]);
  const byId = new Map(counts.map((c) => [String(c._id), c.n]));
  return cats.map((c) => ({
    id: String(c._id),
    name: c.name,
    description: c.description ?? '',
    order: c.order,
    articles: byId.get(String(c._id)) ?? 0,
  }));
}

async function categoryNames(): Promise<Map<string, string>> {
  return new Map((await KnowledgeCategoryModel.find({}, { name: 1 }).lean()).map((c) => [String(c._id), c.name]));
}

export async function saveCategory(input: { id?: string; name: string; description?: string | null; order?: number }): Promise<CategoryView> {
  const set = {
    name: input.name,
    nameKey: input.name.toLowerCase(),
    description: input.description ?? '',
    ...(input.order !== undefined ? { order: input.order } : {}),
  };
  try {
    if (input.id) {
      const c = await KnowledgeCategoryModel.findByIdAndUpdate(input.id, { $set: set }, { returnDocument: 'after' }).lean();
      if (!c) throw new DomainError('NOT_FOUND', '分类不存在');
    } else {
      const order = input.order ?? (await KnowledgeCategoryModel.countDocuments()) + 1;
      await KnowledgeCategoryModel.create({ ...set, order });
    }
  } catch (e) {
    if (isDuplicateKeyError(e)) throw new DomainError('CONFLICT', `分类“${input.name}”已存在`);
    throw e;
  }
  const all = await listCategories();
  return all.find((c) => c.name === input.name)!;
}

// ---------------------------------------------------------------------------------------------
// Search

export interface SearchHit {
  id: string;
  title: string;
  categoryId: string;
  categoryName: string;
  titleSegments: Segment[];
  snippetSegments: Segment[];
  score: number;
}

/** How many candidates (by the score without the whole-query bonus) are read in full before the final ranking. */
const CANDIDATES = 60;

/**
 * Published articles that share a term with the query, scored in search.rules (title > body). The term documents
 * (one per query term, read by `_id`) say which articles have each term in the title or anywhere; the best
 * candidates are then read and ranked.
 */
export async function search(input: { q: string; categoryId?: string | null; limit?: number }): Promise<SearchHit[]> {
  const q = analyseQuery(input.q);
  const terms = queryTerms(q);
  if (!terms.length) return [];
  const postings = await KnowledgeTermModel.find({ _id: { $in: terms } }).lean<{ _id: string; a: Types.ObjectId[]; t: Types.ObjectId[] }[]>();
  const byArticle = new Map<string, { titleHits: string[]; hits: string[] }>();
  const entry = (id: Types.ObjectId) => {
    const k = String(id);
    const e = byArticle.get(k) ?? { titleHits: [], hits: [] };
    byArticle.set(k, e);
    return e;
  };
  for (const p of postings) {
    for (const id of p.a) entry(id).hits.push(p._id);
    for (const id of p.t) entry(id).titleHits.push(p._id);
  }
  const pre = rank(
    q,
    [...byArticle.entries()].map(([id, e]) => ({ id, title: '', ...e })),
  )
    .slice(0, input.categoryId ? CANDIDATES * 8 : CANDIDATES)
    .map((r) => r.item.id);
  if (!pre.length) return [];
  const filter: Record<string, unknown> = { _id: { $in: pre.map(oid) }, state: 'published' };
  if (input.categoryId) filter.categoryId = oid(input.categoryId);
  const [docs, names] = await Promise.all([
    KnowledgeArticleModel.find(filter, {
      categoryId: 1,
      views: 1,
      'published.title': 1,
      'published.summary': 1,
      'published.body': 1,
      'published.publishedAt': 1,
    }).lean<ArticleDoc[]>(),
    categoryNames(),
  ]);
  const candidates = docs.map((d) => ({
    doc: d,
    title: d.published?.title ?? '',
    views: d.views,
    publishedAt: d.published?.publishedAt ?? null,
    ...byArticle.get(String(d._id))!,
  }));
  return rank(q, candidates)
    .slice(0, Math.min(input.limit ?? 10, 20))
    .map(({ item, score }) => {
      const surfaces = matchedSurfaces(q, item.hits);
      const summary = item.doc.published?.summary ?? '';
      const text = surfaces.some((s) => summary.includes(s)) || !item.doc.published?.body ? summary : plainText(item.doc.published.body);
      return {
        id: String(item.doc._id),
        title: item.title,
        categoryId: String(item.doc.categoryId),
        categoryName: names.get(String(item.doc.categoryId)) ?? '',
        titleSegments: highlight(item.title, surfaces),
        snippetSegments: highlight(snippet(text, surfaces), surfaces),
        score,
      };
    });
}

/** Puts an article's new terms into the term documents and takes its old ones out. */
export async function indexArticle(
  id: Types.ObjectId,
  before: readonly string[],
  after: { terms: readonly string[]; titleTerms: readonly string[] },
) {
  const now = new Set(after.terms);
  const title = new Set(after.titleTerms);
  const ops = [
    ...before.filter((t) => !now.has(t)).map((t) => ({ updateOne: { filter: { _id: t }, update: { $pull: { a: id, t: id } } } })),
    ...after.terms.map((t) => ({
      updateOne: {
        filter: { _id: t },
        update: title.has(t) ? { $addToSet: { a: id, t: id } } : { $addToSet: { a: id }, $pull: { t: id } },
        upsert: true,
      },
    })),
  ];
  if (ops.length) await KnowledgeTermModel.bulkWrite(ops as Parameters<typeof KnowledgeTermModel.bulkWrite>[0], { ordered: false });
}

/** Rebuilds every term document from the articles' `terms` (the seed, the bench, a repair). */
export async function rebuildTermIndex(): Promise<number> {
  const a = new Map<string, Types.ObjectId[]>();
  const t = new Map<string, Types.ObjectId[]>();
  for await (const d of KnowledgeArticleModel.find({ published: { $ne: null } }, { terms: 1, titleTerms: 1 })
    .lean()
    .cursor()) {
    for (const term of d.terms) a.set(term, [...(a.get(term) ?? []), d._id]);
    for (const term of d.titleTerms) t.set(term, [...(t.get(term) ?? []), d._id]);
  }
  await KnowledgeTermModel.deleteMany({});
  const docs = [...a.entries()].map(([term, ids]) => ({ _id: term, a: ids, t: t.get(term) ?? [] }));
  for (let i = 0; i < docs.length; i += 2000) await KnowledgeTermModel.insertMany(docs.slice(i, i + 2000), { ordered: false });
  return docs.length;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface ArticleListItem {
  id: string;
  title: string;
  summary: string;
  categoryId: string;
  categoryName: string;
  views: number;
  publishedAt: Date | null;
}

function listItem(a: ArticleDoc, names: Map<string, string>): ArticleListItem {
  const p = a.published;
  return {
    id: String(a._id),
    title: p?.title ?? a.revision?.title ?? '',
    summary: p?.summary ?? a.revision?.summary ?? '',
    categoryId: String(a.categoryId ?? a.revision?.categoryId ?? ''),
    categoryName: names.get(String(a.categoryId ?? a.revision?.categoryId)) ?? '',
    views: a.views,
    publishedAt: p?.publishedAt ?? null,
  };
}

/** Published articles, by category (most read first). */
export async function publicList(input: { categoryId?: string | null; limit?: number }): Promise<ArticleListItem[]> {
  const filter: Record<string, unknown> = { state: 'published' };
  if (input.categoryId) filter.categoryId = oid(input.categoryId);
  const [docs, names] = await Promise.all([
    KnowledgeArticleModel.find(filter, { titleTerms: 0, terms: 0, revision: 0, 'published.body': 0, 'published.images': 0 })
      .sort({ views: -1, _id: 1 })
      .limit(input.limit ?? 50)
      .lean<ArticleDoc[]>(),
    categoryNames(),
  ]);
  return docs.map((d) => listItem(d, names));
}

export interface ArticlePage {
  id: string;
  state: 'published' | 'archived';
  title: string;
  summary: string;
  categoryId: string;
  categoryName: string;
  blocks: Block[];
  images: { key: string; dataUrl: string; alt: string }[];
  related: { id: string; title: string }[];
  version: number;
  publishedAt: Date;
  helpful: number;
  unhelpful: number;
  archivedAt: Date | null;
  archivedReason: string | null;
}

/** A published (or archived: kept at its address with a notice) article. Drafts are not public. */
export async function publicArticle(id: string): Promise<ArticlePage> {
  const a = await KnowledgeArticleModel.findById(id, { terms: 0, titleTerms: 0, revision: 0 }).lean<ArticleDoc>();
  const p = a?.published;
  if (!a || !p || (a.state !== 'published' && a.state !== 'archived')) throw notFound();
  const [names, related] = await Promise.all([
    categoryNames(),
    KnowledgeArticleModel.find({ _id: { $in: p.relatedIds }, state: 'published' }, { 'published.title': 1 }).lean<ArticleDoc[]>(),
  ]);
  const relatedById = new Map(related.map((r) => [String(r._id), r.published?.title ?? '']));
  return {
    id: String(a._id),
    state: a.state,
    title: p.title,
    summary: p.summary ?? '',
    categoryId: String(p.categoryId),
    categoryName: names.get(String(p.categoryId)) ?? '',
    blocks: parseBody(p.body),
    images: p.images.map((i) => ({ key: i.key, dataUrl: i.dataUrl, alt: i.alt ?? '' })),
    related: p.relatedIds.flatMap((r) => (relatedById.has(String(r)) ? [{ id: String(r), title: relatedById.get(String(r))! }] : [])),
    version: p.version,
    publishedAt: p.publishedAt,
    helpful: a.helpful,
    unhelpful: a.unhelpful,
    archivedAt: a.archivedAt ?? null,
    archivedReason: a.archivedReason ?? null,
  };
}

/** Safety tips for the fault form: the published articles of 安全用电. */
export async function safetyTips(limit = 4): Promise<{ id: string; title: string; summary: string }[]> {
  const cat = await KnowledgeCategoryModel.findOne({ nameKey: '安全用电' }, { _id: 1 }).lean();
  if (!cat) return [];
  const docs = await KnowledgeArticleModel.find({ state: 'published', categoryId: cat._id }, { 'published.title': 1, 'published.summary': 1 })
    .sort({ views: -1, _id: 1 })
    .limit(limit)
    .lean<ArticleDoc[]>();
  return docs.map((d) => ({ id: String(d._id), title: d.published?.title ?? '', summary: d.published?.summary ?? '' }));
}

// ---------------------------------------------------------------------------------------------
// Views, 问题已解决, votes

export async function recordView(user: AccessClaims | null, input: { articleId: string; source: ViewSource }): Promise<{ viewId: string }> {
  const a = await KnowledgeArticleModel.findOneAndUpdate(
    { _id: oid(input.articleId), state: { $in: ['published', 'archived'] } },
    { $inc: { views: 1 } },
    { projection: { categoryId: 1 } },
  ).lean();
  if (!a?.categoryId) throw notFound();
  const v = await KnowledgeViewModel.create({
    articleId: a._id,
    categoryId: a.categoryId,
    userId: user ? oid(user.sub) : null,
    source: input.source,
    at: new Date(),
  });
  return { viewId: String(v._id) };
}

/** The customer says the article solved it (问题已解决): marked on their own view. */
export async function markResolved(user: AccessClaims, viewId: string): Promise<{ ok: true }> {
  const r = await KnowledgeViewModel.updateOne({ _id: oid(viewId), userId: oid(user.sub) }, { $set: { resolvedAt: new Date() } });
  if (r.matchedCount === 0) throw new DomainError('NOT_FOUND', '浏览记录不存在');
  return { ok: true };
}

export const VOTE_REASONS = {
  helpful: ['解决了我的问题', '内容清楚易懂', '步骤可以照着做'],
  unhelpful: ['没有解决我的问题', '内容看不懂', '内容过时或有误', '找不到我要的信息'],
} as const;

/** One vote per person (or anonymous visitor key) per article, with one of VOTE_REASONS or a short text; voting again changes it. */
export async function vote(
  voterKey: string,
  input: { articleId: string; helpful: boolean; reason?: string | null },
): Promise<{ helpful: number; unhelpful: number }> {
  const a = await KnowledgeArticleModel.findOne({ _id: oid(input.articleId), state: 'published' }, { _id: 1 }).lean();
  if (!a) throw notFound();
  const prev = await KnowledgeVoteModel.findOneAndUpdate(
    { articleId: a._id, voterKey },
    { $set: { helpful: input.helpful, reason: input.reason ?? null, at: new Date() } },
    { upsert: true, returnDocument: 'before' },
  ).lean();
  const inc: Record<string, number> = {};
  if (!prev) inc[input.helpful ? 'helpful' : 'unhelpful'] = 1;
  else if (prev.helpful !== input.helpful) {
    inc[input.helpful ? 'helpful' : 'unhelpful'] = 1;
    inc[prev.helpful ? 'helpful' : 'unhelpful'] = -1;
  }
  const after = await KnowledgeArticleModel.findByIdAndUpdate(
    a._id,
    { $inc: inc },
    { returnDocument: 'after', projection: { helpful: 1, unhelpful: 1 } },
  ).lean();
  return { helpful: after?.helpful ?? 0, unhelpful: after?.unhelpful ?? 0 };
}

// ---------------------------------------------------------------------------------------------
// Deflection (SPEC §3.7): views from the consultation and fault forms; deflected = no order by the same person in 24 h

export async function deflectionByCategory(input: { from: Date; to: Date; now?: Date }): Promise<DeflectionRow[]> {
  const now = input.now ?? new Date();
  const views = await KnowledgeViewModel.find(
    { at: { $gte: input.from, $lt: input.to }, source: { $in: DEFLECTION_SOURCES }, userId: { $ne: null } },
    { categoryId: 1, userId: 1, at: 1, resolvedAt: 1 },
  ).lean();
  const users = [...new Set(views.map((v) => String(v.userId)))].map(oid);
  const orders = users.length
    ? await WorkOrderModel.find(
        { reporterUserId: { $in: users }, createdAt: { $gte: input.from, $lte: new Date(input.to.getTime() + 24 * 3600_000) } },
        { reporterUserId: 1, createdAt: 1 },
      ).lean()
    : [];
  const ordersBy = new Map<string, Date[]>();
  for (const o of orders) {
    const k = String(o.reporterUserId);
    ordersBy.set(k, [...(ordersBy.get(k) ?? []), (o as unknown as { createdAt: Date }).createdAt]);
  }
  const rows = new Map<string, DeflectionRow>();
  for (const v of views) {
    const k = String(v.categoryId);
    const row = rows.get(k) ?? { categoryId: k, views: 0, deflected: 0, filed: 0, pending: 0, resolvedClicks: 0, rate: null };
    row.views++;
    if (v.resolvedAt) row.resolvedClicks++;
    row[deflectionOutcome(v.at, ordersBy.get(String(v.userId)) ?? [], now)]++;
    rows.set(k, row);
  }
  return [...rows.values()].map((r) => ({ ...r, rate: deflectionRate(r.deflected, r.filed) }));
}

/** The deflection table with category names, for the console. */
export async function deflectionReport(input: { from: Date; to: Date }) {
  const [rows, cats] = await Promise.all([deflectionByCategory(input), listCategories()]);
  const byId = new Map(rows.map((r) => [r.categoryId, r]));
  return cats.map((c) => ({
    ...(byId.get(c.id) ?? { categoryId: c.id, views: 0, deflected: 0, filed: 0, pending: 0, resolvedClicks: 0, rate: null }),
    categoryName: c.name,
  }));
}

// ---------------------------------------------------------------------------------------------
// Editing and review

export interface ContentInput {
  title: string;
  summary?: string | null;
  body: string;
  tags?: string[];
  categoryId: string;
  relatedIds?: string[];
  images?: { key: string; dataUrl: string; alt?: string | null }[];
}

async function actorOf(user: AccessClaims) {
  const u = await UserModel.findById(user.sub, { displayName: 1 }).lean();
  return { id: user.sub, roles: user.roles, name: u?.displayName ?? '员工' };
}

/** Images as data URLs whose bytes are a PNG, JPEG or WebP (sniffed, never trusted from the prefix). */
function checkImages(images: NonNullable<ContentInput['images']>) {
  return images.map((img) => {
    const m = /^data:[^;,]+;base64,([A-Za-z0-9+/=]+)$/.exec(img.dataUrl);
    if (!m) throw new DomainError('BAD_REQUEST', '图片格式不正确，请重新上传');
    const buf = Buffer.from(m[1], 'base64');
    if (buf.length > MAX_IMAGE_BYTES) throw new DomainError('BAD_REQUEST', '单张图片不能超过512KB');
    const mime = sniffDocument(buf);
    if (mime === 'application/pdf') throw new DomainError('BAD_REQUEST', '正文只能插入图片（PNG、JPEG 或 WebP）');
    return { key: img.key, mime, dataUrl: `data:${mime};base64,${m[1]}`, alt: img.alt ?? '' };
  });
}

async function checkContent(c: ContentInput, selfId?: string) {
  const images = checkImages(c.images ?? []);
  checkBody(c.body, images);
  if (!(await KnowledgeCategoryModel.exists({ _id: oid(c.categoryId) }))) throw new DomainError('BAD_REQUEST', '请选择分类');
  const relatedIds = [...new Set(c.relatedIds ?? [])].filter((r) => r !== selfId).slice(0, 8);
  const found = await KnowledgeArticleModel.countDocuments({ _id: { $in: relatedIds.map(oid) } });
  if (found !== relatedIds.length) throw new DomainError('BAD_REQUEST', '相关文章不存在');
  return {
    title: c.title,
    summary: c.summary ?? '',
    body: c.body,
    tags: [...new Set(c.tags ?? [])].slice(0, 10),
    categoryId: oid(c.categoryId),
    relatedIds: relatedIds.map(oid),
    images,
  };
}

async function addHistory(
  articleId: Types.ObjectId,
  action: HistoryAction,
  actor: { id: string; name: string },
  text: { title: string; body: string },
  extra: { note?: string | null; version?: number | null } = {},
) {
  await KnowledgeHistoryModel.create({
    articleId,
    action,
    actorId: actor.id,
    actorName: actor.name,
    at: new Date(),
    note: extra.note ?? null,
    version: extra.version ?? null,
    title: text.title,
    body: text.body,
  });
}

const staleMessage = '文章已被他人修改，请刷新后重试';

/** Creates a draft, or saves the pending revision of an article (a published one stays live meanwhile). */
export async function saveDraft(
  user: AccessClaims,
  input: { articleId?: string | null; rev?: number; content: ContentInput },
): Promise<{ id: string; rev: number }> {
  const actor = await actorOf(user);
  if (!input.articleId) {
    checkWorkflow({ state: 'draft', revision: null }, 'edit', actor);
    const content = await checkContent(input.content);
    const doc = await KnowledgeArticleModel.create({
      state: 'draft',
      categoryId: null,
      revision: { ...content, state: 'editing', authorId: actor.id, authorName: actor.name, updatedAt: new Date(), baseVersion: null },
      createdById: actor.id,
    });
    await addHistory(doc._id, 'created', actor, content);
    return { id: String(doc._id), rev: doc.rev };
  }
  const a = await loadArticle(input.articleId);
  checkWorkflow(workflowOf(a), 'edit', actor);
  const content = await checkContent(input.content, input.articleId);
  const revision = {
    ...content,
    state: 'editing',
    authorId: actor.id,
    authorName: actor.name,
    updatedAt: new Date(),
    baseVersion: a.revision?.baseVersion ?? a.published?.version ?? null,
  };
  const updated = await KnowledgeArticleModel.findOneAndUpdate(
    { _id: a._id, rev: input.rev ?? a.rev, 'revision.state': { $ne: 'review' } },
    { $set: { revision }, $inc: { rev: 1 } },
    { returnDocument: 'after', projection: { rev: 1 } },
  ).lean();
  if (!updated) throw new DomainError('CONFLICT', staleMessage);
  await addHistory(a._id, a.revision || a.published ? 'edited' : 'created', actor, content);
  return { id: String(a._id), rev: updated.rev };
}

async function loadArticle(id: string): Promise<ArticleDoc> {
  if (!Types.ObjectId.isValid(id)) throw notFound();
  const a = await KnowledgeArticleModel.findById(id, { terms: 0, titleTerms: 0 }).lean<ArticleDoc>();
  if (!a) throw notFound();
  return a;
}

const workflowOf = (a: ArticleDoc) => ({
  state: a.state,
  revision: a.revision ? { state: a.revision.state as 'editing' | 'review', authorId: a.revision.authorId } : null,
});

/** A workflow step on an article, applied only if nobody changed it in between. */
export async function workflow(
  user: AccessClaims,
  input: { articleId: string; action: Exclude<WorkflowAction, 'edit'>; rev: number; note?: string | null },
): Promise<{ rev: number }> {
  const actor = await actorOf(user);
  const a = await loadArticle(input.articleId);
  const previousTerms = (await KnowledgeArticleModel.findById(a._id, { terms: 1 }).lean())?.terms ?? [];
  if (a.rev !== input.rev) throw new DomainError('CONFLICT', staleMessage);
  checkWorkflow(workflowOf(a), input.action, actor);
  const guard = { _id: a._id, rev: a.rev };
  const now = new Date();
  let set: Record<string, unknown> = {};
  let action: HistoryAction;
  let version: number | null = a.published?.version ?? null;
  const text = a.revision ?? a.published!;
  switch (input.action) {
    case 'submit':
      set = { 'revision.state': 'review', 'revision.updatedAt': now, 'revision.note': input.note ?? null };
      action = 'submitted';
      break;
    case 'reject':
      set = { 'revision.state': 'editing', 'revision.note': input.note ?? null };
      action = 'rejected';
      break;
    case 'discard':
      set = { revision: null };
      action = 'discarded';
      break;
    case 'approve': {
      const r = a.revision!;
      version = (a.published?.version ?? 0) + 1;
      const content = {
        title: r.title,
        summary: r.summary,
        body: r.body,
        tags: r.tags,
        categoryId: r.categoryId,
        relatedIds: r.relatedIds,
        images: r.images,
      };
      const { titleTerms, terms } = articleTerms({ title: r.title, body: plainText(r.body), tags: r.tags });
      set = {
        published: { ...content, version, publishedAt: now, approvedById: actor.id, approvedByName: actor.name },
        revision: null,
        state: a.state === 'archived' ? 'archived' : 'published',
        categoryId: r.categoryId,
        titleTerms,
        terms,
      };
      action = 'approved';
      break;
    }
    case 'archive':
      set = { state: 'archived', archivedAt: now, archivedReason: input.note ?? null };
      action = 'archived';
      break;
    case 'restore':
      if (!a.published) throw new DomainError('CONFLICT', '文章从未发布，不能恢复发布');
      set = { state: 'published', archivedAt: null, archivedReason: null };
      action = 'restored';
      break;
  }
  const updated = await KnowledgeArticleModel.findOneAndUpdate(
    guard,
    { $set: set, $inc: { rev: 1 } },
    { returnDocument: 'after', projection: { rev: 1 } },
  ).lean();
  if (!updated) throw new DomainError('CONFLICT', staleMessage);
  if (input.action === 'approve') {
    const old = await KnowledgeArticleModel.findById(a._id, { terms: 1, titleTerms: 1 }).lean();
    await indexArticle(a._id, previousTerms, { terms: old?.terms ?? [], titleTerms: old?.titleTerms ?? [] });
  }
  await addHistory(a._id, action, actor, { title: text.title, body: text.body }, { note: input.note, version });
  return { rev: updated.rev };
}

export interface StaffArticleRow {
  id: string;
  title: string;
  categoryName: string;
  state: string;
  stateLabel: string;
  revisionState: string | null;
  revisionLabel: string | null;
  revisionAuthor: string | null;
  version: number | null;
  views: number;
  helpful: number;
  unhelpful: number;
  updatedAt: Date;
}

/** The editors' list: every article, with a filter for what waits for review. */
export async function staffList(input: {
  state?: 'draft' | 'published' | 'archived' | 'review' | null;
  q?: string | null;
}): Promise<StaffArticleRow[]> {
  const filter: Record<string, unknown> = {};
  if (input.state === 'review') filter['revision.state'] = 'review';
  else if (input.state) filter.state = input.state;
  let ids: Types.ObjectId[] | null = null;
  if (input.q?.trim()) {
    const qn = input.q.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(qn, 'i');
    ids = (await KnowledgeArticleModel.find({ $or: [{ 'published.title': re }, { 'revision.title': re }] }, { _id: 1 }).lean()).map((d) => d._id);
    filter._id = { $in: ids };
  }
  const [docs, names] = await Promise.all([
    KnowledgeArticleModel.find(filter, {
      terms: 0,
      titleTerms: 0,
      'published.body': 0,
      'revision.body': 0,
      'published.images': 0,
      'revision.images': 0,
    })
      .sort({ updatedAt: -1 })
      .limit(300)
      .lean<ArticleDoc[]>(),
    categoryNames(),
  ]);
  return docs.map((a) => ({
    id: String(a._id),
    title: a.revision?.title ?? a.published?.title ?? '',
    categoryName: names.get(String(a.revision?.categoryId ?? a.categoryId)) ?? '',
    state: a.state,
    stateLabel: ARTICLE_STATE_LABELS[a.state],
    revisionState: a.revision?.state ?? null,
    revisionLabel: a.revision ? REVISION_STATE_LABELS[a.revision.state as 'editing' | 'review'] : null,
    revisionAuthor: a.revision?.authorName ?? null,
    version: a.published?.version ?? null,
    views: a.views,
    helpful: a.helpful,
    unhelpful: a.unhelpful,
    updatedAt: a.updatedAt,
  }));
}

/** One article for the editors: the published version, the pending revision, the diff between them, the history. */
export async function staffArticle(id: string) {
  const a = await loadArticle(id);
  const [names, history] = await Promise.all([categoryNames(), KnowledgeHistoryModel.find({ articleId: a._id }).sort({ at: 1, _id: 1 }).lean()]);
  const content = (c: NonNullable<ArticleDoc['published']> | NonNullable<ArticleDoc['revision']>) => ({
    title: c.title,
    summary: c.summary ?? '',
    body: c.body,
    tags: c.tags,
    categoryId: String(c.categoryId),
    categoryName: names.get(String(c.categoryId)) ?? '',
    relatedIds: c.relatedIds.map(String),
    images: c.images.map((i) => ({ key: i.key, dataUrl: i.dataUrl, alt: i.alt ?? '' })),
    blocks: parseBody(c.body),
  });
  const pub = a.published;
  const rev = a.revision;
  const diff = rev ? diffText(pub ? `${pub.title}\n${pub.body}` : '', `${rev.title}\n${rev.body}`) : null;
  return {
    id: String(a._id),
    rev: a.rev,
    state: a.state,
    stateLabel: ARTICLE_STATE_LABELS[a.state],
    archivedReason: a.archivedReason ?? null,
    published: pub ? { ...content(pub), version: pub.version, publishedAt: pub.publishedAt, approvedByName: pub.approvedByName ?? null } : null,
    revision: rev
      ? {
          ...content(rev),
          state: rev.state,
          stateLabel: REVISION_STATE_LABELS[rev.state as 'editing' | 'review'],
          authorId: rev.authorId,
          authorName: rev.authorName,
          updatedAt: rev.updatedAt,
          note: rev.note ?? null,
        }
      : null,
    diff,
    diffStats: diff ? diffStats(diff) : null,
    history: history.map((h) => ({
      id: String(h._id),
      action: h.action,
      actionLabel: HISTORY_ACTION_LABELS[h.action as HistoryAction],
      actorName: h.actorName,
      at: h.at,
      note: h.note ?? null,
      version: h.version ?? null,
    })),
    views: a.views,
    helpful: a.helpful,
    unhelpful: a.unhelpful,
  };
}

/** The diff between two history entries of one article (older first). */
export async function historyDiff(input: { articleId: string; fromId: string; toId: string }) {
  const entries = await KnowledgeHistoryModel.find({ _id: { $in: [oid(input.fromId), oid(input.toId)] }, articleId: oid(input.articleId) }).lean();
  const from = entries.find((e) => String(e._id) === input.fromId);
  const to = entries.find((e) => String(e._id) === input.toId);
  if (!from || !to) throw new DomainError('NOT_FOUND', '历史版本不存在');
  const lines = diffText(`${from.title}\n${from.body}`, `${to.title}\n${to.body}`);
  return { lines, stats: diffStats(lines) };
}

/** For agents: a hit with the excerpt they may insert into a reply. */
export async function agentSearch(input: { q: string; limit?: number }) {
  const hits = await search({ q: input.q, limit: input.limit ?? 6 });
  if (!hits.length) return [];
  const docs = await KnowledgeArticleModel.find({ _id: { $in: hits.map((h) => oid(h.id)) } }, { 'published.summary': 1, 'published.body': 1 }).lean<
    ArticleDoc[]
  >();
  const byId = new Map(docs.map((d) => [String(d._id), d.published]));
  return hits.map((h) => {
    const p = byId.get(h.id);
    const text = p?.summary || plainText(p?.body ?? '').split('\n')[0] || '';
    return { ...h, excerpt: text.length > 160 ? `${text.slice(0, 160)}…` : text, path: `/knowledge/${h.id}` };
  });
}
