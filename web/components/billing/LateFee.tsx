'use client';

import { Alert, Col, Row, Statistic } from 'antd';
import { formatPeriod, type Bill } from '@/lib/billing';
import { t } from '@/lib/i18n';
import { formatFen } from '@/lib/money';

type FeeBill = Pick<Bill, 'amountFen' | 'lateFeeFen' | 'lateFeeBasis'>;

/** "¥374.24 × 1‰/天 × 20 天（自 2026-11-16 起计）", or null when the bill carries no late fee. */
export function lateFeeHow(b: FeeBill): string | null {
  const basis = b.lateFeeBasis;
  if (!basis || b.lateFeeFen <= 0) return null;
  return t.customer.lateFeeHow(formatFen(basis.baseFen), String(basis.perMillePerDay), basis.days, basis.fromDay);
}

/** One unpaid bill: principal, late fee with how it was computed, and what is owed in all. */
export function UnpaidBillLine({ bill }: { bill: Pick<Bill, 'period' | 'amountFen' | 'lateFeeFen' | 'totalDueFen' | 'lateFeeBasis' | 'dueDay'> }) {
  const how = lateFeeHow(bill);
  return (
    <div style={{ padding: '8px 0', borderBottom: '1px solid #f0f0f0' }} data-testid={`unpaid-${bill.period}`}>
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 12, flexWrap: 'wrap' }}>
        <b>{formatPeriod(bill.period)}</b>
        <span>
          {t.billing.totalDueCol} <b className="ps-amount-danger">{formatFen(bill.totalDueFen)}</b>
        </span>
      </div>
      <div className="ps-muted" style={{ fontSize: 13, marginTop: 2 }}>
        {t.customer.principal} {formatFen(bill.amountFen)}
        {bill.lateFeeFen > 0 ? (
          <span>
            {' + '}
            {t.customer.lateFee} {formatFen(bill.lateFeeFen)}
            {how && <span>（{how}）</span>}
          </span>
        ) : (
          <span>
            {' · '}
            {t.billing.dueDay} {bill.dueDay}
          </span>
        )}
      </div>
    </div>
  );
}

/** 欠费金额（本金） + 违约金 = 应缴合计, so the two numbers never stand side by side unexplained. */
export function DueSummary({ bills }: { bills: Pick<Bill, 'amountFen' | 'lateFeeFen' | 'totalDueFen'>[] }) {
  const principal = bills.reduce((s, b) => s + b.amountFen, 0);
  const fee = bills.reduce((s, b) => s + b.lateFeeFen, 0);
  const total = bills.reduce((s, b) => s + b.totalDueFen, 0);
  return (
    <>
      <Row gutter={[16, 8]} style={{ marginTop: 12 }}>
        <Col xs={8}>
          <Statistic title={t.customer.arrearsPrincipal} value={formatFen(principal)} />
        </Col>
        <Col xs={8}>
          <Statistic title={`+ ${t.customer.lateFee}`} value={formatFen(fee)} />
        </Col>
        <Col xs={8}>
          <Statistic title={`= ${t.customer.totalDue}`} value={formatFen(total)} valueStyle={{ color: '#cf1322', fontWeight: 600 }} />
        </Col>
      </Row>
      {fee > 0 && <Alert type="info" showIcon title={t.customer.lateFeeNote} style={{ marginTop: 12 }} />}
    </>
  );
}
