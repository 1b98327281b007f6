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
/** Each rule's allowed range; its label and the words of its range check come from the dictionary. */
const FIELDS: { name: keyof typeof K.checks; min: number; max: number }[] = [
  { name: 'ahtBonus', min: 0, max: 100 },
  { name: 'ahtPenalty', min: 0, max: 100 },
  { name: 'ahtPenaltyFactorPct', min: 101, max: 1000 },
  { name: 'ahtMinSamples', min: 1, max: 1000 },
  { name: 'onTime', min: 0, max: 100 },
  { name: 'late', min: 0, max: 100 },
  { name: 'satisfied', min: 0, max: 100 },
  { name: 'dissatisfied', min: 0, max: 100 },
  { name: 'qcError', min: 0, max: 100 },
  { name: 'reopenWindowDays', min: 1, max: 90 },
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
                        rules={intRules(K.handledCheck(ORDER_TYPE_LABELS[ty]), 0, 100, K.pointsUnit)}
                      >
                        <InputNumber style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                  ))}
                </Row>
                <Row gutter={16}>
                  {FIELDS.map((f) => (
                    <Col key={f.name} xs={24} sm={12} lg={8}>
                      <Form.Item name={f.name} label={K[f.name]} rules={intRules(K.checks[f.name].name, f.min, f.max, K.checks[f.name].unit)}>
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
