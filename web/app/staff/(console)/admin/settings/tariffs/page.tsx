'use client';

import { Card, Col, Form, Input, InputNumber, Row, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { CurrentLine, intRules, PublishPanel, TwoSettingsPage, VersionHistory, type SettingCurrent } from '@/components/settings/SettingsBits';
import { t } from '@/lib/i18n';

const T = t.settings;
const P = T.tariffs;

type Tier = { band: 'tier1' | 'tier2' | 'tier3'; upToKwh: number | null; priceMilliFen: number };
type Tariff =
  | { code: string; kind: 'tiered'; name: string; yearStartMonth: number; tiers: Tier[] }
  | { code: string; kind: 'flat'; name: string; priceMilliFen: number }
  | {
      code: string;
      kind: 'tou';
      name: string;
      prices: Record<'peak' | 'flat' | 'valley', number>;
      windows: { band: 'peak' | 'valley'; from: number; to: number }[];
    };
type LateFees = Record<'residential' | 'commercial' | 'industrial', { ppmPerDay: number; graceDays: number }>;

// ---- exact conversions (integers only): 元/kWh ↔ milli-fen/kWh, ‰/day ↔ parts per million

/** 54,690 milli-fen → "0.5469" (up to 5 decimals, trailing zeros beyond the 4th dropped). */
function milliFenToYuan(mf: number): string {
  const frac = String(mf % 100_000).padStart(5, '0');
  return `${Math.floor(mf / 100_000)}.${frac.endsWith('0') ? frac.slice(0, 4) : frac}`;
}
/** "0.5469" → 54,690; null when not a positive amount with at most 5 decimals. */
function yuanToMilliFen(s: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,5}))?$/.exec(String(s ?? '').trim());
  if (!m) return null;
  const v = Number(m[1]) * 100_000 + Number((m[2] ?? '').padEnd(5, '0'));
  return v > 0 ? v : null;
}
const ppmToPerMille = (ppm: number) => String(ppm / 1000);
function perMilleToPpm(s: string): number | null {
  const m = /^(\d{1,2})(?:\.(\d{1,3}))?$/.exec(String(s ?? '').trim());
  if (!m) return null;
  const v = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  return v <= 10_000 ? v : null;
}

function PriceField({ name, label }: { name: (string | number)[]; label: string }) {
  return (
    <Form.Item
      name={name}
      label={label}
      rules={[
        {
          validator: async (_, v: string) => {
            if (yuanToMilliFen(v) === null) throw new Error(P.priceInvalid);
          },
        },
      ]}
    >
      <Input inputMode="decimal" suffix="元" style={{ maxWidth: 200 }} />
    </Form.Item>
  );
}

type TariffForm = Record<
  string,
  { name: string; tiers?: { upToKwh: number | null; price: string }[]; price?: string; prices?: Record<'peak' | 'flat' | 'valley', string> }
>;

function toForm(table: Record<string, Tariff>): TariffForm {
  return Object.fromEntries(
    Object.entries(table).map(([code, tr]) => [
      code,
      tr.kind === 'tiered'
        ? { name: tr.name, tiers: tr.tiers.map((x) => ({ upToKwh: x.upToKwh, price: milliFenToYuan(x.priceMilliFen) })) }
        : tr.kind === 'flat'
          ? { name: tr.name, price: milliFenToYuan(tr.priceMilliFen) }
          : {
              name: tr.name,
              prices: { peak: milliFenToYuan(tr.prices.peak), flat: milliFenToYuan(tr.prices.flat), valley: milliFenToYuan(tr.prices.valley) },
            },
    ]),
  );
}

function fromForm(table: Record<string, Tariff>, f: TariffForm): Record<string, Tariff> {
  return Object.fromEntries(
    Object.entries(table).map(([code, tr]) => {
      const v = f[code];
      if (tr.kind === 'tiered')
        return [
          code,
          {
            ...tr,
            tiers: tr.tiers.map((x, i) => ({
              ...x,
              upToKwh: i === tr.tiers.length - 1 ? null : Number(v.tiers![i].upToKwh),
              priceMilliFen: yuanToMilliFen(v.tiers![i].price)!,
            })),
          },
        ];
      if (tr.kind === 'flat') return [code, { ...tr, priceMilliFen: yuanToMilliFen(v.price!)! }];
      return [
        code,
        {
          ...tr,
          prices: { peak: yuanToMilliFen(v.prices!.peak)!, flat: yuanToMilliFen(v.prices!.flat)!, valley: yuanToMilliFen(v.prices!.valley)! },
        },
      ];
    }),
  );
}

const windowsText = (ws: { band: 'peak' | 'valley'; from: number; to: number }[]) =>
  ws.map((w) => `${w.band === 'peak' ? '峰' : '谷'} ${w.from}:00–${w.to}:00`).join('、');

