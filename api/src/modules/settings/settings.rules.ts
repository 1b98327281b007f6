/**
 * Versioned platform settings, the pure part: which kinds exist, their defaults (version 1), their zod
 * schemas with Chinese messages, the checks a change must pass against the version it replaces, which
 * version is in force at an instant, and the before/after of a change in words (diffSettings).
 */
import { z } from 'zod';
import { DomainError } from '../../lib/errors';
import { DEFAULT_SLA, SAMPLE_CALENDAR, type SlaRules, type WorkCalendar } from '../workorders/sla.rules';
import { DEFAULT_LATE_FEES, DEFAULT_TARIFFS, type LateFeeRule, type Tariff } from '../billing/tariff.rules';
import { DEFAULT_CLUSTER, type ClusterConfig } from '../outages/outage.rules';
import { DEFAULT_POINTS, pointsFieldLabel, pointsFieldValue, pointsSchema, type PointsRules } from '../points/points.settings';

export const SETTING_KINDS = ['sla', 'calendar', 'tariffs', 'late_fees', 'cluster', 'points'] as const;
export type SettingKind = (typeof SETTING_KINDS)[number];

export const SETTING_KIND_LABELS: Record<SettingKind, string> = {
  sla: 'SLA 时限规则',
  calendar: '工作日历（节假日）',
  tariffs: '电价',
  late_fees: '电费违约金',
  cluster: '故障聚类阈值',
  points: '积分规则',
};

export type LateFeeTable = Record<'residential' | 'commercial' | 'industrial', LateFeeRule>;

export interface SettingValues {
  sla: SlaRules;
  calendar: WorkCalendar;
  tariffs: Record<string, Tariff>;
  late_fees: LateFeeTable;
  cluster: ClusterConfig;
  points: PointsRules;
}
export type SettingValue = SettingValues[SettingKind];

const { calendar: _calendar, ...DEFAULT_SLA_RULES } = DEFAULT_SLA;
void _calendar;

/** Version 1 of every kind: what the platform ran with before settings lived in the database. */
export const SETTING_DEFAULTS: { [K in SettingKind]: SettingValues[K] } = {
  sla: DEFAULT_SLA_RULES,
  calendar: SAMPLE_CALENDAR,
  tariffs: DEFAULT_TARIFFS,
  late_fees: DEFAULT_LATE_FEES,
  cluster: DEFAULT_CLUSTER,
  points: DEFAULT_POINTS,
};

// ---------------------------------------------------------------------------------------------
// Schemas

const MIN = 60_000;
const int = (label: string, min: number, max: number, unit: string) =>
  z
    .number({ error: `请填写${label}` })
    .int(`${label}须为整数`)
    .min(min, `${label}须在${min}到${max}${unit}之间`)
    .max(max, `${label}须在${min}到${max}${unit}之间`);
const minutes = (label: string, max = 7 * 24 * 60) => int(label, 1, max, '分钟');
const workingDays = (label: string) => int(label, 1, 60, '个工作日');

export const AREA_LABELS = { urban: '城区', rural: '农村', remote: '偏远地区' } as const;
export const SUPPLY_CLASS_LABELS = { residential: '居民', lv_non_residential: '低压非居民', hv_single: '高压单电源', hv_dual: '高压双电源' } as const;
export const USAGE_LABELS = { residential: '居民', commercial: '一般工商业', industrial: '大工业' } as const;

const byArea = (label: string, max?: number) =>
  z
    .object(
      { urban: minutes(`${label}（城区）`, max), rural: minutes(`${label}（农村）`, max), remote: minutes(`${label}（偏远地区）`, max) },
      { error: `请填写${label}` },
    )
    .strict();

