import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors';
import { checkWorkflow, DEFLECTION_WINDOW_MS, deflectionOutcome, deflectionRate } from './knowledge.rules';
import { checkBody, parseBody, parseInline, plainText, safeHref } from './content.rules';

const expert = { id: 'e1', roles: ['expert' as const] };
const supervisor = { id: 's1', roles: ['supervisor' as const] };
const agent = { id: 'a1', roles: ['agent' as const] };
const refused = (f: () => void) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).message;
  }
  throw new Error('not refused');
};

describe('workflow', () => {
  const published = { state: 'published' as const, revision: null };
  const inReview = { state: 'published' as const, revision: { state: 'review' as const, authorId: 'e1' } };
  it('lets editors revise a published article; agents only read', () => {
    expect(() => checkWorkflow(published, 'edit', expert)).not.toThrow();
    expect(refused(() => checkWorkflow(published, 'edit', agent))).toBe('您没有编辑知识库的权限');
  });
  it('freezes a revision under review, and nobody approves their own', () => {
    expect(refused(() => checkWorkflow(inReview, 'edit', expert))).toContain('审核中');
    expect(refused(() => checkWorkflow(inReview, 'approve', expert))).toContain('审核人');
    expect(() => checkWorkflow(inReview, 'approve', supervisor)).not.toThrow();
    const own = { ...inReview, revision: { state: 'review' as const, authorId: 's1' } };
    expect(refused(() => checkWorkflow(own, 'approve', supervisor))).toContain('不能审核自己');
  });
  it('archives and restores only through a reviewer', () => {
    expect(() => checkWorkflow(published, 'archive', supervisor)).not.toThrow();
    expect(refused(() => checkWorkflow({ state: 'archived', revision: null }, 'edit', expert))).toContain('已归档');
    expect(refused(() => checkWorkflow(published, 'restore', supervisor))).toContain('只有已归档');
  });
});

describe('deflection', () => {
  const at = new Date('2026-11-02T10:00:00Z');
  const later = (ms: number) => new Date(at.getTime() + ms);
  it('is pending inside 24 h, deflected after, filed when an order follows', () => {
    expect(deflectionOutcome(at, [], later(3600_000))).toBe('pending');
    expect(deflectionOutcome(at, [], later(DEFLECTION_WINDOW_MS + 1))).toBe('deflected');
    expect(deflectionOutcome(at, [later(3 * 3600_000)], later(DEFLECTION_WINDOW_MS + 1))).toBe('filed');
    // An order before the view, or after the window, does not count against it.
    expect(deflectionOutcome(at, [later(-60_000), later(DEFLECTION_WINDOW_MS + 60_000)], later(2 * DEFLECTION_WINDOW_MS))).toBe('deflected');
  });
  it('rates deflected over decided views', () => {
    expect(deflectionRate(3, 1)).toBe(0.75);
    expect(deflectionRate(0, 0)).toBeNull();
  });
});

describe('article bodies', () => {
  it('parses the Markdown subset into blocks', () => {
    const b = parseBody('## 第一步\n先看**总开关**。\n\n- 一\n- 二\n1. 甲\n![配电箱](img1)');
    expect(b.map((x) => x.t)).toEqual(['h2', 'p', 'ul', 'ol', 'img']);
    expect(b[1]).toEqual({
      t: 'p',
      inl: [
        { t: 'text', s: '先看' },
        { t: 'b', s: '总开关' },
        { t: 'text', s: '。' },
      ],
    });
  });
  it('keeps only safe links', () => {
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,x')).toBeNull();
    expect(safeHref('/knowledge/abc123')).toBe('/knowledge/abc123');
    expect(parseInline('[点我](javascript:alert(1))')).toEqual([
      { t: 'text', s: '点我' },
      { t: 'text', s: ')' },
    ]);
    expect(parseInline('<script>x</script>')).toEqual([{ t: 'text', s: '<script>x</script>' }]);
  });
  it('refuses a body that refers to a missing image', () => {
    expect(refused(() => checkBody('![图](img9)', []))).toContain('img9');
  });
  it('gives plain text for the index', () => {
    expect(plainText('## 标题\n- **一**\n- 二')).toBe('标题\n一；二');
  });
});

describe('labels come from the one source (shared/labels.ts)', () => {
  it('has exactly one label for every knowledge enum value', async () => {
    const L = await import('../../shared/labels');
    const R = await import('./knowledge.rules');
    const P = await import('./phrases.rules');
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(L.KB_ARTICLE_STATE_LABELS)).toEqual([...R.ARTICLE_STATES].sort());
    expect(keys(L.KB_REVISION_STATE_LABELS)).toEqual([...R.REVISION_STATES].sort());
    expect(keys(L.KB_HISTORY_ACTION_LABELS)).toEqual([...R.HISTORY_ACTIONS].sort());
    expect(keys(L.KB_VIEW_SOURCE_LABELS)).toEqual([...R.VIEW_SOURCES].sort());
    expect(keys(L.KB_PHRASE_SCENARIO_LABELS)).toEqual([...P.PHRASE_SCENARIOS].sort());
    expect(R.ARTICLE_STATE_LABELS).toBe(L.KB_ARTICLE_STATE_LABELS);
  });
});
