'use client';

import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Drawer, Skeleton, Table, Tag } from 'antd';
import { lateFeeHow } from '@/components/billing/LateFee';
import { formatPeriod, milliFenToFen, type Bill } from '@/lib/billing';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { formatFen } from '@/lib/money';
import { useTRPC } from '@/lib/trpc';

const BILL_COLOR: Record<string, string> = { unpaid: 'orange', overdue: 'red', paid: 'green' };

export function BillStatusTag({ bill }: { bill: Pick<Bill, 'status' | 'paying'> }) {
  return (
    <span>
      <Tag color={BILL_COLOR[bill.status] ?? 'default'} data-testid="bill-status" data-status={bill.status}>
        {t.billing.billStatus[bill.status] ?? bill.status}
      </Tag>
      {bill.paying && bill.status !== 'paid' && <Tag color="processing">{t.billing.paying}</Tag>}
    </span>
  );
}

/** Bill detail: charge lines by tier or time-of-use band, reading, late fee. */
export function BillDetailDrawer({ billId, onClose }: { billId: string | null; onClose: () => void }) {
  const trpc = useTRPC();
  const bill = useQuery({ ...trpc.billing.bill.queryOptions({ billId: billId ?? '' }), enabled: !!billId });
  const b = bill.data;
  return (
    <Drawer open={!!billId} onClose={onClose} title={t.billing.billDetail} size="large" destroyOnHidden>
      {bill.isPending && <Skeleton active />}
      {bill.isError && <Alert type="error" showIcon title={errorMessage(bill.error)} />}
      {b && (
        <div data-testid="bill-detail" data-bill-id={b.id}>
          <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t.billing.account}>{b.accountNumber}</Descriptions.Item>
            <Descriptions.Item label={t.billing.period}>{formatPeriod(b.period)}</Descriptions.Item>
            <Descriptions.Item label={t.billing.tariff}>{b.tariffName}</Descriptions.Item>
            <Descriptions.Item label={t.billing.kwh}>
              {b.kwh} {t.billing.kwhUnit}
            </Descriptions.Item>
            {b.reading && (
              <Descriptions.Item label={t.billing.reading}>{t.billing.readingRange(b.reading.startIndex, b.reading.endIndex)}</Descriptions.Item>
            )}
            <Descriptions.Item label={t.billing.amount}>
              <span data-testid="bill-detail-amount">{formatFen(b.amountFen)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t.billing.lateFee}>
              {formatFen(b.lateFeeFen)}
              {lateFeeHow(b) && (
                <div className="ps-muted" style={{ fontSize: 12 }}>
                  {lateFeeHow(b)}
                </div>
              )}
            </Descriptions.Item>
            {b.status !== 'paid' && (
              <Descriptions.Item label={t.billing.totalDueCol}>
                <b>{formatFen(b.totalDueFen)}</b>
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t.billing.dueDay}>{b.dueDay || '—'}</Descriptions.Item>
            <Descriptions.Item label={t.billing.status}>
              <BillStatusTag bill={b} />
            </Descriptions.Item>
            {b.issuedAt && <Descriptions.Item label={t.billing.issuedAt}>{formatDateTime(b.issuedAt)}</Descriptions.Item>}
            {b.paidAt && <Descriptions.Item label={t.billing.paidAt}>{formatDateTime(b.paidAt)}</Descriptions.Item>}
          </Descriptions>
          <div style={{ fontWeight: 600, marginBottom: 8 }}>{t.billing.lines}</div>
          <Table
            size="small"
            rowKey="band"
            pagination={false}
            dataSource={b.lines}
            data-testid="bill-lines"
            columns={[
              { title: t.billing.band, dataIndex: 'label' },
              { title: t.billing.kwh, dataIndex: 'kwh', align: 'right' },
              { title: t.billing.price, dataIndex: 'priceYuan', align: 'right' },
              { title: t.billing.lineAmount, key: 'amt', align: 'right', render: (_: unknown, l) => formatFen(milliFenToFen(l.amountMilliFen)) },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={3}>
                  {t.billing.lineTotal}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  <b>{formatFen(b.amountFen)}</b>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
          <div className="ps-muted" style={{ marginTop: 8, fontSize: 12 }}>
            {t.billing.bandHint}
          </div>
        </div>
      )}
    </Drawer>
  );
}
