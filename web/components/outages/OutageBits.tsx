'use client';

import { ClockCircleOutlined, EnvironmentOutlined, RightOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Card, Space, Tag } from 'antd';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { KIND_COLOR, PHASE_COLOR, type OutageBrief } from '@/lib/outages';

export function PhaseTag({ phase, label }: { phase: string; label?: string }) {
  return (
    <Tag color={PHASE_COLOR[phase] ?? 'default'} data-testid="outage-phase">
      {label ?? t.outages.phases[phase] ?? phase}
    </Tag>
  );
}

export function KindTag({ kind, label }: { kind: string; label?: string }) {
  return (
    <Tag color={KIND_COLOR[kind] ?? 'default'} data-testid="outage-kind">
      {label ?? t.outages.kinds[kind] ?? kind}
    </Tag>
  );
}

/** One outage as customers see it (public page, 停电查询); `href` adds a link to its detail page. */
export function OutageCard({ outage, areaNames, extra, href }: { outage: OutageBrief; areaNames?: string[]; extra?: ReactNode; href?: string }) {
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid={`outage-${outage.outageNo}`} data-outage-id={outage.id}>
      <Space size={6} wrap style={{ marginBottom: 8 }}>
        <KindTag kind={outage.kind} label={outage.kindLabel} />
        <PhaseTag phase={outage.phase} label={outage.phaseLabel} />
        <span className="ps-muted" style={{ fontSize: 12 }}>
          {t.outages.outageNo} {outage.outageNo}
        </span>
        {extra}
      </Space>
      <div style={{ marginBottom: 4 }}>
        <EnvironmentOutlined style={{ color: '#8a98a5', marginRight: 6 }} />
        <span data-testid="outage-area">{outage.areaText}</span>
      </div>
      {areaNames && areaNames.length > 0 && (
        <div className="ps-muted" style={{ fontSize: 12, marginBottom: 4, wordBreak: 'break-all' }} data-testid="outage-area-names">
          {areaNames.slice(0, 30).join('、')}
          {areaNames.length > 30 ? '…' : ''}
        </div>
      )}
      <div style={{ marginBottom: 4 }}>
        <ClockCircleOutlined style={{ color: '#8a98a5', marginRight: 6 }} />
        {t.outages.startAt}：{formatDateTime(outage.startAt)}
        {outage.restoredAt && (
          <span style={{ marginLeft: 12 }}>
            {t.outages.restoredAt}：{formatDateTime(outage.restoredAt)}
          </span>
        )}
      </div>
      {outage.phase !== 'restored' && outage.phase !== 'cancelled' && (
        <div style={{ marginBottom: 4, fontWeight: 600, color: '#00706b' }}>
          <ThunderboltOutlined style={{ marginRight: 6 }} />
          <span data-testid="outage-etr">{outage.etrText}</span>
        </div>
      )}
      <div className="ps-muted">
        {t.outages.reason}：<span data-testid="outage-reason">{outage.reason}</span>
      </div>
      {href && (
        <div style={{ marginTop: 4 }}>
          <Link href={href} aria-label={`${t.messages.open}：${t.outages.outageNo} ${outage.outageNo}`}>
            {t.messages.open} <RightOutlined style={{ fontSize: 11 }} />
          </Link>
        </div>
      )}
    </Card>
  );
}
