/**
 * Chinese search for the knowledge base, pure (no database): normalisation, terms for the index,
 * query analysis with synonyms, the score, and highlighting.
 *
 * Why not `$text`: the embedded server has none, and MongoDB's own text index does not segment Chinese.
 * Instead every published article carries `terms` (a multikey array with an index) and `titleTerms`:
 *   - words from jieba (search mode, so 违约金 also gives 违约), stop words left out;
 *   - character bigrams of every run of Chinese characters (finds words the dictionary does not know);
 *   - `c:<字>` single characters, only used when the query is one character;
 *   - `~<group>` for every synonym group one of whose members occurs in the text (so 没电 finds 停电).
 *
 * The score (documented here, tested in search.rules.test.ts): the query becomes units, each with a weight —
 * a synonym group 4, a word 3 (an ASCII word or number 3), a bigram 1, a single character 1. An article earns
 * weight × 3 for a unit found in its title and weight × 1 for one found only in its body; plus 6 when the whole
 * query appears in the title. An article is a match when it reaches a quarter of what a body-only match of every
 * unit would earn (and at least 1). Ties go to the more viewed, then the newer article.
 */
import { cut, cut_for_search } from 'jieba-wasm';

export const TITLE_FACTOR = 3;
export const BODY_FACTOR = 1;
export const WHOLE_QUERY_IN_TITLE_BONUS = 6;
export const UNIT_WEIGHT = { synonym: 4, word: 3, bigram: 1, char: 1 } as const;
export const MIN_SHARE = 0.25;

/** Words that alone say nothing about the topic (they stay inside bigrams only when not stop words). */
const STOP_WORDS = new Set(
  (
    '的 了 吗 呢 啊 吧 呀 哦 嗯 是 在 有 和 与 及 或 我 你 您 他 她 它 我们 你们 他们 我家 家里 这 那 这个 那个 这样 那样 ' +
    '怎么 怎么办 怎样 如何 什么 为什么 为何 哪里 哪儿 哪个 多少 几 请问 请 一下 一个 可以 能 能否 能不能 会 要 想 需要 ' +
    '还 就 都 也 又 才 很 太 非常 已经 没有 不 没 现在 今天 昨天 时候 问题 情况 办法 告诉 知道 帮 帮忙 麻烦 谢谢 你好 您好 ' +
    '一直 突然 然后 但是 因为 所以 如果 应该 是否 还是 一 个 下 上 里 中 把 被 给 让 对 从 到 去 来 过 着 得 地 啦 么 嘛'
  ).split(/\s+/),
);

/**
 * Synonym groups (SPEC §3.7: 没电 finds 停电). The first member names the group in the index (`~停电`).
 * Members are matched as substrings of the normalised text, longest first.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['停电', '没电', '断电', '跳闸', '停了', '无电', '没有电', '不来电', '失电', '掉电', '黑灯'],
  ['电费', '电价', '电钱', '电费单', '度电', '每度'],
  ['回复', '答复', '回电', '回话'],
  ['缴费', '交费', '交电费', '缴电费', '付电费', '充值', '充电费', '付款', '支付', '代缴', '代交'],
  ['电表', '电能表', '电度表', '表计', '智能表', '电表箱'],
  ['违约金', '滞纳金', '罚金', '逾期费'],
  ['复电', '恢复供电', '恢复送电', '来电', '送电'],
  ['发票', '开票', '票据', '增值税发票', '专票', '普票'],
  ['新装', '报装', '装表', '开户', '接电', '新上电', '装电表', '申请用电'],
  ['过户', '更名', '改名', '户名变更', '换户名'],
  ['增容', '扩容', '加容量', '减容', '容量变更'],
  ['触电', '漏电', '电到人', '被电'],
  ['抢修', '维修', '报修', '修理', '修电'],
  ['智能交费', '预付费', '预存', '预交'],
  ['阶梯', '阶梯电价', '分档', '分档电价'],
  ['校表', '校验电表', '电表不准', '走得快', '走字快', '表走得快'],
  ['闪烁', '忽明忽暗', '电压不稳', '一闪一闪', '电压低', '灯闪'],
  ['打火', '冒烟', '火花', '烧焦', '冒火', '着火'],
  ['电线', '电缆', '导线', '线断', '电线杆'],
  ['户号', '用户编号', '户头', '客户编号'],
  ['欠费', '拖欠', '没交', '未交', '逾期未缴'],
  ['余额', '剩余电费', '还剩多少'],
  ['峰谷', '分时', '峰平谷', '谷电', '峰电'],
  ['漏电保护器', '漏保', '空开', '空气开关', '总闸', '电闸'],
];

/** Particles that make no bigram worth indexing (电了, 的电). */
const PARTICLES = new Set([...'了的吗呢吧啊呀哦么嘛着过']);

