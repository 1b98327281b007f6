import { type InferSchemaType, model, Schema, Types } from 'mongoose';
import { ARTICLE_STATES, HISTORY_ACTIONS, REVISION_STATES, VIEW_SOURCES } from './knowledge.rules';

const categorySchema = new Schema(
  {
    name: { type: String, required: true },
    /** Lower-case name, unique (collation is ignored by the embedded server). */
    nameKey: { type: String, required: true },
    order: { type: Number, required: true, default: 0 },
    description: { type: String, default: '' },
  },
  { timestamps: true, versionKey: false },
);
categorySchema.index({ nameKey: 1 }, { unique: true });
export const KnowledgeCategoryModel = model('KnowledgeCategory', categorySchema, 'knowledge_categories');

const imageSchema = new Schema(
  {
    key: { type: String, required: true },
    mime: { type: String, required: true },
    /** A data: URL of a PNG, JPEG or WebP whose bytes were checked (never SVG); rendered by <img> only. */
    dataUrl: { type: String, required: true },
    alt: { type: String, default: '' },
  },
  { _id: false },
);

/** The text of one version (published, or a pending revision). */
const contentFields = {
  title: { type: String, required: true },
  summary: { type: String, default: '' },
  body: { type: String, required: true },
  tags: { type: [String], default: [] },
  categoryId: { type: Types.ObjectId, required: true },
  relatedIds: { type: [Types.ObjectId], default: [] },
  images: { type: [imageSchema], default: [] },
};

const publishedSchema = new Schema(
  {
    ...contentFields,
    version: { type: Number, required: true },
    publishedAt: { type: Date, required: true },
    approvedById: { type: String, default: null },
    approvedByName: { type: String, default: null },
  },
  { _id: false },
);

const revisionSchema = new Schema(
  {
    ...contentFields,
    state: { type: String, enum: REVISION_STATES, required: true },
    authorId: { type: String, required: true },
    authorName: { type: String, required: true },
    updatedAt: { type: Date, required: true },
    /** The published version this revision started from (null for a first draft). */
    baseVersion: { type: Number, default: null },
    note: { type: String, default: null },
  },
  { _id: false },
);

const articleSchema = new Schema(
  {
    /** Stable name of a seeded article (the query set refers to it); absent for articles written in the console. */
    slug: { type: String, default: undefined },
    state: { type: String, enum: ARTICLE_STATES, required: true },
    /** Of the published version: what lists and search show. */
    categoryId: { type: Types.ObjectId, default: null },
    published: { type: publishedSchema, default: null },
    revision: { type: revisionSchema, default: null },
    /** Search index of the published version (search.rules.ts): title terms weigh more; `terms` is every term. */
    titleTerms: { type: [String], default: [] },
    terms: { type: [String], default: [] },
    views: { type: Number, default: 0 },
    helpful: { type: Number, default: 0 },
    unhelpful: { type: Number, default: 0 },
    archivedAt: { type: Date, default: null },
    archivedReason: { type: String, default: null },
    createdById: { type: String, required: true },
    /** Bumped on every change: a stale editor's save is refused instead of overwriting. */
    rev: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);
articleSchema.index({ terms: 1, state: 1 });
articleSchema.index({ slug: 1 }, { unique: true, sparse: true });
articleSchema.index({ state: 1, categoryId: 1, views: -1 });
articleSchema.index({ 'revision.state': 1 });
export type ArticleDoc = InferSchemaType<typeof articleSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export const KnowledgeArticleModel = model('KnowledgeArticle', articleSchema, 'knowledge_articles');

const historySchema = new Schema(
  {
    articleId: { type: Types.ObjectId, required: true },
    action: { type: String, enum: HISTORY_ACTIONS, required: true },
    actorId: { type: String, required: true },
    actorName: { type: String, required: true },
    at: { type: Date, required: true },
    note: { type: String, default: null },
    /** The published version this entry made (approve) or refers to. */
    version: { type: Number, default: null },
    /** The text at this point (what a diff between two entries compares). */
    title: { type: String, required: true },
    body: { type: String, required: true },
  },
  { versionKey: false },
);
historySchema.index({ articleId: 1, at: 1 });
export const KnowledgeHistoryModel = model('KnowledgeHistory', historySchema, 'knowledge_history');

const viewSchema = new Schema(
  {
    articleId: { type: Types.ObjectId, required: true },
    categoryId: { type: Types.ObjectId, required: true },
    userId: { type: Types.ObjectId, default: null },
    source: { type: String, enum: VIEW_SOURCES, required: true },
    at: { type: Date, required: true },
    /** When the customer said 问题已解决 on this view. */
    resolvedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
viewSchema.index({ at: 1, source: 1 });
viewSchema.index({ userId: 1, articleId: 1, at: -1 });
export const KnowledgeViewModel = model('KnowledgeView', viewSchema, 'knowledge_views');

const voteSchema = new Schema(
  {
    articleId: { type: Types.ObjectId, required: true },
    /** Signed-in voter, or an anonymous visitor's key (one vote per visitor per article). */
    voterKey: { type: String, required: true },
    helpful: { type: Boolean, required: true },
    reason: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
voteSchema.index({ articleId: 1, voterKey: 1 }, { unique: true });
export const KnowledgeVoteModel = model('KnowledgeVote', voteSchema, 'knowledge_votes');

/**
 * The same terms inverted, one document per term (`_id` = the term): the articles that have it anywhere (`a`)
 * and in the title (`t`). Search reads these by `_id`, which every server answers from its primary index; the
 * embedded server ignores non-unique secondary indexes, so `find({ terms: { $in } })` there scans every article
 * (measured: ~40 ms at 60 articles). Kept in step with the articles' `terms` by knowledge.service (indexArticle).
 */
const termSchema = new Schema(
  {
    _id: { type: String, required: true },
    a: { type: [Types.ObjectId], default: [] },
    t: { type: [Types.ObjectId], default: [] },
  },
  { versionKey: false },
);
export const KnowledgeTermModel = model('KnowledgeTerm', termSchema, 'knowledge_terms');
