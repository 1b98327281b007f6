'use client';

import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Form, InputNumber, Row, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { CurrentLine, intRules, PublishPanel, TwoSettingsPage, VersionHistory, type SettingCurrent } from '@/components/settings/SettingsBits';
import { t } from '@/lib/i18n';

const T = t.settings;
const S = T.sla;
const C = T.calendar;
const AREAS = ['urban', 'rural', 'remote'] as const;
const SUPPLY = ['residential', 'lv_non_residential', 'hv_single', 'hv_dual'] as const;

type SlaRules = {
  faultDispatchMin: number;
  faultArrivalMin: Record<(typeof AREAS)[number], number>;
  faultRestoreMin: Record<(typeof AREAS)[number], number>;
  onlineFirstReplyMin: number;
  consultationAnswerMin: number;
  complaintContactMin: number;
  complaintReplyWorkingDays: number;
  reportReplyWorkingDays: number;
  opinionReplyWorkingDays: number;
  meterCheckWorkingDays: number;
  nameChangeWorkingDays: number;
  connectionWorkingDays: Record<(typeof SUPPLY)[number], number>;
  reconnectionRemoteMin: number;
  reconnectionOnSiteMin: number;
  returnVisitMin: number;
  warnAt: [number, number];
};
type SlaForm = Omit<SlaRules, 'warnAt'> & { warn1: number; warn2: number };

const DAY = 24 * 60;
const WEEK = 7 * DAY;

function Minutes({ name, label, max }: { name: string | [string, string]; label: string; max: number }) {
  return (
    <Col xs={24} sm={12} lg={8}>
      <Form.Item name={name} label={`${label}（${T.minutes}）`} rules={intRules(label, 1, max, T.minutes)}>
        <InputNumber style={{ width: '100%' }} />
      </Form.Item>
    </Col>
  );
}
function Days({ name, label }: { name: string | [string, string]; label: string }) {
  return (
    <Col xs={24} sm={12} lg={8}>
      <Form.Item name={name} label={`${label}（${T.workingDays}）`} rules={intRules(label, 1, 60, T.workingDays)}>
        <InputNumber style={{ width: '100%' }} />
      </Form.Item>
    </Col>
  );
}