const CJK = /[\u3400-\u9fff]/;
const CJK_RUN = /[\u3400-\u9fff]+/g;
const ASCII_WORD = /^[a-z0-9]+$/;

/** Full-width to half-width (NFKC), lower case, whitespace collapsed. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const isUseful = (w: string) => {
  if (STOP_WORDS.has(w)) return false;
  if (CJK.test(w)) return w.length >= 2 && [...w].every((c) => CJK.test(c));
  return ASCII_WORD.test(w) && (w.length >= 2 || /^\d$/.test(w));
};

/** Words of the text (jieba, search mode), stop words and punctuation left out, in order, deduplicated. */
export function words(text: string, mode: 'index' | 'query' = 'index'): string[] {
  const n = normalize(text);
  if (!n) return [];
  const raw = mode === 'index' ? cut_for_search(n, true) : cut(n, true);
  return [...new Set(raw.map((w) => w.trim()).filter(isUseful))];
}

/** Character bigrams of every run of Chinese characters, minus those that are stop words. */
export function bigrams(text: string): string[] {
  const out = new Set<string>();
  for (const run of normalize(text).match(CJK_RUN) ?? []) {
    const cs = [...run];
    for (let i = 0; i + 1 < cs.length; i++) {
      const b = cs[i] + cs[i + 1];
      if (!STOP_WORDS.has(b) && !PARTICLES.has(cs[i]) && !PARTICLES.has(cs[i + 1])) out.add(b);
    }
  }
  return [...out];
}

/** Which synonym groups occur in the text, with the member found and where (longest member first). */
export function synonymHits(text: string): { group: number; member: string; index: number }[] {
  const n = normalize(text);
  const hits: { group: number; member: string; index: number }[] = [];
  SYNONYM_GROUPS.forEach((g, group) => {
    const members = [...g].sort((a, b) => b.length - a.length);
    for (const m of members) {
      const index = n.indexOf(m);
      if (index >= 0) {
        hits.push({ group, member: m, index });
        break;
      }
    }
  });
  return hits;
}
export const synonymTerm = (group: number) => `~${SYNONYM_GROUPS[group][0]}`;

/** Every term of a text for the index (words, bigrams, single characters, synonym groups), deduplicated. */
export function indexTerms(text: string): string[] {
  const n = normalize(text);
  const set = new Set<string>([...words(n), ...bigrams(n)]);
  for (const c of n) if (CJK.test(c)) set.add(`c:${c}`);
  for (const h of synonymHits(n)) set.add(synonymTerm(h.group));
  return [...set];
}

/** The terms an article is indexed under: title terms apart (they weigh more), all terms together. */
export function articleTerms(a: { title: string; body: string; tags?: readonly string[] }): { titleTerms: string[]; terms: string[] } {
  const titleTerms = indexTerms(`${a.title} ${(a.tags ?? []).join(' ')}`);
  const terms = [...new Set([...titleTerms, ...indexTerms(a.body)])];
  return { titleTerms, terms };
}

export interface QueryUnit {
  kind: keyof typeof UNIT_WEIGHT;
  weight: number;
  /** The index term this unit matches. */
  term: string;
  /** What to highlight when the unit matches (the word itself, or every member of its synonym group). */
  surfaces: string[];
}
export interface AnalysedQuery {
  normalized: string;
  units: QueryUnit[];
  /** The least score a match must reach. */
  minScore: number;
}

