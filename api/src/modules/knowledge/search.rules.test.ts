import { describe, expect, it } from 'vitest';
import {
  analyseQuery,
  articleTerms,
  bigrams,
  highlight,
  indexTerms,
  matchedSurfaces,
  normalize,
  rank,
  scoreCandidate,
  snippet,
  synonymTerm,
  words,
} from './search.rules';

const candidate = (title: string, body: string) => {
  const t = articleTerms({ title, body });
  return (q: ReturnType<typeof analyseQuery>) => {
    const terms = new Set(q.units.map((u) => u.term));
    return { title, titleHits: t.titleTerms.filter((x) => terms.has(x)), hits: t.terms.filter((x) => terms.has(x)) };
  };
};

describe('Chinese terms', () => {
  it('normalises full-width characters and case', () => {
    expect(normalize('ＡＢＣ　９５５９８')).toBe('abc 95598');
  });
  it('segments words and leaves stop words out', () => {
    const w = words('家里没电了，跳闸了怎么办');
    expect(w).toContain('跳闸');
    expect(w).not.toContain('了');
    expect(w).not.toContain('怎么办');
  });
  it('makes bigrams of every Chinese run', () => {
    expect(bigrams('电表黑屏')).toEqual(['电表', '表黑', '黑屏']);
  });
  it('indexes synonym groups, bigrams and single characters', () => {
    const t = indexTerms('家里停电了');
    expect(t).toContain(synonymTerm(0));
    expect(t).toContain('停电');
    expect(t).toContain('c:停');
  });
});

describe('query analysis and score', () => {
  it('finds 停电 for 没电 through the synonym group', () => {
    const q = analyseQuery('家里没电了');
    expect(q.units.some((u) => u.kind === 'synonym' && u.surfaces.includes('停电'))).toBe(true);
    const c = candidate('家里突然停电了怎么办？', '先看总开关')(q);
    expect(scoreCandidate(q, c)).toBeGreaterThanOrEqual(q.minScore);
  });
  it('treats 电费 and 电价 as one group', () => {
    const q = analyseQuery('电价');
    const c = candidate('电费计算举例', '一个月的电费')(q);
    expect(c.titleHits).toContain(synonymTerm(1));
  });
  it('weighs the title above the body (documented factors)', () => {
    const q = analyseQuery('违约金');
    const inTitle = candidate('电费违约金是怎么计算的', '逾期按天计收')(q);
    const inBody = candidate('怎么看懂电费账单', '账单上有违约金一栏')(q);
    expect(scoreCandidate(q, inTitle)).toBeGreaterThan(scoreCandidate(q, inBody));
    const ranked = rank(q, [inBody, inTitle]);
    expect(ranked[0].item.title).toBe('电费违约金是怎么计算的');
  });
  it('uses single characters only for one-character queries', () => {
    expect(analyseQuery('表').units.map((u) => u.term)).toContain('c:表');
    expect(analyseQuery('电表').units.map((u) => u.term)).not.toContain('c:表');
  });
  it('leaves out articles below the minimum share', () => {
    const q = analyseQuery('电动车充电安全');
    const unrelated = candidate('高压报装的办理环节和时限', '受理、现场勘查、答复供电方案')(q);
    expect(rank(q, [unrelated])).toHaveLength(0);
  });
  it('returns nothing useful for an empty or punctuation-only query', () => {
    expect(analyseQuery('？？！').units).toHaveLength(0);
  });
});

describe('highlighting', () => {
  it('marks every occurrence, longest first, merging neighbours', () => {
    expect(highlight('家里停电了，停电多久', ['停电'])).toEqual([
      { text: '家里', hit: false },
      { text: '停电', hit: true },
      { text: '了，', hit: false },
      { text: '停电', hit: true },
      { text: '多久', hit: false },
    ]);
    expect(highlight('漏电保护器', ['漏电', '漏电保护器', '保护'])).toEqual([{ text: '漏电保护器', hit: true }]);
  });
  it('highlights the synonym the article uses, not the word the customer typed', () => {
    const q = analyseQuery('没电');
    const t = articleTerms({ title: '家里突然停电了怎么办？', body: '' });
    const surfaces = matchedSurfaces(q, t.terms);
    expect(
      highlight('家里突然停电了怎么办？', surfaces)
        .filter((s) => s.hit)
        .map((s) => s.text),
    ).toEqual(['停电']);
  });
  it('cuts a snippet around the first hit', () => {
    const text = `${'无关内容'.repeat(30)}违约金从截止日次日起算${'其他'.repeat(30)}`;
    const s = snippet(text, ['违约金'], 40);
    expect(s.startsWith('…')).toBe(true);
    expect(s).toContain('违约金');
    expect(s.length).toBeLessThanOrEqual(42);
  });
});