export const slaSchema = z
  .object(
    {
      faultDispatchMin: minutes('故障派单时限', 24 * 60),
      faultArrivalMin: byArea('到达现场时限', 24 * 60),
      faultRestoreMin: byArea('恢复送电时限', 7 * 24 * 60),
      onlineFirstReplyMin: minutes('线上首次响应时限', 24 * 60),
      consultationAnswerMin: minutes('咨询答复时限'),
      complaintContactMin: minutes('投诉联系客户时限'),
      complaintReplyWorkingDays: workingDays('投诉答复时限'),
      reportReplyWorkingDays: workingDays('举报答复时限'),
      opinionReplyWorkingDays: workingDays('意见建议答复时限'),
      meterCheckWorkingDays: workingDays('校表办结时限'),
      nameChangeWorkingDays: workingDays('过户办结时限'),
      connectionWorkingDays: z
        .object({
          residential: workingDays('居民新装时限'),
          lv_non_residential: workingDays('低压非居民新装时限'),
          hv_single: workingDays('高压单电源新装时限'),
          hv_dual: workingDays('高压双电源新装时限'),
        })
        .strict(),
      reconnectionRemoteMin: minutes('远程复电时限', 24 * 60),
      reconnectionOnSiteMin: minutes('现场复电时限'),
      returnVisitMin: minutes('回访时限'),
      warnAt: z
        .tuple([z.number({ error: '请填写第一次预警比例' }), z.number({ error: '请填写第二次预警比例' })], { error: '请填写两个预警比例' })
        .refine(([a, b]) => a > 0 && a < b && b < 1, '预警比例须满足 0 < 第一次 < 第二次 < 100%'),
    },
    { error: 'SLA 规则格式不正确' },
  )
  .strict()
  .refine((s) => s.faultArrivalMin.urban <= s.faultArrivalMin.rural && s.faultArrivalMin.rural <= s.faultArrivalMin.remote, {
    message: '到达现场时限须满足 城区 ≤ 农村 ≤ 偏远地区',
    path: ['faultArrivalMin'],
  });

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const dateString = (label: string) =>
  z
    .string({ error: `${label}须为日期` })
    .regex(DATE_RE, `${label}须为 YYYY-MM-DD 格式的日期`)
    .refine(
      (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d,
      `${label}不是有效日期`,
    );
const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
const sortedUnique = (a: string[]) => [...new Set(a)].sort();

export const calendarSchema = z
  .object(
    {
      holidays: z.array(dateString('节假日'), { error: '请填写节假日列表' }).max(400, '节假日不能超过400天').transform(sortedUnique),
      makeupWorkdays: z
        .array(dateString('调休上班日'), { error: '请填写调休上班日列表' })
        .max(200, '调休上班日不能超过200天')
        .transform(sortedUnique),
    },
    { error: '工作日历格式不正确' },
  )
  .strict()
  .superRefine((c, ctx) => {
    const both = c.makeupWorkdays.filter((d) => c.holidays.includes(d));
    if (both.length) ctx.addIssue({ code: 'custom', path: ['makeupWorkdays'], message: `${both[0]} 不能既是节假日又是调休上班日` });
    const notWeekend = c.makeupWorkdays.find((d) => weekday(d) !== 0 && weekday(d) !== 6);
    if (notWeekend) ctx.addIssue({ code: 'custom', path: ['makeupWorkdays'], message: `调休上班日须为周六或周日：${notWeekend} 不是` });
  });

/** Prices in milli-fen per kWh (0.5469 元 = 54,690): up to 10 元/kWh. */
const price = (label: string) => int(label, 1, 1_000_000, '毫分/千瓦时（即不超过10元/千瓦时）');
const codeRe = /^[A-Z0-9-]{2,32}$/;
const tariffName = z.string({ error: '请填写电价名称' }).trim().min(2, '电价名称至少2个字').max(40, '电价名称不能超过40个字');

const tieredSchema = z
  .object({
    code: z.string().regex(codeRe, '电价代码须为2到32位大写字母、数字或连字符'),
    kind: z.literal('tiered'),
    name: tariffName,
    yearStartMonth: int('阶梯年度起始月', 1, 12, '月'),
    tiers: z
      .array(
        z
          .object({
            band: z.enum(['tier1', 'tier2', 'tier3'], { error: '阶梯档位不正确' }),
            upToKwh: int('阶梯上限', 1, 1_000_000, '千瓦时').nullable(),
            priceMilliFen: price('阶梯电价'),
          })
          .strict(),
        { error: '请填写阶梯' },
      )
      .min(1, '至少需要一个阶梯')
      .max(3, '最多三个阶梯'),
  })
  .strict()
  .superRefine((t, ctx) => {
    t.tiers.forEach((tier, i) => {
      const last = i === t.tiers.length - 1;
      if (last && tier.upToKwh !== null) ctx.addIssue({ code: 'custom', path: ['tiers', i, 'upToKwh'], message: `${t.name}：最后一档不设上限` });
      if (!last && tier.upToKwh === null)
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'upToKwh'], message: `${t.name}：第${i + 1}档须填写上限` });
      const prev = i > 0 ? t.tiers[i - 1].upToKwh : 0;
      if (tier.upToKwh !== null && prev !== null && tier.upToKwh <= prev)
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'upToKwh'], message: `${t.name}：第${i + 1}档上限须大于第${i}档` });
      if (i > 0 && tier.priceMilliFen < t.tiers[i - 1].priceMilliFen)
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'priceMilliFen'], message: `${t.name}：第${i + 1}档电价不能低于第${i}档` });
    });
  });