function TariffEditor({ current, canEdit }: { current: SettingCurrent; canEdit: boolean }) {
  const table = current.latestValue as Record<string, Tariff>;
  const [form] = Form.useForm<TariffForm>();
  useEffect(() => {
    form.setFieldsValue(toForm(current.latestValue as Record<string, Tariff>));
  }, [current.latestVersion, current.latestValue, form]);
  const build = async () => {
    try {
      return fromForm(table, await form.validateFields());
    } catch {
      return null;
    }
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <CurrentLine current={current} />
      <Form form={form} name="tariffs" layout="vertical" initialValues={toForm(table)} disabled={!canEdit} aria-label={P.tabTariffs}>
        {Object.entries(table).map(([code, tr]) => (
          <Card
            key={code}
            size="small"
            style={{ marginBottom: 12 }}
            title={
              <Space>
                {tr.name}
                <Tag>{P.kinds[tr.kind]}</Tag>
              </Space>
            }
          >
            {tr.kind === 'tiered' && (
              <Row gutter={16}>
                {tr.tiers.map((x, i) => (
                  <Col key={x.band} xs={24} md={8}>
                    <Typography.Text strong>{P.tier(i)}</Typography.Text>
                    {i < tr.tiers.length - 1 ? (
                      <Form.Item
                        name={[code, 'tiers', i, 'upToKwh']}
                        label={`${P.tier(i)}${P.upTo}`}
                        rules={intRules(`${P.tier(i)}上限`, 1, 1_000_000, '千瓦时')}
                      >
                        <InputNumber style={{ width: 200 }} />
                      </Form.Item>
                    ) : (
                      <Form.Item label={`${P.tier(i)}${P.upTo}`}>
                        <span>{P.noCap}</span>
                      </Form.Item>
                    )}
                    <PriceField name={[code, 'tiers', i, 'price']} label={`${P.tier(i)}${P.price}`} />
                  </Col>
                ))}
              </Row>
            )}
            {tr.kind === 'flat' && <PriceField name={[code, 'price']} label={`${tr.name}${P.price}`} />}
            {tr.kind === 'tou' && (
              <>
                <Row gutter={16}>
                  <Col xs={24} md={8}>
                    <PriceField name={[code, 'prices', 'peak']} label={P.peak} />
                  </Col>
                  <Col xs={24} md={8}>
                    <PriceField name={[code, 'prices', 'flat']} label={P.flatBand} />
                  </Col>
                  <Col xs={24} md={8}>
                    <PriceField name={[code, 'prices', 'valley']} label={P.valley} />
                  </Col>
                </Row>
                <div className="ps-muted">
                  {P.windows}：{windowsText(tr.windows)}（{P.windowsFixed}）
                </div>
              </>
            )}
          </Card>
        ))}
      </Form>
      {canEdit && <PublishPanel kind="tariffs" current={current} build={build} />}
      <VersionHistory kind="tariffs" current={current} />
    </Space>
  );
}

const CATEGORIES = ['residential', 'commercial', 'industrial'] as const;
type LateFeeForm = Record<(typeof CATEGORIES)[number], { perMille: string; graceDays: number }>;

function LateFeeEditor({ current, canEdit }: { current: SettingCurrent; canEdit: boolean }) {
  const toLateForm = (v: LateFees): LateFeeForm =>
    Object.fromEntries(CATEGORIES.map((c) => [c, { perMille: ppmToPerMille(v[c].ppmPerDay), graceDays: v[c].graceDays }])) as LateFeeForm;
  const [form] = Form.useForm<LateFeeForm>();
  useEffect(() => {
    form.setFieldsValue(toLateForm(current.latestValue as LateFees));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current.latestVersion, current.latestValue, form]);
  const build = async () => {
    try {
      const v = await form.validateFields();
      return Object.fromEntries(CATEGORIES.map((c) => [c, { ppmPerDay: perMilleToPpm(v[c].perMille)!, graceDays: v[c].graceDays }]));
    } catch {
      return null;
    }
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <CurrentLine current={current} />
      <Form
        form={form}
        name="late-fees"
        layout="vertical"
        initialValues={toLateForm(current.latestValue as LateFees)}
        disabled={!canEdit}
        aria-label={P.tabLateFees}
      >
        <Row gutter={16}>
          {CATEGORIES.map((c) => (
            <Col key={c} xs={24} md={8}>
              <Card size="small" title={P.categories[c]}>
                <Form.Item
                  name={[c, 'perMille']}
                  label={`${P.categories[c]}${P.perMille}`}
                  rules={[
                    {
                      validator: async (_, v: string) => {
                        if (perMilleToPpm(v) === null) throw new Error(P.perMilleInvalid);
                      },
                    },
                  ]}
                >
                  <Input inputMode="decimal" suffix="‰" style={{ maxWidth: 160 }} />
                </Form.Item>
                <Form.Item
                  name={[c, 'graceDays']}
                  label={`${P.categories[c]}${P.graceDays}`}
                  rules={intRules(`${P.categories[c]}宽限天数`, 0, 90, '天')}
                >
                  <InputNumber style={{ width: 160 }} />
                </Form.Item>
              </Card>
            </Col>
          ))}
        </Row>
      </Form>
      {canEdit && <PublishPanel kind="late_fees" current={current} build={build} />}
      <VersionHistory kind="late_fees" current={current} />
    </Space>
  );
}

export default function Page() {
  return (
    <TwoSettingsPage
      title={P.title}
      tabs={[
        { key: 'tariffs', label: P.tabTariffs, kind: 'tariffs', render: (current, canEdit) => <TariffEditor current={current} canEdit={canEdit} /> },
        { key: 'late', label: P.tabLateFees, kind: 'late_fees', render: (current, canEdit) => <LateFeeEditor current={current} canEdit={canEdit} /> },
      ]}
    />
  );
}
