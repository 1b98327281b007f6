import { Types } from 'mongoose';
import { KNOWLEDGE_CATEGORIES, SEED_ARTICLES } from '../modules/knowledge/articles.data';
import { plainText } from '../modules/knowledge/content.rules';
import { KnowledgeArticleModel, KnowledgeCategoryModel, KnowledgeHistoryModel } from '../modules/knowledge/knowledge.model';
import { rebuildTermIndex } from '../modules/knowledge/knowledge.service';
import { articleTerms } from '../modules/knowledge/search.rules';

/** Who the seeded articles were written and approved by, in their history. */
const SEED_AUTHOR = { id: 'seed', name: '知识库初始化' };

/**
 * The knowledge base's categories and published articles (articles.data.ts), version 1 each, with their
 * history. Idempotent: categories and articles that exist (by name / slug) are left as they are.
 */
export async function seedKnowledge(opts: { log?: (m: string) => void } = {}) {
  const started = Date.now();
  const catIds = new Map<string, Types.ObjectId>();
  for (const [i, c] of KNOWLEDGE_CATEGORIES.entries()) {
    const doc = await KnowledgeCategoryModel.findOneAndUpdate(
      { nameKey: c.name.toLowerCase() },
      { $setOnInsert: { name: c.name, nameKey: c.name.toLowerCase(), description: c.description, order: i + 1 } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    catIds.set(c.name, doc!._id);
  }
  const existing = new Map(
    (await KnowledgeArticleModel.find({ slug: { $in: SEED_ARTICLES.map((a) => a.slug) } }, { slug: 1 }).lean()).map((a) => [a.slug, a._id]),
  );
  const ids = new Map<string, Types.ObjectId>(SEED_ARTICLES.map((a) => [a.slug, existing.get(a.slug) ?? new Types.ObjectId()]));
  const at = new Date();
  const fresh = SEED_ARTICLES.filter((a) => !existing.has(a.slug));
  if (fresh.length) {
    await KnowledgeArticleModel.insertMany(
      fresh.map((a) => {
        const categoryId = catIds.get(a.category)!;
        const { titleTerms, terms } = articleTerms({ title: a.title, body: plainText(a.body), tags: a.tags });
        return {
          _id: ids.get(a.slug),
          slug: a.slug,
          state: 'published',
          categoryId,
          published: {
            title: a.title,
            summary: a.summary,
            body: a.body,
            tags: a.tags,
            categoryId,
            relatedIds: a.related.flatMap((s) => (ids.has(s) ? [ids.get(s)!] : [])),
            images: [],
            version: 1,
            publishedAt: at,
            approvedById: SEED_AUTHOR.id,
            approvedByName: SEED_AUTHOR.name,
          },
          revision: null,
          titleTerms,
          terms,
          createdById: SEED_AUTHOR.id,
        };
      }),
    );
    await KnowledgeHistoryModel.insertMany(
      fresh.flatMap((a) =>
        (['created', 'approved'] as const).map((action) => ({
          articleId: ids.get(a.slug),
          action,
          actorId: SEED_AUTHOR.id,
          actorName: SEED_AUTHOR.name,
          at,
          version: action === 'approved' ? 1 : null,
          title: a.title,
          body: a.body,
        })),
      ),
    );
  }
  if (fresh.length) await rebuildTermIndex();
  opts.log?.(`knowledge: ${KNOWLEDGE_CATEGORIES.length} categories, ${fresh.length} articles in ${Date.now() - started} ms`);
  return { categories: KNOWLEDGE_CATEGORIES.length, articles: fresh.length };
}