const flatSchema = z
  .object({ code: z.string().regex(codeRe, '电价代码格式不正确'), kind: z.literal('flat'), name: tariffName, priceMilliFen: price('电价') })
  .strict();
const hour = (label: string) => int(label, 0, 24, '时');
const touSchema = z
  .object({
    code: z.string().regex(codeRe, '电价代码格式不正确'),
    kind: z.literal('tou'),
    name: tariffName,
    prices: z.object({ peak: price('峰时电价'), flat: price('平时电价'), valley: price('谷时电价') }).strict(),
    windows: z
      .array(z.object({ band: z.enum(['peak', 'valley'], { error: '时段只能是峰或谷' }), from: hour('时段开始'), to: hour('时段结束') }).strict())
      .max(12, '时段不能超过12个'),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (!(t.prices.valley <= t.prices.flat && t.prices.flat <= t.prices.peak))
      ctx.addIssue({ code: 'custom', path: ['prices'], message: `${t.name}：电价须满足 谷 ≤ 平 ≤ 峰` });
    const hours = new Array(24).fill(0);
    t.windows.forEach((w, i) => {
      if (w.from >= w.to) ctx.addIssue({ code: 'custom', path: ['windows', i], message: `${t.name}：时段${i + 1}的结束须晚于开始` });
      for (let h = w.from; h < w.to; h++) hours[h]++;
    });
    if (hours.some((n) => n > 1)) ctx.addIssue({ code: 'custom', path: ['windows'], message: `${t.name}：峰谷时段不能重叠` });
  });

export const tariffsSchema = z
  .record(z.string(), z.discriminatedUnion('kind', [tieredSchema, flatSchema, touSchema], { error: '电价类型不正确' }), { error: '电价表格式不正确' })
  .superRefine((table, ctx) => {
    for (const [code, t] of Object.entries(table))
      if (t.code !== code) ctx.addIssue({ code: 'custom', path: [code, 'code'], message: `电价代码 ${t.code} 与表中位置 ${code} 不一致` });
    if (Object.keys(table).length === 0) ctx.addIssue({ code: 'custom', path: [], message: '电价表不能为空' });
  });

const lateFee = (label: string) =>
  z
    .object({
      /** Parts per million per day: 1‰ = 1000; at most 1% a day. */
      ppmPerDay: int(`${label}违约金日比例`, 0, 10_000, '（百万分之一，即不超过1%/天）'),
      graceDays: int(`${label}宽限天数`, 0, 90, '天'),
    })
    .strict();
