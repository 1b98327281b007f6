import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as L from './labels';
import { ROLES, USER_KINDS } from '../modules/auth/user.model';
import { BINDING_LEVELS, CUSTOMER_TIERS, PAYMENT_MODES, RELATIONS, SUPPLY_STATES, USAGE_CATEGORIES } from '../modules/accounts/account.model';
import { BILL_STATUSES, PAYMENT_STATUSES } from '../modules/billing/billing.model';
import { AREA_TYPES, GRID_KINDS } from '../modules/grid/grid.model';
import { OUTAGE_KIND_LABELS, OUTAGE_KINDS, OUTAGE_STATUSES, PHASE_LABELS } from '../modules/outages/outage.rules';
import { DEADLINE_KINDS, DEADLINE_LABELS, SUPPLY_CLASSES } from '../modules/workorders/sla.rules';
import { PRIORITY_LABELS } from '../modules/workorders/priority.rules';
import { CHANNEL_LABELS } from '../modules/staff/caller-context';
import {
  CHANNELS,
  CLOSE_REASONS,
  FAULT_KIND_LABELS,
  FAULT_KINDS,
  ORDER_STATUSES,
  ORDER_TYPES,
  SERVICE_SUBTYPES,
  STATUS_LABELS,
  SUBTYPE_LABELS,
  TYPE_LABELS,
} from '../modules/workorders/workorder.rules';

const keys = (o: object) => Object.keys(o).sort();
const sorted = (xs: readonly string[]) => [...xs].sort();

