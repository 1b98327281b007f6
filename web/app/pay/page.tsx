'use client';

import { SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { PayPanel } from '@/components/billing/PayPanel';
import { CustomerPage } from '@/components/CustomerPage';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

function PayFor() {
  const trpc = useTRPC();
  const [form] = Form.useForm<{ number: string }>();
  const [number, setNumber] = useState<string | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const info = useQuery({ ...trpc.billing.payFor.queryOptions({ number: number ?? '' }), enabled: !!number, staleTime: 0 });

  const lookup = ({ number: n }: { number: string }) => {
    setConfirmed(false);
    setNumber(n.trim());
    if (n.trim() === number) void info.refetch();
  };
  const reset = () => {
    setNumber(null);
    setConfirmed(false);
    form.resetFields();
  };
  const d = info.data;

  return (
    <div data-testid="payfor-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t.billing.payForTitle}
      </Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <p className="ps-muted" style={{ marginTop: 0 }}>
          {t.billing.payForIntro}
        </p>
        <Form form={form} layout="inline" onFinish={lookup} disabled={confirmed} style={{ rowGap: 8 }}>
          <Form.Item
            name="number"
            rules={[
              { required: true, message: t.billing.numberInvalid },
              { pattern: /^\d{13}$/, message: t.billing.numberInvalid },
            ]}
          >
            <Input placeholder={t.billing.numberPlaceholder} maxLength={13} inputMode="numeric" style={{ width: 220 }} data-testid="payfor-number" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={info.isFetching} data-testid="payfor-lookup">
              {t.billing.lookup}
            </Button>
          </Form.Item>
        </Form>
        {info.isError && <Alert type="error" showIcon title={errorMessage(info.error)} style={{ marginTop: 12 }} data-testid="payfor-error" />}
        {d && !info.isError && (
          <div style={{ marginTop: 16 }} data-testid="payfor-found">
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t.billing.number}>{d.number}</Descriptions.Item>
              <Descriptions.Item label={t.billing.holderMasked}>
                <span style={{ fontSize: 18, fontWeight: 600 }} data-testid="payfor-holder">
                  {d.holderNameMasked}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t.home.paymentMode}>
                <Tag color="blue">{t.enums.paymentMode[d.paymentMode] ?? d.paymentMode}</Tag>
              </Descriptions.Item>
            </Descriptions>
            {!confirmed ? (
              <>
                <Alert
                  type="warning"
                  showIcon
                  icon={<SafetyCertificateOutlined />}
                  style={{ marginTop: 12 }}
                  title={t.billing.confirmHolderDesc(d.holderNameMasked)}
                />
                <Space style={{ marginTop: 12 }}>
                  <Button type="primary" onClick={() => setConfirmed(true)} data-testid="payfor-confirm">
                    {t.billing.confirmHolder}
                  </Button>
                  <Button onClick={reset} data-testid="payfor-reset">
                    {t.billing.reLookup}
                  </Button>
                </Space>
              </>
            ) : (
              <Space style={{ marginTop: 12 }}>
                <Tag color="green" data-testid="payfor-confirmed">
                  {t.billing.confirmed}
                </Tag>
                <Button size="small" onClick={reset} data-testid="payfor-reset">
                  {t.billing.reLookup}
                </Button>
              </Space>
            )}
          </div>
        )}
      </Card>
      {d && confirmed && (
        <>
          {d.paymentMode === 'prepaid' && (
            <Alert
              type={d.balanceNegative ? 'error' : 'info'}
              showIcon
              style={{ marginBottom: 12 }}
              title={d.balanceNegative ? t.billing.prepaidNeedsRecharge : t.billing.prepaidRecharge}
            />
          )}
          <PayPanel
            key={d.number}
            target={{ number: d.number, holderNameMasked: d.holderNameMasked }}
            mode={d.paymentMode}
            bills={d.unpaidBills}
            backHref="/home"
            backLabel={t.portal.backHome}
          />
        </>
      )}
    </div>
  );
}

export default function PayForPage() {
  return <CustomerPage>{() => <PayFor />}</CustomerPage>;
}
