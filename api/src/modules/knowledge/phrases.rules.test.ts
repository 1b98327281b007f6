import { describe, expect, it } from 'vitest';
import { checkReply, PHRASE_SCENARIOS, STANDARD_PHRASES } from './phrases.rules';

describe('house style (seed 000)', () => {
  it('suggests 对不起 for 抱歉', () => {
    const h = checkReply('很抱歉给您带来不便');
    expect(h).toHaveLength(1);
    expect(h[0]).toMatchObject({ found: '抱歉', suggest: '对不起', index: 1 });
  });
  it('suggests 您请讲 for 您说, but not for 您说的', () => {
    expect(checkReply('您说，我在听')[0]).toMatchObject({ found: '您说', suggest: '您请讲' });
    expect(checkReply('您说的情况我已记录')).toHaveLength(0);
  });
  it('names the full words for abbreviations', () => {
    const h = checkReply('请检查漏保，也可以去招商、农业、工商网点缴费');
    expect(h.map((x) => x.suggest)).toEqual(['漏电保护器', '招商银行', '中国农业银行', '中国工商银行']);
  });
  it('does not flag the full names or tariff words', () => {
    expect(checkReply('可以到中国工商银行、招商银行网点缴费，一般工商业电价0.6852元，农业生产用电另行计价')).toHaveLength(0);
    expect(checkReply('请检查漏电保护器')).toHaveLength(0);
  });
  it('flags 您好 only as an answer to a greeting', () => {
    expect(checkReply('您好！', '您好')[0]).toMatchObject({ found: '您好', suggest: '请问您需要什么帮助？' });
    expect(checkReply('您好，您的工单已处理', '我家停电了')).toHaveLength(0);
    expect(checkReply('您好，请问您需要什么帮助？')).toHaveLength(0);
  });
  it('has phrases for every scenario, none breaking the rules', () => {
    for (const s of PHRASE_SCENARIOS) expect(STANDARD_PHRASES.some((p) => p.scenario === s)).toBe(true);
    for (const p of STANDARD_PHRASES) expect(checkReply(p.text), p.text).toEqual([]);
  });
});