describe('one source of enum labels', () => {
  it('has exactly one label for every value the API stores', () => {
    expect(keys(L.ORDER_TYPE_LABELS)).toEqual(sorted(ORDER_TYPES));
    expect(keys(L.SERVICE_SUBTYPE_LABELS)).toEqual(sorted(SERVICE_SUBTYPES));
    expect(keys(L.FAULT_KIND_LABELS)).toEqual(sorted(FAULT_KINDS));
    expect(keys(L.ORDER_STATUS_LABELS)).toEqual(sorted(ORDER_STATUSES));
    expect(keys(L.CHANNEL_LABELS)).toEqual(sorted(CHANNELS));
    expect(keys(L.DEADLINE_KIND_LABELS)).toEqual(sorted(DEADLINE_KINDS));
    expect(keys(L.CLOSE_REASON_LABELS)).toEqual(sorted(CLOSE_REASONS));
    expect(keys(L.OUTAGE_KIND_LABELS)).toEqual(sorted(OUTAGE_KINDS));
    expect(keys(L.OUTAGE_STATUS_LABELS)).toEqual(sorted(OUTAGE_STATUSES));
    expect(keys(L.ROLE_LABELS)).toEqual(sorted([...ROLES, 'customer', 'system']));
    expect(keys(L.USER_KIND_LABELS)).toEqual(sorted(USER_KINDS));
    expect(keys(L.CUSTOMER_TIER_LABELS)).toEqual(sorted(CUSTOMER_TIERS));
    expect(keys(L.RELATION_LABELS)).toEqual(sorted(RELATIONS));
    expect(keys(L.BINDING_LEVEL_LABELS)).toEqual(sorted(BINDING_LEVELS));
    expect(keys(L.SUPPLY_STATE_LABELS)).toEqual(sorted(SUPPLY_STATES));
    expect(keys(L.PAYMENT_MODE_LABELS)).toEqual(sorted(PAYMENT_MODES));
    expect(keys(L.USAGE_CATEGORY_LABELS)).toEqual(sorted(USAGE_CATEGORIES));
    expect(keys(L.AREA_TYPE_LABELS)).toEqual(sorted(AREA_TYPES));
    expect(keys(L.SUPPLY_CLASS_LABELS)).toEqual(sorted(SUPPLY_CLASSES));
    expect(keys(L.GRID_KIND_LABELS)).toEqual(sorted(GRID_KINDS));
    // 'overdue' is a bill's derived state (unpaid past its due date).
    expect(keys(L.BILL_STATUS_LABELS)).toEqual(sorted([...BILL_STATUSES, 'overdue']));
    expect(keys(L.PAYMENT_STATUS_LABELS)).toEqual(sorted(PAYMENT_STATUSES));
    for (const [name, table] of Object.entries(L.LABELS)) {
      for (const v of Object.values(table)) expect(v, name).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('uses the domain words: 整户停电, 智能交费', () => {
    expect(L.FAULT_KIND_LABELS.whole_house_outage).toBe('整户停电');
    expect(L.PAYMENT_MODE_LABELS.prepaid).toBe('智能交费');
    expect(L.labelOf(L.FAULT_KIND_LABELS, 'bogus', '其他')).toBe('其他');
    expect(L.optionsOf(L.OUTAGE_KIND_LABELS, ['fault'])).toEqual([{ value: 'fault', label: '故障停电' }]);
  });

  it("the API's own tables are the shared ones", () => {
    expect(TYPE_LABELS).toBe(L.ORDER_TYPE_LABELS);
    expect(SUBTYPE_LABELS).toBe(L.SERVICE_SUBTYPE_LABELS);
    expect(STATUS_LABELS).toBe(L.ORDER_STATUS_LABELS);
    expect(FAULT_KIND_LABELS).toBe(L.FAULT_KIND_LABELS);
    expect(PRIORITY_LABELS).toBe(L.PRIORITY_LABELS);
    expect(DEADLINE_LABELS).toBe(L.DEADLINE_KIND_LABELS);
    expect(OUTAGE_KIND_LABELS).toBe(L.OUTAGE_KIND_LABELS);
    expect(PHASE_LABELS).toBe(L.OUTAGE_PHASE_LABELS);
    expect(CHANNEL_LABELS).toBe(L.CHANNEL_LABELS);
  });
});

// ---------------------------------------------------------------------------------------------
// The apps read the same source and keep no copy

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SOURCES = ['api/src', 'web/lib', 'web/app', 'web/components', 'miniprogram/src', 'miniprogram/config'];
/** Copies still to be switched to the source by their owners (other lanes): remove an entry once switched. */
const PENDING: Record<string, string> = {
  'api/src/modules/settings/settings.rules.ts': 'AREA_LABELS, SUPPLY_CLASS_LABELS, BAND_LABELS (settings)',
};

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      if (f === 'node_modules' || f === 'dist' || f === '.next') continue;
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(f) && !/\.test\.(ts|tsx)$/.test(f) && !p.endsWith(path.join('shared', 'labels.ts'))) out.push(p);
    }
  };
  for (const s of SOURCES) walk(path.join(ROOT, s));
  return out;
}
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('the apps use the one source', () => {
  const files = sourceFiles().map((f) => ({ rel: path.relative(ROOT, f), text: readFileSync(f, 'utf8') }));

  it("both apps' dictionaries import it", () => {
    for (const rel of ['web/lib/i18n/zh-CN.ts', 'miniprogram/src/i18n/zh-CN.ts']) {
      expect(files.find((f) => f.rel === rel)?.text, rel).toMatch(/from '@power\/api\/labels'/);
    }
    expect(files.length).toBeGreaterThan(150);
  });

  it('no source keeps its own copy of a label table (two of its `value: label` pairs written out together)', () => {
    const offenders: string[] = [];
    for (const [name, table] of Object.entries(L.LABELS)) {
      const pairs = Object.entries(table).map(([k, v]) => new RegExp(`(^|[\\s{,'"])${escapeRe(k)}['"]?\\s*:\\s*['"]${escapeRe(v)}['"]`, 'gm'));
      if (pairs.length < 2) continue;
      for (const f of files) {
        if (PENDING[f.rel]) continue;
        // Two different pairs of the table within one object literal's reach of each other.
        const at = pairs.map((re) => [...f.text.matchAll(re)].map((m) => m.index!));
        const close = at.some((xs, i) => at.some((ys, j) => j > i && xs.some((x) => ys.some((y) => Math.abs(x - y) < 300))));
        if (close) offenders.push(`${f.rel}: ${name}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no source says a retired wording', () => {
    const retired = ['家中无电', '电表问题', '电压不稳闪烁', "prepaid: '预付费'", "residential: '居民用电'", "commercial: '商业用电'"];
    const found = files.flatMap((f) => retired.filter((w) => f.text.includes(w)).map((w) => `${f.rel}: ${w}`));
    expect(found).toEqual([]);
  });
});
