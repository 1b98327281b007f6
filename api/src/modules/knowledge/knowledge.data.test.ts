import { describe, expect, it } from 'vitest';
import { DEFAULT_LATE_FEES, DEFAULT_TARIFFS, computeCharge, type TieredTariff, type TouTariff, type FlatTariff } from '../billing/tariff.rules';
import { DEFAULT_THRESHOLDS_FEN, THRESHOLD_CHOICES_YUAN } from '../billing/prepaid.rules';
import { DEFAULT_SLA } from '../workorders/sla.rules';
import { FAULT_KIND_LABELS } from '../../shared/labels';
import { KNOWLEDGE_CATEGORIES, SEED_ARTICLES } from './articles.data';
import { parseBody, plainText } from './content.rules';
import { checkReply } from './phrases.rules';

const article = (slug: string) => {
  const a = SEED_ARTICLES.find((x) => x.slug === slug);
  if (!a) throw new Error(slug);
  return `${a.title}\n${a.summary}\n${plainText(a.body)}`;
};
const yuan = (milliFen: number) => (milliFen / 100_000).toFixed(4);

/** The seeded articles state the project's own rules: when a default changes, this fails until the text does. */
describe('seeded articles agree with the rules they explain', () => {
  it('has 40+ articles in the five categories, each body parsing into blocks', () => {
    expect(SEED_ARTICLES.length).toBeGreaterThanOrEqual(40);
    for (const c of KNOWLEDGE_CATEGORIES)
      expect(
        SEED_ARTICLES.some((a) => a.category === c.name),
        c.name,
      ).toBe(true);
    for (const a of SEED_ARTICLES) expect(parseBody(a.body).length, a.slug).toBeGreaterThan(0);
  });

  it('quotes the residential tiers and prices of DEFAULT_TARIFFS, and computes the worked example the same way', () => {
    const t = DEFAULT_TARIFFS['RES-TIER-HN'] as TieredTariff;
    const text = article('tiered-tariff');
    expect(text).toContain(String(t.tiers[0].upToKwh));
    expect(text).toContain(String(t.tiers[1].upToKwh));
    for (const tier of t.tiers) expect(text).toContain(yuan(tier.priceMilliFen));
    // 例二 of the calculation article: 300 kWh after 2400 kWh this year → 173.07 yuan.
    expect(computeCharge(t, { kwh: 300, ytdKwh: 2400 }).amountFen).toBe(17307);
    expect(article('bill-calculation-example')).toContain('173.07');
    expect(computeCharge(t, { kwh: 200, ytdKwh: 1000 }).amountFen).toBe(10938);
    expect(computeCharge(t, { kwh: 100, ytdKwh: 4800 }).amountFen).toBe(8469);
  });

  it('quotes the commercial and time-of-use prices and windows', () => {
    expect(article('commercial-tariff')).toContain(yuan((DEFAULT_TARIFFS['COM-FLAT'] as FlatTariff).priceMilliFen));
    const tou = DEFAULT_TARIFFS['IND-TOU'] as TouTariff;
    const text = article('tou-tariff');
    for (const p of Object.values(tou.prices)) expect(text).toContain(yuan(p));
  });

  it('quotes the late-fee rates', () => {
    const text = article('late-fee');
    expect(text).toContain(`${DEFAULT_LATE_FEES.residential.ppmPerDay / 1000}‰`);
    expect(text).toContain(`${DEFAULT_LATE_FEES.commercial.ppmPerDay / 1000}‰`);
  });

  it('quotes the prepaid thresholds', () => {
    const text = article('prepaid-alert');
    expect(text).toContain(THRESHOLD_CHOICES_YUAN.join('、'));
    for (const f of DEFAULT_THRESHOLDS_FEN) expect(text).toContain(`${f / 100} 元`);
  });

  it('quotes the service promises of DEFAULT_SLA', () => {
    const text = article('service-promises');
    expect(text).toContain(`${DEFAULT_SLA.faultDispatchMin} 分钟`);
    expect(text).toContain(`${DEFAULT_SLA.onlineFirstReplyMin} 分钟`);
    for (const d of Object.values(DEFAULT_SLA.connectionWorkingDays)) expect(text).toContain(`${d} 个`);
    expect(article('repair-time-promise')).toContain(`${DEFAULT_SLA.faultArrivalMin.urban}分钟`);
    expect(article('meter-check-apply')).toContain(`${DEFAULT_SLA.meterCheckWorkingDays} 个工作日`);
    expect(article('name-change')).toContain(`${DEFAULT_SLA.nameChangeWorkingDays} 个工作日`);
    expect(article('arrears-outage')).toContain(`${DEFAULT_SLA.reconnectionRemoteMin}分钟`);
  });

  it('names every fault kind with its label', () => {
    const text = article('report-fault-online');
    for (const label of Object.values(FAULT_KIND_LABELS)) expect(text).toContain(label);
  });

  it('is written in the house style itself', () => {
    for (const a of SEED_ARTICLES)
      expect(
        checkReply(plainText(a.body)).map((h) => h.found),
        a.slug,
      ).toEqual([]);
  });
});