export const lateFeesSchema = z
  .object({ residential: lateFee('居民'), commercial: lateFee('一般工商业'), industrial: lateFee('大工业') }, { error: '违约金设置格式不正确' })
  .strict();

export const clusterSchema = z
  .object(
    {
      areaThreshold: int('台区报修阈值', 2, 100, '起'),
      windowMs: z
        .number({ error: '请填写聚类时间窗' })
        .int('聚类时间窗须为整数毫秒')
        .min(MIN, '聚类时间窗须在1到120分钟之间')
        .max(120 * MIN, '聚类时间窗须在1到120分钟之间'),
      feederMinAreas: int('线路台区数阈值', 2, 50, '个'),
      feederSharePct: z.number({ error: '请填写线路报修占比' }).gt(0, '线路报修占比须在0到100%之间').max(100, '线路报修占比须在0到100%之间'),
      baselineDays: int('常态报修率统计天数', 1, 365, '天'),
    },
    { error: '聚类阈值格式不正确' },
  )
  .strict();

export const SETTING_SCHEMAS: { [K in SettingKind]: z.ZodType<SettingValues[K]> } = {
  sla: slaSchema as z.ZodType<SlaRules>,
  calendar: calendarSchema,
  tariffs: tariffsSchema as z.ZodType<Record<string, Tariff>>,
  late_fees: lateFeesSchema,
  cluster: clusterSchema,
  points: pointsSchema as z.ZodType<PointsRules>,
};

/** The value, validated and normalised (sorted dates…), or a DomainError with the first Chinese message. */
export function validateSetting<K extends SettingKind>(kind: K, value: unknown): SettingValues[K] {
  const r = SETTING_SCHEMAS[kind].safeParse(value);
  if (!r.success) throw new DomainError('BAD_REQUEST', r.error.issues[0]?.message ?? '设置内容不正确');
  return r.data as SettingValues[K];
}

/** What a new version may not do to the one it replaces (accounts refer to tariff codes: none may vanish). */
export function checkTransition<K extends SettingKind>(kind: K, before: SettingValues[K], after: SettingValues[K]): void {
  if (kind === 'tariffs') {
    const gone = Object.keys(before as Record<string, Tariff>).filter((c) => !(c in (after as Record<string, Tariff>)));
    if (gone.length) throw new DomainError('BAD_REQUEST', `不能删除正在使用的电价：${gone.join('、')}`);
    for (const [code, t] of Object.entries(after as Record<string, Tariff>)) {
      const prev = (before as Record<string, Tariff>)[code];
      if (prev && prev.kind !== t.kind) throw new DomainError('BAD_REQUEST', `不能更改电价类型：${t.name}`);
    }
  }
}

/** Deep equality of two JSON-like values (key order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => sameValue(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

// ---------------------------------------------------------------------------------------------
// Which version is in force

export interface VersionStamp {
  version: number;
  effectiveAt: Date;
}

/**
 * The version in force at `at`: of those already effective, the one with the latest effective time (a
 * later version number breaks a tie). A version scheduled for later is not in force before its time.
 */
