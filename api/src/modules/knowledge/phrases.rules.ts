/**
 * 规范用语 (standard phrases) and the house-style check of a reply before it is sent, pure.
 *
 * The rules are seed 000's, word for word: 多用"请"; 致歉用"对不起"，不用"抱歉"; 用户问候"您好"时不要再回应"您好"，
 * 用"请问您需要什么帮助"代替; 请用户讲话用"您请讲"而不要用"您说"; 不要说简称，不要出现"漏保、招商、农业、工商"等词.
 * The check only advises: the agent may send anyway.
 */

import { KB_PHRASE_SCENARIO_LABELS } from '../../shared/labels';

export const PHRASE_SCENARIOS = ['greeting', 'apology', 'waiting', 'closing', 'outage'] as const;
export type PhraseScenario = (typeof PHRASE_SCENARIOS)[number];

export const PHRASE_SCENARIO_LABELS: Record<PhraseScenario, string> = KB_PHRASE_SCENARIO_LABELS;

export interface StandardPhrase {
  scenario: PhraseScenario;
  text: string;
}

export const STANDARD_PHRASES: readonly StandardPhrase[] = [
  { scenario: 'greeting', text: '您好，国网95598供电服务热线，很高兴为您服务，请问您需要什么帮助？' },
  { scenario: 'greeting', text: '请问您需要什么帮助？您请讲。' },
  { scenario: 'greeting', text: '为了更好地为您服务，请您提供一下用电户号或户主姓名，好吗？' },
  { scenario: 'apology', text: '对不起，给您的生活带来了不便，我们会尽快为您处理。' },
  { scenario: 'apology', text: '对不起，让您久等了，感谢您的耐心。' },
  { scenario: 'apology', text: '对不起，这个问题我需要进一步核实，核实后会第一时间回复您。' },
  { scenario: 'waiting', text: '请您稍等，我马上为您查询。' },
  { scenario: 'waiting', text: '查询需要一点时间，请您稍候，不要挂机。' },
  { scenario: 'waiting', text: '您反映的情况我已经记录下来，请您保持电话畅通，工作人员会尽快与您联系。' },
  { scenario: 'closing', text: '请问还有什么可以帮您？' },
  { scenario: 'closing', text: '感谢您的来电，祝您生活愉快，再见！' },
  { scenario: 'closing', text: '稍后可能会有回访，请您对我们的服务作出评价，谢谢！' },
  {
    scenario: 'outage',
    text: '您所在的区域因线路故障停电，抢修人员已经到达现场处理，预计恢复供电时间以停电通知为准，请您耐心等待，对不起给您带来了不便。',
  },
  { scenario: 'outage', text: '您所在的区域正在进行计划检修停电，停电通知已于7天前发布，检修完成后将立即恢复供电，请您谅解。' },
  { scenario: 'outage', text: '请您先查看家中总开关和漏电保护器是否跳闸；如果邻居家也没有电，可能是线路停电，我们已经安排抢修。' },
];

export interface StyleHint {
  /** What was found in the reply. */
  found: string;
  /** What the house style says instead. */
  suggest: string;
  /** Why, in the agent's words. */
  reason: string;
  /** Where in the reply (UTF-16 offsets), for marking. */
  index: number;
}

/** Abbreviations never said to a customer, with the full name (seed 000) and what must not follow them to count. */
const ABBREVIATIONS: { short: string; full: string; notBefore?: RegExp; notAfter?: RegExp }[] = [
  { short: '漏保', full: '漏电保护器' },
  { short: '招商', full: '招商银行', notBefore: /^(银行|引资|局)/ },
  { short: '农业', full: '中国农业银行', notBefore: /^(银行|生产|用电|排灌|灌溉)/ },
  { short: '工商', full: '中国工商银行', notBefore: /^(银行|业|局|户|营业执照|注册)/, notAfter: /(一般|中国)$/ },
];

const GREETING = /^\s*(您好|你好|喂|哈喽|hello)[，,。！!\s]*$/i;
const BARE_HELLO = /^\s*(您好|你好)[，,。！!\s]*/;

/** What in this reply breaks seed 000's rules; `customerLast` is the customer's last message, when there is one. */
export function checkReply(reply: string, customerLast?: string | null): StyleHint[] {
  const hints: StyleHint[] = [];
  const each = (needle: string, f: (index: number) => StyleHint | null) => {
    let i = reply.indexOf(needle);
    while (i >= 0) {
      const h = f(i);
      if (h) hints.push(h);
      i = reply.indexOf(needle, i + needle.length);
    }
  };
  each('抱歉', (index) => ({ found: '抱歉', suggest: '对不起', reason: '致歉时用“对不起”，显得更真诚', index }));
  each('您说', (index) => {
    // 您说的 / 您说过 are about what the customer said, not an invitation to speak.
    if (/^[的过得了]/.test(reply.slice(index + 2))) return null;
    return { found: '您说', suggest: '您请讲', reason: '请客户讲话时用“您请讲”', index };
  });
  for (const a of ABBREVIATIONS) {
    each(a.short, (index) => {
      if (a.notBefore?.test(reply.slice(index + a.short.length))) return null;
      if (a.notAfter?.test(reply.slice(0, index))) return null;
      if (
        a.full.includes(a.short) &&
        reply.slice(Math.max(0, index - a.full.indexOf(a.short)), index - a.full.indexOf(a.short) + a.full.length) === a.full
      )
        return null;
      return { found: a.short, suggest: a.full, reason: '不要对客户说简称，请说完整的名称', index };
    });
  }
  const hello = BARE_HELLO.exec(reply);
  if (hello && customerLast && GREETING.test(customerLast)) {
    hints.push({ found: hello[1], suggest: '请问您需要什么帮助？', reason: '客户问候“您好”时不要再回应“您好”', index: hello.index });
  }
  return hints.sort((x, y) => x.index - y.index);
}
