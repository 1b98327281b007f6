'use client';

import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Result, Skeleton, Typography } from 'antd';
import { useParams } from 'next/navigation';
import { AccountCard } from '@/components/AccountCard';
import { PayPanel } from '@/components/billing/PayPanel';
import { CustomerPage } from '@/components/CustomerPage';
import { errorCode, errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

function PayAccount({ id }: { id: string }) {
  const trpc = useTRPC();
  const account = useQuery(trpc.account.get.queryOptions({ accountId: id }));
  const postpaid = account.data?.paymentMode === 'postpaid';
  // Snapshot of what is owed when the page opens; refreshed after each payment by invalidation.
  const bills = useQuery({ ...trpc.billing.bills.queryOptions({ accountId: id, status: 'unpaid', limit: 24 }), enabled: postpaid, staleTime: 0 });

  if (account.isPending || (postpaid && bills.isPending))
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (account.isError) {
    const code = errorCode(account.error);
    if (code === 'NOT_FOUND' || code === 'FORBIDDEN') return <Result status="404" title={errorMessage(account.error)} />;
    return <Alert type="error" showIcon title={errorMessage(account.error)} />;
  }
  if (bills.isError) return <Alert type="error" showIcon title={errorMessage(bills.error)} />;
  const a = account.data;
  return (
    <div data-testid="account-pay">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {a.paymentMode === 'prepaid' ? t.billing.recharge : t.billing.payTitle}
      </Typography.Title>
      <div style={{ marginBottom: 16 }}>
        <AccountCard account={a} />
      </div>
      <PayPanel
        target={{ accountId: id }}
        mode={a.paymentMode === 'prepaid' ? 'prepaid' : 'postpaid'}
        bills={bills.data ?? []}
        backHref={`/home/accounts/${id}`}
        backLabel={t.billing.backToBills}
      />
    </div>
  );
}

export default function AccountPayPage() {
  const { id } = useParams<{ id: string }>();
  return (
    <CustomerPage back={`/home/accounts/${id}`} backLabel={t.billing.backToBills}>
      {() => <PayAccount id={id} />}
    </CustomerPage>
  );
}