export function versionInForce<V extends VersionStamp>(versions: readonly V[], at: Date): V | null {
  let best: V | null = null;
  for (const v of versions) {
    if (v.effectiveAt.getTime() > at.getTime()) continue;
    if (
      !best ||
      v.effectiveAt.getTime() > best.effectiveAt.getTime() ||
      (v.effectiveAt.getTime() === best.effectiveAt.getTime() && v.version > best.version)
    )
      best = v;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Before / after in words

export interface SettingChange {
  /** Where in the value (e.g. 'faultArrivalMin.urban'). */
  path: string;
  /** The field in words (e.g. '到达现场时限（城区）'). */
  label: string;
  /** Formatted values; null = not there before (added) / not there after (removed). */
  before: string | null;
  after: string | null;
}

const SLA_LABELS: Record<string, [string, 'min' | 'wd' | 'pct']> = {
  faultDispatchMin: ['故障派单时限', 'min'],
  faultArrivalMin: ['到达现场时限', 'min'],
  faultRestoreMin: ['恢复送电时限', 'min'],
  onlineFirstReplyMin: ['线上首次响应时限', 'min'],
  consultationAnswerMin: ['咨询答复时限', 'min'],
  complaintContactMin: ['投诉联系客户时限', 'min'],
  complaintReplyWorkingDays: ['投诉答复时限', 'wd'],
  reportReplyWorkingDays: ['举报答复时限', 'wd'],
  opinionReplyWorkingDays: ['意见建议答复时限', 'wd'],
  meterCheckWorkingDays: ['校表办结时限', 'wd'],
  nameChangeWorkingDays: ['过户办结时限', 'wd'],
  connectionWorkingDays: ['新装增容办结时限', 'wd'],
  reconnectionRemoteMin: ['远程复电时限', 'min'],
  reconnectionOnSiteMin: ['现场复电时限', 'min'],
  returnVisitMin: ['回访时限', 'min'],
  warnAt: ['预警比例', 'pct'],
};

export function formatMinutes(n: number): string {
  if (n >= 60 && n % 60 === 0) return n % 1440 === 0 ? `${n / 1440}天` : `${n / 60}小时`;
  if (n > 60) return `${Math.floor(n / 60)}小时${n % 60}分钟`;
  return `${n}分钟`;
}

/** milli-fen/kWh → "0.5469元/千瓦时" (exact). */
export function formatPrice(mf: number): string {
  const yuan = Math.floor(mf / 100_000);
  const frac = String(mf % 100_000)
    .padStart(5, '0')
    .replace(/0+$/, '')
    .padEnd(4, '0');
  return `${yuan}.${frac}元/千瓦时`;
}

const BAND_LABELS: Record<string, string> = { tier1: '第一档', tier2: '第二档', tier3: '第三档', peak: '峰', flat: '平', valley: '谷' };
const windowsText = (ws: { band: string; from: number; to: number }[]) =>
  ws.map((w) => `${BAND_LABELS[w.band]}${w.from}:00–${w.to}:00`).join('、') || '无';

function leaves(v: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  // Time-of-use windows read as one sentence ("峰8:00–11:00、…"), not hour by hour.
  if (v !== null && !prefix.endsWith('windows') && typeof v === 'object' && !(Array.isArray(v) && v.every((x) => typeof x !== 'object'))) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) leaves(x, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, v);
  return out;
}
function describe(kind: SettingKind, path: string, v: unknown, ctx: Record<string, Tariff>): string {
  if (v === null || v === undefined) return kind === 'tariffs' && path.endsWith('upToKwh') ? '不封顶' : '无';
  const parts = path.split('.');
  switch (kind) {
    case 'sla': {
      const unit = SLA_LABELS[parts[0]]?.[1];
      if (unit === 'pct') return `${Math.round(Number(v) * 100)}%`;
      if (unit === 'wd') return `${v}个工作日`;
      return formatMinutes(Number(v));
    }
    case 'tariffs':
      if (/priceMilliFen$|^[^.]+\.prices\./.test(path)) return formatPrice(Number(v));
      if (path.endsWith('upToKwh')) return `${v}千瓦时`;
      if (path.endsWith('yearStartMonth')) return `${v}月`;
      if (path.endsWith('windows')) return windowsText(v as never);
      return String(v);
    case 'late_fees':
      return path.endsWith('ppmPerDay') ? `${Number(v) / 1000}‰/天` : `${v}天`;
    case 'cluster':
      if (path === 'windowMs') return `${Number(v) / MIN}分钟`;
      if (path === 'feederSharePct') return `${v}%`;
      if (path === 'baselineDays') return `${v}天`;
      if (path === 'feederMinAreas') return `${v}个台区`;
      return `${v}起`;
    case 'points':
      return pointsFieldValue(path, v);
    default:
      void ctx;
      return String(v);
  }
}

function labelOf(kind: SettingKind, path: string, tariffs: Record<string, Tariff>): string {
  const parts = path.split('.');
  switch (kind) {
    case 'sla': {
      const base = SLA_LABELS[parts[0]]?.[0] ?? '时限';
      if (parts[0] === 'warnAt') return parts[1] === '0' ? '第一次预警（占时限比例）' : '第二次预警（占时限比例）';
      const sub = parts[1] as keyof typeof AREA_LABELS & keyof typeof SUPPLY_CLASS_LABELS;
      if (!sub) return base;
      return `${base}（${AREA_LABELS[sub as keyof typeof AREA_LABELS] ?? SUPPLY_CLASS_LABELS[sub as keyof typeof SUPPLY_CLASS_LABELS] ?? sub}）`;
    }
    case 'calendar':
      return parts[0] === 'holidays' ? '节假日' : '调休上班日';
    case 'tariffs': {
      const name = tariffs[parts[0]]?.name ?? parts[0];
      const rest = parts.slice(1);
      if (rest[0] === 'tiers')
        return `${name}·${BAND_LABELS[`tier${Number(rest[1]) + 1}`] ?? `第${Number(rest[1]) + 1}档`}${rest[2] === 'upToKwh' ? '上限' : rest[2] === 'band' ? '档位' : '电价'}`;
      if (rest[0] === 'prices') return `${name}·${BAND_LABELS[rest[1]]}时电价`;
      if (rest[0] === 'windows') return `${name}·峰谷时段`;
      if (rest[0] === 'priceMilliFen') return `${name}·电价`;
      if (rest[0] === 'yearStartMonth') return `${name}·阶梯年度起始月`;
      if (rest[0] === 'name') return `${parts[0]}·名称`;
      return `${name}·${rest[0] === 'kind' ? '类型' : rest[0] === 'code' ? '代码' : '设置'}`;
    }
    case 'late_fees':
      return `${USAGE_LABELS[parts[0] as keyof typeof USAGE_LABELS] ?? parts[0]}·${parts[1] === 'ppmPerDay' ? '违约金日比例' : '宽限天数'}`;
    case 'cluster':
      return (
        {
          areaThreshold: '台区报修阈值',
          windowMs: '聚类时间窗',
          feederMinAreas: '线路台区数阈值',
          feederSharePct: '线路报修占比',
          baselineDays: '常态报修率统计天数',
        }[path] ?? '聚类设置'
      );
    case 'points':
      return pointsFieldLabel(path);
  }
}

/** What changed from `before` to `after`, field by field, in words (dates of the calendar one by one). */
export function diffSettings<K extends SettingKind>(kind: K, before: SettingValues[K] | null, after: SettingValues[K]): SettingChange[] {
  const names = { ...((before ?? {}) as Record<string, Tariff>), ...(after as Record<string, Tariff>) };
  const tariffs = kind === 'tariffs' ? names : {};
  const out: SettingChange[] = [];
  if (kind === 'calendar') {
    for (const key of ['holidays', 'makeupWorkdays'] as const) {
      const b = new Set((before as WorkCalendar | null)?.[key] ?? []);
      const a = new Set((after as WorkCalendar)[key]);
      for (const d of [...b].filter((x) => !a.has(x)).sort()) out.push({ path: key, label: labelOf(kind, key, tariffs), before: d, after: null });
      for (const d of [...a].filter((x) => !b.has(x)).sort()) out.push({ path: key, label: labelOf(kind, key, tariffs), before: null, after: d });
    }
    return out;
  }
  const lb = before ? leaves(before) : new Map<string, unknown>();
  const la = leaves(after);
  for (const path of new Set([...lb.keys(), ...la.keys()])) {
    const b = lb.get(path);
    const a = la.get(path);
    if (sameValue(b, a)) continue;
    out.push({
      path,
      label: labelOf(kind, path, tariffs),
      before: lb.has(path) ? describe(kind, path, b, tariffs) : null,
      after: la.has(path) ? describe(kind, path, a, tariffs) : null,
    });
  }
  return out;
}
