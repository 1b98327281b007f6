'use client';

import { Alert, Card, Col, Form, InputNumber, Row, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { ORDER_TYPE_LABELS } from '@power/api/labels';
import { CenterSpin } from '@/components/common';
import {
  CurrentLine,
  intRules,
  PublishPanel,
  SettingsPage,
  useCanEditSettings,
  useSettingCurrent,
  VersionHistory,
} from '@/components/settings/SettingsBits';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';

const T = t.settings;
const K = t.points.settings;
type Rules = Record<string, number> & { handled: Record<string, number> };
const FIELDS: { name: keyof typeof K; label: string; min: number; max: number; unit: string }[] = [
  { name: 'ahtBonus', label: '处理时长奖励', min: 0, max: 100, unit: '分' },
  { name: 'ahtPenalty', label: '处理时长扣分', min: 0, max: 100, unit: '分' },
  { name: 'ahtPenaltyFactorPct', label: '处理时长扣分线', min: 101, max: 1000, unit: '%' },
  { name: 'ahtMinSamples', label: '中位数最少样本数', min: 1, max: 1000, unit: '单' },
  { name: 'onTime', label: '按时完成积分', min: 0, max: 100, unit: '分' },
  { name: 'late', label: '超时扣分', min: 0, max: 100, unit: '分' },
  { name: 'satisfied', label: '客户满意积分', min: 0, max: 100, unit: '分' },
  { name: 'dissatisfied', label: '客户不满意扣分', min: 0, max: 100, unit: '分' },
  { name: 'qcError', label: '质检差错扣分', min: 0, max: 100, unit: '分' },
  { name: 'reopenWindowDays', label: '重开收回积分期限', min: 1, max: 90, unit: '天' },
];

export default function Page() {
  const canEdit = useCanEditSettings();
  const current = useSettingCurrent('points');
  const [form] = Form.useForm<Rules>();
  useEffect(() => {
    if (current.data) form.setFieldsValue(current.data.latestValue as unknown as Rules);
  }, [current.data, form]);
  const build = async () => {
    try {
      return await form.validateFields();
    } catch {
      return null;
    }
  };
  const types = Object.keys(ORDER_TYPE_LABELS) as (keyof typeof ORDER_TYPE_LABELS)[];
  return (
    <SettingsPage title={K.title}>
      {!canEdit && <Alert type="info" showIcon title={T.readOnly} />}
      {current.error && <Alert type="error" showIcon title={errorMessage(current.error)} />}
      {current.isPending ? (
        <CenterSpin />
      ) : (
        current.data && (
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <CurrentLine current={current.data} />
            <Alert type="info" showIcon title={K.hint} />
            <Card size="small">
              <Form
                form={form}
                name="points"
                layout="vertical"
                initialValues={current.data.latestValue as unknown as Rules}
                disabled={!canEdit}
                aria-label={K.title}
              >
                <Typography.Title level={5}>{K.handled}</Typography.Title>
                <Row gutter={16}>
                  {types.map((ty) => (
                    <Col key={ty} xs={12} sm={8} lg={6}>
                      <Form.Item
                        name={['handled', ty]}
                        label={ORDER_TYPE_LABELS[ty]}
                        rules={intRules(`${ORDER_TYPE_LABELS[ty]}工单处理积分`, 0, 100, '分')}
                      >
                        <InputNumber style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                  ))}
                </Row>
                <Row gutter={16}>
                  {FIELDS.map((f) => (
                    <Col key={f.name} xs={24} sm={12} lg={8}>
                      <Form.Item name={f.name} label={K[f.name] as string} rules={intRules(f.label, f.min, f.max, f.unit)}>
                        <InputNumber style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                  ))}
                </Row>
              </Form>
            </Card>
            {canEdit && <PublishPanel kind="points" current={current.data} build={build} />}
            <VersionHistory kind="points" current={current.data} />
          </Space>
        )
      )}
    </SettingsPage>
  );
}
