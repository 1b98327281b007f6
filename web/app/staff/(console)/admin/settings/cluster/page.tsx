'use client';

import { Alert, Card, Col, Form, InputNumber, Row, Space } from 'antd';
import { useEffect } from 'react';
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
const K = T.cluster;
const MIN = 60_000;

type Cluster = { areaThreshold: number; windowMs: number; feederMinAreas: number; feederSharePct: number; baselineDays: number };
type ClusterForm = Omit<Cluster, 'windowMs'> & { windowMinutes: number };

const toForm = (c: Cluster): ClusterForm => {
  const { windowMs, ...rest } = c;
  return { ...rest, windowMinutes: windowMs / MIN };
};

export default function Page() {
  const canEdit = useCanEditSettings();
  const current = useSettingCurrent('cluster');
  const [form] = Form.useForm<ClusterForm>();
  useEffect(() => {
    if (current.data) form.setFieldsValue(toForm(current.data.latestValue as Cluster));
  }, [current.data, form]);

  const build = async () => {
    try {
      const { windowMinutes, ...rest } = await form.validateFields();
      return { ...rest, windowMs: windowMinutes * MIN } satisfies Cluster;
    } catch {
      return null;
    }
  };

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
                name="cluster"
                layout="vertical"
                initialValues={toForm(current.data.latestValue as Cluster)}
                disabled={!canEdit}
                aria-label={K.title}
              >
                <Row gutter={16}>
                  <Col xs={24} sm={12} lg={8}>
                    <Form.Item name="areaThreshold" label={K.areaThreshold} rules={intRules('台区报修阈值', 2, 100, '起')}>
                      <InputNumber style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12} lg={8}>
                    <Form.Item name="windowMinutes" label={K.windowMinutes} rules={intRules('聚类时间窗', 1, 120, '分钟')}>
                      <InputNumber style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12} lg={8}>
                    <Form.Item name="feederMinAreas" label={K.feederMinAreas} rules={intRules('线路台区数阈值', 2, 50, '个')}>
                      <InputNumber style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12} lg={8}>
                    <Form.Item
                      name="feederSharePct"
                      label={K.feederSharePct}
                      rules={[
                        { required: true, message: T.required('线路报修占比') },
                        { type: 'number', min: 0.01, max: 100, message: K.feederSharePctInvalid },
                      ]}
                    >
                      <InputNumber style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12} lg={8}>
                    <Form.Item name="baselineDays" label={K.baselineDays} rules={intRules('常态报修率统计天数', 1, 365, '天')}>
                      <InputNumber style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                </Row>
              </Form>
            </Card>
            {canEdit && <PublishPanel kind="cluster" current={current.data} build={build} />}
            <VersionHistory kind="cluster" current={current.data} />
          </Space>
        )
      )}
    </SettingsPage>
  );
}
