'use client';

import { InfoCircleOutlined } from '@ant-design/icons';
import { Card, Space, Tag, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { t } from '@/lib/i18n';
import { DrillLink } from './DrillLink';
import { changeTone, NUM, TONE_COLOR, unitSuffix, withUnit } from './format';
import type { Dashboard, MetricDef } from './types';

export function DefinitionTip({ def }: { def: MetricDef }) {
  return (
    <div style={{ maxWidth: 380 }}>
      <div style={{ fontWeight: 600, marginBottom: 4 }}>{def.label}</div>
      <div>{def.definition}</div>
      <div>
        {t.reports.numerator}：{def.numerator}
      </div>
      <div>
        {t.reports.denominator}：{def.denominator}
      </div>
      <div>
        {t.reports.dateBasis}：{def.dateBasis}
      </div>
      {def.window && (
        <div>
          {t.reports.window}：{def.window}
        </div>
      )}
      <div>
        {t.reports.incomplete}：{def.incompleteRule}
      </div>
    </div>
  );
}

export function DefinitionIcon({ def, fallback }: { def?: MetricDef; fallback?: string }) {
  if (!def && !fallback) return null;
  return (
    <Tooltip title={def ? <DefinitionTip def={def} /> : fallback}>
      <InfoCircleOutlined aria-label={t.reports.definitionOf(def?.label ?? '')} style={{ color: 'rgba(0,0,0,0.45)', cursor: 'help' }} />
    </Tooltip>
  );
}

/** One headline figure (quality.types.ts MetricValue, read through the router). */
export type CardValue = Dashboard['metrics'][number];

export function ChangeText({ m }: { m: Pick<CardValue, 'key' | 'delta' | 'deltaDisplay' | 'unit'> }) {
  if (m.delta === null || !m.deltaDisplay || m.deltaDisplay === t.reports.none) return null;
  const tone = changeTone(m.key, m.delta);
  const arrow = m.delta > 0 ? '↑' : m.delta < 0 ? '↓' : '';
  const text = m.deltaDisplay.replace(/^[+\-−]/, '');
  return (
    <span style={{ color: TONE_COLOR[tone], whiteSpace: 'nowrap' }} title={t.reports.change}>
      {arrow}{' '}
      {m.delta === 0 ? t.reports.flat : `${text}${(m.unit === 'count' || m.unit === 'per10k') && /\d$/.test(text) ? ` ${unitSuffix(m.unit)}` : ''}`}
    </span>
  );
}

export function MetricCard({ m, def, onDrill, extra }: { m: CardValue; def?: MetricDef; onDrill?: () => void; extra?: ReactNode }) {
  const drillable = !!onDrill && m.drillable && m.value !== null;
  const suffix = unitSuffix(m.unit);
  return (
    <Card size="small" style={{ height: '100%' }} styles={{ body: { padding: 14 } }}>
      <Space size={6} style={{ color: 'rgba(0,0,0,0.65)' }} wrap>
        <span>{m.label}</span>
        <DefinitionIcon def={def} fallback={m.definition} />
        {m.provisional && (
          <Tooltip title={t.reports.provisionalHint}>
            <Tag color="orange" style={{ marginInlineEnd: 0 }}>
              {t.reports.provisional}
            </Tag>
          </Tooltip>
        )}
      </Space>
      <div style={{ margin: '6px 0 2px', lineHeight: 1.25 }}>
        {drillable ? (
          <DrillLink onClick={onDrill} style={{ fontSize: 26, fontWeight: 600 }} label={`${m.label} ${withUnit(m.display, m.unit)}`}>
            {m.display}
          </DrillLink>
        ) : (
          <span style={{ fontSize: 26, fontWeight: 600 }}>{m.display}</span>
        )}
        {m.value !== null && suffix && <span style={{ marginInlineStart: 4, color: 'rgba(0,0,0,0.45)' }}>{suffix}</span>}
      </div>
      {m.unit === 'ratio' && m.denominator > 0 && (
        <div className="ps-muted" style={{ fontSize: 12 }}>
          {t.reports.ofWhich(NUM.format(m.numerator), NUM.format(m.denominator))}
        </div>
      )}
      <div style={{ fontSize: 12, marginTop: 2, display: 'flex', gap: 8, flexWrap: 'wrap' }}>
        <span className="ps-muted">
          {t.reports.previous} {m.previous === null ? t.reports.none : withUnit(m.previousDisplay, m.unit)}
        </span>
        <ChangeText m={m} />
      </div>
      {extra && <div style={{ marginTop: 6, fontSize: 12 }}>{extra}</div>}
    </Card>
  );
}
