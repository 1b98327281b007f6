import { describe, expect, it } from 'vitest';
import { charDiff, diffStats, diffText, lcsOps } from './diff.rules';

describe('diff between versions', () => {
  it('aligns lines by their longest common subsequence', () => {
    expect(lcsOps(['a', 'b', 'c'], ['a', 'c', 'd']).map((o) => `${o.op}:${o.value}`)).toEqual(['same:a', 'del:b', 'same:c', 'add:d']);
  });
  it('shows a replaced line as a change with the characters that differ', () => {
    const d = diffText('标题\n每度 0.5469 元\n结尾', '标题\n每度 0.5470 元\n结尾');
    expect(d.map((l) => l.op)).toEqual(['same', 'change', 'same']);
    const parts = d[1].parts!;
    expect(
      parts
        .filter((p) => p.op === 'del')
        .map((p) => p.text)
        .join(''),
    ).toBe('69');
    expect(
      parts
        .filter((p) => p.op === 'add')
        .map((p) => p.text)
        .join(''),
    ).toBe('70');
    expect(diffStats(d)).toEqual({ added: 0, removed: 0, changed: 1 });
  });
  it('reports added and removed lines', () => {
    const d = diffText('一\n二', '一\n二\n三');
    expect(d[2]).toEqual({ op: 'add', text: '三' });
    expect(diffText('', '新')).toEqual([{ op: 'add', text: '新' }]);
    expect(diffText('旧', '')).toEqual([{ op: 'del', text: '旧' }]);
  });
  it('joins character runs', () => {
    expect(charDiff('抱歉给您', '对不起给您')).toEqual([
      { op: 'del', text: '抱歉' },
      { op: 'add', text: '对不起' },
      { op: 'same', text: '给您' },
    ]);
  });
});
