import { z } from 'zod';
import { noteSchema, objectIdSchema, textSchema } from '../../lib/schemas';
import { authedProcedure, publicProcedure, router } from '../../trpc/trpc';
import { MAX_BODY_CHARS, MAX_IMAGES } from './content.rules';
import { VIEW_SOURCES } from './knowledge.rules';
import {
  agentSearch,
  deflectionReport,
  historyDiff,
  listCategories,
  markResolved,
  publicArticle,
  publicList,
  recordView,
  safetyTips,
  saveCategory,
  saveDraft,
  search,
  staffArticle,
  staffList,
  VOTE_REASONS,
  vote,
  workflow,
} from './knowledge.service';
import { checkReply, PHRASE_SCENARIO_LABELS, PHRASE_SCENARIOS, STANDARD_PHRASES } from './phrases.rules';

// Who may call each procedure: trpc/access-table.ts.

const query = z.string({ error: '请输入要搜索的内容' }).trim().min(1, '请输入要搜索的内容').max(100, '搜索内容不能超过100字');
const content = z.object({
  title: textSchema('请填写标题', 60),
  summary: noteSchema(200),
  body: textSchema('请填写正文', MAX_BODY_CHARS),
  tags: z.array(z.string().trim().min(1).max(20, '标签不能超过20字')).max(10, '标签最多10个').default([]),
  categoryId: objectIdSchema,
  relatedIds: z.array(objectIdSchema).max(8, '相关文章最多8篇').default([]),
  images: z
    .array(
      z.object({
        key: z.string().regex(/^[a-z0-9_-]{1,20}$/i, '图片编号不正确'),
        dataUrl: z.string().max(800_000, '单张图片不能超过512KB'),
        alt: noteSchema(60),
      }),
    )
    .max(MAX_IMAGES, `每篇文章最多${MAX_IMAGES}张图片`)
    .default([]),
});
const range = z.object({ from: z.coerce.date({ error: '请选择开始日期' }), to: z.coerce.date({ error: '请选择结束日期' }) });

export const knowledgeRouter = router({
  // ---- public (no login): categories, search, articles, votes
  categories: publicProcedure.query(() => listCategories()),
  search: publicProcedure
    .input(z.object({ q: query, categoryId: objectIdSchema.nullish(), limit: z.number().int().min(1).max(20).default(10) }))
    .query(({ input }) => search(input)),
  list: publicProcedure
    .input(z.object({ categoryId: objectIdSchema.nullish(), limit: z.number().int().min(1).max(100).default(50) }).optional())
    .query(({ input }) => publicList(input ?? {})),
  article: publicProcedure.input(z.object({ id: objectIdSchema })).query(({ input }) => publicArticle(input.id)),
  safetyTips: publicProcedure.query(() => safetyTips()),
  voteReasons: publicProcedure.query(() => VOTE_REASONS),
  vote: publicProcedure
    .input(z.object({ articleId: objectIdSchema, helpful: z.boolean({ error: '请选择是否有帮助' }), reason: noteSchema(200) }))
    .mutation(({ ctx, input }) => vote(ctx.user ? `u:${ctx.user.sub}` : `ip:${ctx.ip}`, input)),
  // ---- a view from a form or a page (anonymous views are kept without a person); 问题已解决 on one's own view
  view: publicProcedure
    .input(z.object({ articleId: objectIdSchema, source: z.enum(VIEW_SOURCES, { error: '来源不正确' }) }))
    .mutation(({ ctx, input }) => recordView(ctx.user, input)),
  resolved: authedProcedure.input(z.object({ viewId: objectIdSchema })).mutation(({ ctx, input }) => markResolved(ctx.user, input.viewId)),

  // ---- agents: search with excerpts, standard phrases, the house-style check
  agentSearch: authedProcedure.input(z.object({ q: query })).query(({ input }) => agentSearch(input)),
  phrases: authedProcedure.query(() => ({
    scenarios: PHRASE_SCENARIOS.map((s) => ({
      key: s,
      label: PHRASE_SCENARIO_LABELS[s],
      phrases: STANDARD_PHRASES.filter((p) => p.scenario === s).map((p) => p.text),
    })),
  })),
  checkReply: authedProcedure
    .input(z.object({ text: z.string().max(2000, '内容不能超过2000字'), customerLast: z.string().max(2000).nullish() }))
    .query(({ input }) => checkReply(input.text, input.customerLast)),

  // ---- editors and reviewers
  staffList: authedProcedure
    .input(z.object({ state: z.enum(['draft', 'published', 'archived', 'review']).nullish(), q: z.string().trim().max(60).nullish() }).optional())
    .query(({ input }) => staffList(input ?? {})),
  staffArticle: authedProcedure.input(z.object({ id: objectIdSchema })).query(({ input }) => staffArticle(input.id)),
  saveDraft: authedProcedure
    .input(z.object({ articleId: objectIdSchema.nullish(), rev: z.number().int().min(0).optional(), content }))
    .mutation(({ ctx, input }) => saveDraft(ctx.user, input)),
  workflow: authedProcedure
    .input(
      z.object({
        articleId: objectIdSchema,
        action: z.enum(['submit', 'approve', 'reject', 'archive', 'restore', 'discard'], { error: '操作不正确' }),
        rev: z.number().int().min(0),
        note: noteSchema(300),
      }),
    )
    .mutation(({ ctx, input }) => workflow(ctx.user, input)),
  historyDiff: authedProcedure
    .input(z.object({ articleId: objectIdSchema, fromId: objectIdSchema, toId: objectIdSchema }))
    .query(({ input }) => historyDiff(input)),
  saveCategory: authedProcedure
    .input(
      z.object({
        id: objectIdSchema.optional(),
        name: textSchema('请填写分类名称', 20),
        description: noteSchema(100),
        order: z.number().int().min(0).max(999).optional(),
      }),
    )
    .mutation(({ input }) => saveCategory(input)),
  deflection: authedProcedure.input(range).query(({ input }) => deflectionReport(input)),
});
