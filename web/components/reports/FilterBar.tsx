'use client';

import { LinkOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Form, Segmented, Select, Space } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { t } from '@/lib/i18n';
import { GRANULARITIES, PERIOD_KINDS, type PeriodKind } from './period';
import type { ReportView } from './url-state';
import type { ScopeView } from './types';

dayjs.locale('zh-cn'); // weeks start on Monday in the range picker

export function FilterBar({
  view,
  range,
  scope,
  onChange,
  onReset,
}: {
  view: ReportView;
  range: { from: string; to: string };
  scope: ScopeView | undefined;
  onChange: (patch: Partial<ReportView>) => void;
  onReset: () => void;
}) {
  const { message } = App.useApp();
  const agents = (scope?.agents ?? []).filter((a) => !view.teamId || a.teamId === view.teamId);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      message.success(t.reports.filters.linkCopied);
    } catch {
      message.info(window.location.href);
    }
  };
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t.reports.filters.period}>
          <Select<PeriodKind>
            aria-label={t.reports.filters.period}
            style={{ width: 110 }}
            value={view.period}
            options={PERIOD_KINDS.map((k) => ({ value: k, label: t.reports.periods[k] }))}
            onChange={(period) =>
              onChange(period === 'custom' ? { period, from: range.from, to: range.to } : { period, from: undefined, to: undefined })
            }
          />
        </Form.Item>
        <Form.Item label={t.reports.filters.range}>
          <DatePicker.RangePicker
            aria-label={t.reports.filters.range}
            allowClear={false}
            value={[dayjs(range.from), dayjs(range.to)]}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            onChange={(v) => {
              if (v?.[0] && v[1]) onChange({ period: 'custom', from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') });
            }}
          />
        </Form.Item>
        <Form.Item label={t.reports.filters.granularity}>
          <Segmented
            aria-label={t.reports.filters.granularity}
            value={view.granularity}
            options={GRANULARITIES.map((g) => ({ value: g, label: t.reports.granularities[g] }))}
            onChange={(g) => onChange({ granularity: g as ReportView['granularity'] })}
          />
        </Form.Item>
        <Form.Item label={t.reports.filters.type}>
          <Select
            aria-label={t.reports.filters.type}
            style={{ width: 130 }}
            allowClear
            placeholder={t.reports.filters.allTypes}
            value={view.type}
            options={(scope?.types ?? []).map((o) => ({ value: o.key, label: o.label }))}
            onChange={(type) => onChange({ type: type ?? undefined })}
          />
        </Form.Item>
        <Form.Item label={t.reports.filters.channel}>
          <Select
            aria-label={t.reports.filters.channel}
            style={{ width: 140 }}
            allowClear
            placeholder={t.reports.filters.allChannels}
            value={view.channel}
            options={(scope?.channels ?? []).map((o) => ({ value: o.key, label: o.label }))}
            onChange={(channel) => onChange({ channel: channel ?? undefined })}
          />
        </Form.Item>
        <Form.Item label={t.reports.filters.region}>
          <Select
            aria-label={t.reports.filters.region}
            style={{ width: 150 }}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={scope?.all ? t.reports.filters.allRegions : t.reports.filters.myRegions}
            value={view.regionId}
            options={(scope?.regions ?? []).map((o) => ({ value: o.id, label: o.name }))}
            onChange={(regionId) => onChange({ regionId: regionId ?? undefined })}
          />
        </Form.Item>
        <Form.Item label={t.reports.filters.team}>
          <Select
            aria-label={t.reports.filters.team}
            style={{ width: 140 }}
            allowClear
            placeholder={scope?.all ? t.reports.filters.allTeams : t.reports.filters.myTeams}
            value={view.teamId}
            options={(scope?.teams ?? []).map((o) => ({ value: o.id, label: o.name }))}
            onChange={(teamId) => onChange({ teamId: teamId ?? undefined, agentId: undefined })}
          />
        </Form.Item>
        <Form.Item label={t.reports.filters.agent}>
          <Select
            aria-label={t.reports.filters.agent}
            style={{ width: 140 }}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t.reports.filters.allAgents}
            value={view.agentId}
            options={agents.map((o) => ({ value: o.id, label: o.name }))}
            onChange={(agentId) => onChange({ agentId: agentId ?? undefined })}
          />
        </Form.Item>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={onReset}>
            {t.reports.filters.reset}
          </Button>
          <Button icon={<LinkOutlined />} onClick={copy}>
            {t.reports.filters.copyLink}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