function SlaEditor({ current, canEdit }: { current: SettingCurrent; canEdit: boolean }) {
  const [form] = Form.useForm<SlaForm>();
  const latest = current.latestValue as SlaRules;
  const initial: SlaForm = { ...latest, warn1: Math.round(latest.warnAt[0] * 100), warn2: Math.round(latest.warnAt[1] * 100) };
  useEffect(() => {
    form.setFieldsValue(initial);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current.latestVersion]);

  const build = async () => {
    try {
      const v = await form.validateFields();
      const { warn1, warn2, ...rest } = v;
      return { ...rest, warnAt: [warn1 / 100, warn2 / 100] } satisfies SlaRules;
    } catch {
      return null;
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <CurrentLine current={current} />
      <Form form={form} name="sla-rules" layout="vertical" initialValues={initial} disabled={!canEdit} aria-label={S.tabRules}>
        <Card size="small" title={S.groupFault} style={{ marginBottom: 12 }}>
          <Row gutter={16}>
            <Minutes name="faultDispatchMin" label={S.faultDispatchMin} max={DAY} />
          </Row>
          <Row gutter={16}>
            {AREAS.map((a) => (
              <Minutes key={a} name={['faultArrivalMin', a]} label={`${S.faultArrivalMin}（${T.areas[a]}）`} max={DAY} />
            ))}
          </Row>
          <Row gutter={16}>
            {AREAS.map((a) => (
              <Minutes key={a} name={['faultRestoreMin', a]} label={`${S.faultRestoreMin}（${T.areas[a]}）`} max={WEEK} />
            ))}
          </Row>
        </Card>
        <Card size="small" title={S.groupOnline} style={{ marginBottom: 12 }}>
          <Row gutter={16}>
            <Minutes name="onlineFirstReplyMin" label={S.onlineFirstReplyMin} max={DAY} />
            <Minutes name="consultationAnswerMin" label={S.consultationAnswerMin} max={WEEK} />
            <Minutes name="complaintContactMin" label={S.complaintContactMin} max={WEEK} />
          </Row>
        </Card>
        <Card size="small" title={S.groupWorkingDays} style={{ marginBottom: 12 }}>
          <Row gutter={16}>
            <Days name="complaintReplyWorkingDays" label={S.complaintReplyWorkingDays} />
            <Days name="reportReplyWorkingDays" label={S.reportReplyWorkingDays} />
            <Days name="opinionReplyWorkingDays" label={S.opinionReplyWorkingDays} />
            <Days name="meterCheckWorkingDays" label={S.meterCheckWorkingDays} />
            <Days name="nameChangeWorkingDays" label={S.nameChangeWorkingDays} />
          </Row>
          <Row gutter={16}>
            {SUPPLY.map((c) => (
              <Days key={c} name={['connectionWorkingDays', c]} label={`${S.connectionWorkingDays}（${S.supplyClasses[c]}）`} />
            ))}
          </Row>
        </Card>
        <Card size="small" title={S.groupOther}>
          <Row gutter={16}>
            <Minutes name="reconnectionRemoteMin" label={S.reconnectionRemoteMin} max={DAY} />
            <Minutes name="reconnectionOnSiteMin" label={S.reconnectionOnSiteMin} max={WEEK} />
            <Minutes name="returnVisitMin" label={S.returnVisitMin} max={WEEK} />
            <Col xs={24} sm={12} lg={8}>
              <Form.Item name="warn1" label={S.warn1} rules={intRules(S.warn1, 1, 98, '%')}>
                <InputNumber style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={8}>
              <Form.Item
                name="warn2"
                label={S.warn2}
                dependencies={['warn1']}
                rules={[
                  ...intRules(S.warn2, 2, 99, '%'),
                  ({ getFieldValue }) => ({
                    validator: async (_, v: number) => {
                      if (typeof v === 'number' && v <= getFieldValue('warn1')) throw new Error(S.warnOrder);
                    },
                  }),
                ]}
              >
                <InputNumber style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
      </Form>
      {canEdit && <PublishPanel kind="sla" current={current} build={build} />}
      <VersionHistory kind="sla" current={current} />
    </Space>
  );
}

type Calendar = { holidays: string[]; makeupWorkdays: string[] };

function DateList({ title, dates, onRemove, canEdit }: { title: string; dates: string[]; onRemove: (d: string) => void; canEdit: boolean }) {
  const byYear = new Map<string, string[]>();
  for (const d of dates) byYear.set(d.slice(0, 4), [...(byYear.get(d.slice(0, 4)) ?? []), d]);
  return (
    <div>
      <Typography.Text strong>
        {title} · {C.count(dates.length)}
      </Typography.Text>
      {dates.length === 0 && <div className="ps-muted">{C.empty}</div>}
      {[...byYear.entries()].map(([year, ds]) => (
        <div key={year} style={{ margin: '8px 0' }}>
          <Typography.Text type="secondary" style={{ marginRight: 8 }}>
            {year}
          </Typography.Text>
          <Space size={[4, 4]} wrap>
            {ds.map((d) => (
              <Tag key={d} closable={canEdit} onClose={() => onRemove(d)} closeIcon={canEdit ? undefined : false} aria-label={d}>
                {d}
              </Tag>
            ))}
          </Space>
        </div>
      ))}
    </div>
  );
}

function AddDate({ label, onAdd, weekendOnly }: { label: string; onAdd: (d: string) => string | null; weekendOnly?: boolean }) {
  const [value, setValue] = useState<Dayjs | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <Space wrap align="start">
      <DatePicker
        value={value}
        onChange={(d) => (setValue(d), setError(null))}
        format="YYYY-MM-DD"
        placeholder={C.pickDate}
        aria-label={label.replace('添加', '选择')}
      />
      <Button
        icon={<PlusOutlined />}
        disabled={!value}
        onClick={() => {
          if (!value) return;
          if (weekendOnly && value.day() !== 0 && value.day() !== 6) return setError(C.makeupWeekend);
          const err = onAdd(value.format('YYYY-MM-DD'));
          if (err) return setError(err);
          setValue(null);
        }}
      >
        {label}
      </Button>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </Space>
  );
}

function CalendarEditor({ current, canEdit }: { current: SettingCurrent; canEdit: boolean }) {
  const latest = current.latestValue as Calendar;
  const [cal, setCal] = useState<Calendar>(latest);
  useEffect(() => {
    setCal(current.latestValue as Calendar);
  }, [current.latestVersion, current.latestValue]);
  const add = (key: keyof Calendar) => (d: string) => {
    if (cal.holidays.includes(d) || cal.makeupWorkdays.includes(d)) return C.duplicate;
    setCal({ ...cal, [key]: [...cal[key], d].sort() });
    return null;
  };
  const remove = (key: keyof Calendar) => (d: string) => setCal({ ...cal, [key]: cal[key].filter((x) => x !== d) });
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <CurrentLine current={current} />
      <Alert type="info" showIcon title={C.hint} />
      <Card size="small">
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <div>
            <DateList title={C.holidays} dates={cal.holidays} onRemove={remove('holidays')} canEdit={canEdit} />
            {canEdit && <AddDate label={C.addHoliday} onAdd={add('holidays')} />}
          </div>
          <div>
            <DateList title={C.makeup} dates={cal.makeupWorkdays} onRemove={remove('makeupWorkdays')} canEdit={canEdit} />
            {canEdit && <AddDate label={C.addMakeup} onAdd={add('makeupWorkdays')} weekendOnly />}
          </div>
        </Space>
      </Card>
      {canEdit && <PublishPanel kind="calendar" current={current} build={async () => cal} />}
      <VersionHistory kind="calendar" current={current} />
    </Space>
  );
}

export default function Page() {
  return (
    <TwoSettingsPage
      title={S.title}
      tabs={[
        { key: 'rules', label: S.tabRules, kind: 'sla', render: (current, canEdit) => <SlaEditor current={current} canEdit={canEdit} /> },
        {
          key: 'calendar',
          label: S.tabCalendar,
          kind: 'calendar',
          render: (current, canEdit) => <CalendarEditor current={current} canEdit={canEdit} />,
        },
      ]}
    />
  );
}
