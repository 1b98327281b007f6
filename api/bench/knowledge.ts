/**
 * Knowledge search (issue 13) over 5,000 published articles: the seeded base plus generated variants of it
 * (each seeded article rewritten for a district and a season, so titles and bodies overlap the way a real base
 * of local notices does). Queries cycle through the 79 customer queries of queries.data.ts.
 *
 * Part of `npm run bench` (against the API process it started: `API knowledge.search`); on its own, in process
 * with its own embedded MongoDB: `npx tsx bench/knowledge.ts` (KB_ARTICLES, BENCH_SECONDS, BENCH_CONNECTIONS).
 */
import { pathToFileURL } from 'node:url';
import mongoose, { Types } from 'mongoose';
import { SEED_ARTICLES } from '../src/modules/knowledge/articles.data';
import { plainText } from '../src/modules/knowledge/content.rules';
import { KnowledgeArticleModel, KnowledgeCategoryModel } from '../src/modules/knowledge/knowledge.model';
import { rebuildTermIndex, search } from '../src/modules/knowledge/knowledge.service';
import { QUERY_SET } from '../src/modules/knowledge/queries.data';
import { articleTerms } from '../src/modules/knowledge/search.rules';
import { seedKnowledge } from '../src/seed/knowledge.seed';
import type { BenchRow } from './row';

function percentiles(lat: number[]) {
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] ?? NaN;
  return { p50: q(50), p95: q(95), p99: q(99) };
}

const DISTRICTS = ['岳麓区', '芙蓉区', '天心区', '开福区', '雨花区', '望城区', '长沙县', '浏阳市', '宁乡市', '湘江新区'];
const SEASONS = ['春季', '夏季', '秋季', '冬季', '汛期', '春节期间', '高温期间', '寒潮期间'];

/** Tops the base up to `total` published articles (idempotent: generated ones carry a `bench-` slug). */
export async function seedBenchArticles(total: number): Promise<number> {
  await seedKnowledge();
  const have = await KnowledgeArticleModel.countDocuments({ state: 'published' });
  const cats = new Map((await KnowledgeCategoryModel.find().lean()).map((c) => [c.name, c._id]));
  const docs = [];
  for (let i = 0; have + docs.length < total; i++) {
    const a = SEED_ARTICLES[i % SEED_ARTICLES.length];
    const d = DISTRICTS[i % DISTRICTS.length];
    const s = SEASONS[Math.floor(i / SEED_ARTICLES.length) % SEASONS.length];
    const title = `${d}${s}：${a.title}`;
    const body = `${d}供电服务中心提示（${s}）。\n\n${a.body}`;
    const categoryId = cats.get(a.category)!;
    const { titleTerms, terms } = articleTerms({ title, body: plainText(body), tags: a.tags });
    docs.push({
      _id: new Types.ObjectId(),
      slug: `bench-${i}-${a.slug}`,
      state: 'published',
      categoryId,
      published: { title, summary: a.summary, body, tags: a.tags, categoryId, relatedIds: [], images: [], version: 1, publishedAt: new Date() },
      titleTerms,
      terms,
      createdById: 'bench',
    });
  }
  for (let i = 0; i < docs.length; i += 500) await KnowledgeArticleModel.insertMany(docs.slice(i, i + 500), { ordered: false });
  if (docs.length) await rebuildTermIndex();
  return KnowledgeArticleModel.countDocuments({ state: 'published' });
}

async function loop(seconds: number, connections: number, op: (q: string) => Promise<unknown>) {
  const lat: number[] = [];
  let errors = 0;
  let k = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) {
        const q = QUERY_SET[k++ % QUERY_SET.length].q;
        const t0 = performance.now();
        try {
          await op(q);
          lat.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { rps: lat.length / seconds, ...percentiles(lat), errors };
}

/** `API knowledge.search (N articles)`: public search over HTTP against a running API on this database. */
export async function knowledgeRows(o: { base: string; articles?: number; seconds: number; connections: number }): Promise<BenchRow[]> {
  const n = await seedBenchArticles(o.articles ?? 5000);
  const r = await loop(o.seconds, o.connections, async (q) => {
    const res = await fetch(`${o.base}/trpc/knowledge.search?input=${encodeURIComponent(JSON.stringify({ q, limit: 5 }))}`);
    if (!res.ok) throw new Error(String(res.status));
    await res.arrayBuffer();
  });
  return [{ name: `API knowledge.search (${n} articles)`, ...r }];
}

async function main() {
  const { openBenchDatabase } = await import('./database');
  const { stop } = await openBenchDatabase('bench_knowledge');
  const n = await seedBenchArticles(Number(process.env.KB_ARTICLES ?? 5000));
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const one = await loop(seconds, 1, (q) => search({ q, limit: 5 }));
  const many = await loop(seconds, Number(process.env.BENCH_CONNECTIONS ?? 8), (q) => search({ q, limit: 5 }));
  // A generated variant answers the same question as its original: a hit on either counts.
  const baseOf = new Map((await KnowledgeArticleModel.find({}, { slug: 1 }).lean()).map((a) => [String(a._id), a.slug?.replace(/^bench-\d+-/, '')]));
  let found = 0;
  for (const { q, expect } of QUERY_SET) if ((await search({ q, limit: 5 })).some((h) => baseOf.get(h.id) === expect)) found++;
  const fmt = (x: number) => x.toFixed(1).padStart(9);
  console.log(`${'scenario'.padEnd(50)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}  errors`);
  for (const [name, r] of [
    [`knowledge search in process, 1 client (${n})`, one],
    [`knowledge search in process, ${process.env.BENCH_CONNECTIONS ?? 8} clients (${n})`, many],
  ] as const)
    console.log(`${name.padEnd(50)}${fmt(r.rps)}${fmt(r.p50)}${fmt(r.p95)}${fmt(r.p99)}  ${r.errors}`);
  console.log(`recall@5 (an article or its generated variants) among ${n}: ${(found / QUERY_SET.length).toFixed(3)} (${found}/${QUERY_SET.length})`);
  await mongoose.disconnect();
  await stop();
  process.exit(0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