/** The query as weighted units (see the header for the weights). */
export function analyseQuery(q: string): AnalysedQuery {
  const normalized = normalize(q).slice(0, 100);
  const units: QueryUnit[] = [];
  const seen = new Set<string>();
  const add = (u: Omit<QueryUnit, 'weight'>) => {
    if (seen.has(u.term)) return;
    seen.add(u.term);
    units.push({ ...u, weight: UNIT_WEIGHT[u.kind] });
  };
  const cjkChars = [...normalized].filter((c) => CJK.test(c));
  if (cjkChars.length === 1 && normalized.replace(/[^\p{L}\p{N}]/gu, '').length === 1) {
    add({ kind: 'char', term: `c:${cjkChars[0]}`, surfaces: [cjkChars[0]] });
  }
  const synonymSpans: [number, number][] = [];
  for (const h of synonymHits(normalized)) {
    add({ kind: 'synonym', term: synonymTerm(h.group), surfaces: [...SYNONYM_GROUPS[h.group]] });
    synonymSpans.push([h.index, h.index + h.member.length]);
  }
  const insideSynonym = (w: string) => {
    const i = normalized.indexOf(w);
    return i >= 0 && synonymSpans.some(([s, e]) => i >= s && i + w.length <= e);
  };
  for (const w of words(normalized, 'query')) if (!insideSynonym(w)) add({ kind: 'word', term: w, surfaces: [w] });
  for (const w of words(normalized, 'index')) if (!insideSynonym(w)) add({ kind: 'word', term: w, surfaces: [w] });
  for (const b of bigrams(normalized)) if (!insideSynonym(b)) add({ kind: 'bigram', term: b, surfaces: [b] });
  const bodyAll = units.reduce((s, u) => s + u.weight * BODY_FACTOR, 0);
  return { normalized, units, minScore: Math.max(1, bodyAll * MIN_SHARE) };
}

export interface Candidate {
  title: string;
  /** The terms of the query this article has in its title, and anywhere. */
  titleHits: readonly string[];
  hits: readonly string[];
}

/** The article's score for the query (see the header). */
export function scoreCandidate(q: AnalysedQuery, c: Candidate): number {
  const inTitle = new Set(c.titleHits);
  const anywhere = new Set(c.hits);
  let score = 0;
  for (const u of q.units) {
    if (inTitle.has(u.term)) score += u.weight * TITLE_FACTOR;
    else if (anywhere.has(u.term)) score += u.weight * BODY_FACTOR;
  }
  if (q.normalized.length >= 2 && normalize(c.title).includes(q.normalized)) score += WHOLE_QUERY_IN_TITLE_BONUS;
  return score;
}

export interface Ranked<T> {
  item: T;
  score: number;
}

/** Matches only, best first; ties by views, then by publication. */
export function rank<T extends Candidate & { views?: number; publishedAt?: Date | null }>(q: AnalysedQuery, cs: readonly T[]): Ranked<T>[] {
  return cs
    .map((item) => ({ item, score: scoreCandidate(q, item) }))
    .filter((r) => r.score >= q.minScore)
    .sort(
      (a, b) =>
        b.score - a.score || (b.item.views ?? 0) - (a.item.views ?? 0) || (b.item.publishedAt?.getTime() ?? 0) - (a.item.publishedAt?.getTime() ?? 0),
    );
}

/** Terms of the query to look up in the index. */
export const queryTerms = (q: AnalysedQuery) => q.units.map((u) => u.term);

export interface Segment {
  text: string;
  hit: boolean;
}

/** The text cut into marked and unmarked segments: every occurrence of a matched surface is marked (longest first). */
export function highlight(text: string, surfaces: readonly string[]): Segment[] {
  const lower = text.normalize('NFKC').toLowerCase();
  // NFKC can change lengths (rare full-width forms); then mark nothing rather than the wrong characters.
  if (lower.length !== text.length || !surfaces.length) return text ? [{ text, hit: false }] : [];
  const marks = new Array<boolean>(text.length).fill(false);
  const sorted = [...new Set(surfaces.map((s) => s.toLowerCase()).filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  for (const s of sorted) {
    let i = lower.indexOf(s);
    while (i >= 0) {
      for (let k = i; k < i + s.length; k++) marks[k] = true;
      i = lower.indexOf(s, i + s.length);
    }
  }
  const out: Segment[] = [];
  for (let i = 0; i < text.length; i++) {
    const last = out[out.length - 1];
    if (last && last.hit === marks[i]) last.text += text[i];
    else out.push({ text: text[i], hit: marks[i] });
  }
  return out;
}

/** Surfaces of the units that matched this article, to highlight. */
export function matchedSurfaces(q: AnalysedQuery, hits: readonly string[]): string[] {
  const set = new Set(hits);
  return q.units.filter((u) => set.has(u.term)).flatMap((u) => u.surfaces);
}

/** A window of the plain text around the first marked surface (or its start), about `size` characters. */
export function snippet(plain: string, surfaces: readonly string[], size = 90): string {
  const lower = plain.toLowerCase();
  let at = -1;
  for (const s of surfaces) {
    const i = lower.indexOf(s.toLowerCase());
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  if (plain.length <= size) return plain;
  const start = Math.max(0, Math.min(at < 0 ? 0 : at - 20, plain.length - size));
  return `${start > 0 ? '…' : ''}${plain.slice(start, start + size)}${start + size < plain.length ? '…' : ''}`;
}
