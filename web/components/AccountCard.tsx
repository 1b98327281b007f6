'use client';

import { EnvironmentOutlined, RightOutlined, SyncOutlined, UserOutlined } from '@ant-design/icons';
import { Card, Space, Tag } from 'antd';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { SupplyStateTag } from '@/components/common';
import { formatShort, type Reconnection } from '@/lib/customer';
import { t } from '@/lib/i18n';
import { formatFen } from '@/lib/money';

export type AccountLike = {
  id: string;
  number: string;
  holderNameMasked: string;
  addressMasked: string;
  relation: string;
  /** follow: bound by name only (pay, bills, notices); holder: 户主. Absent for staff views. */
  level?: 'follow' | 'holder';
  usageCategory: string;
  paymentMode: string;
  supplyState: string;
  balanceFen: number;
  arrearsFen: number;
  transformerAreaName: string;
};

export function AmountLine({ account }: { account: Pick<AccountLike, 'arrearsFen' | 'balanceFen' | 'paymentMode'> }) {
  if (account.arrearsFen > 0) {
    return (
      <div>
        <div className="ps-muted">{t.home.arrears}</div>
        <div className="ps-amount ps-amount-danger" data-testid="arrears">
          {formatFen(account.arrearsFen)}
        </div>
      </div>
    );
  }
  // Postpaid accounts without a deposit: what matters is that nothing is owed.
  const label = account.paymentMode === 'postpaid' && account.balanceFen <= 0 ? t.home.noArrears : t.home.balance;
  return (
    <div>
      <div className="ps-muted">{label}</div>
      <div className="ps-amount" data-testid="balance">
        {formatFen(account.balanceFen)}
      </div>
    </div>
  );
}

/**
 * `actions`: entries shown in the card's footer (e.g. 账单 / 缴费 on the home page); `href`: the account's detail
 * page (the title opens it); `reconnect`: an open 复电 order — the account reads 复电中 with the promised time.
 */
export function AccountCard({
  account,
  extra,
  actions,
  href,
  reconnect,
}: {
  account: AccountLike;
  extra?: ReactNode;
  actions?: ReactNode[];
  href?: string;
  reconnect?: Reconnection | null;
}) {
  const number = (
    <span style={{ fontVariantNumeric: 'tabular-nums' }}>
      {t.home.number} {account.number}
    </span>
  );
  const reconnecting = !!reconnect && account.supplyState === 'disconnected';
  return (
    <Card
      className="ps-account-card"
      size="small"
      data-testid={`account-row-${account.number}`}
      title={
        <Space size={6} wrap>
          {href ? (
            <Link href={href} style={{ color: 'inherit' }}>
              {number} <RightOutlined style={{ fontSize: 11, color: '#8a98a5' }} />
            </Link>
          ) : (
            number
          )}
        </Space>
      }
      extra={
        reconnecting ? (
          <Tag color="processing" icon={<SyncOutlined spin />}>
            {t.customer.reconnecting}
          </Tag>
        ) : (
          <SupplyStateTag state={account.supplyState} />
        )
      }
      actions={actions}
    >
      {reconnecting && (
        <div style={{ marginBottom: 8, color: reconnect.late ? '#d46b08' : '#0958d9' }} role="status">
          {reconnect.late
            ? t.customer.reconnectingLate
            : reconnect.expectedAt
              ? t.customer.reconnectingUntil(formatShort(reconnect.expectedAt))
              : t.customer.reconnectingNow}
        </div>
      )}
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-end', gap: 12 }}>
        <div style={{ minWidth: 0, flex: 1 }}>
          <div style={{ marginBottom: 6 }}>
            <UserOutlined style={{ color: '#8a98a5', marginRight: 6 }} />
            <span data-testid="holder">{account.holderNameMasked}</span>
            <Tag style={{ marginLeft: 8 }}>{t.enums.relation[account.relation] ?? account.relation}</Tag>
            {account.relation !== 'enterprise' && account.level && (
              <Tag color={account.level === 'holder' ? 'green' : 'default'} title={account.level === 'follow' ? t.level.followHint : undefined}>
                {t.level[account.level]}
              </Tag>
            )}
            {account.relation !== 'enterprise' && account.level === 'follow' && (
              <Link href={`/home/bind?number=${account.number}&upgrade=1`} style={{ marginLeft: 4 }}>
                {t.level.upgrade}
              </Link>
            )}
          </div>
          <div style={{ marginBottom: 6, wordBreak: 'break-all' }}>
            <EnvironmentOutlined style={{ color: '#8a98a5', marginRight: 6 }} />
            <span data-testid="address">{account.addressMasked}</span>
          </div>
          <Space size={4} wrap>
            <Tag color="blue">{t.enums.paymentMode[account.paymentMode] ?? account.paymentMode}</Tag>
            <Tag>{t.enums.usageCategory[account.usageCategory] ?? account.usageCategory}</Tag>
            {account.transformerAreaName && (
              <span className="ps-muted" data-testid="area">
                {account.transformerAreaName}
              </span>
            )}
          </Space>
        </div>
        <div style={{ textAlign: 'right', flex: 'none' }}>
          <AmountLine account={account} />
          {extra}
        </div>
      </div>
    </Card>
  );
}
