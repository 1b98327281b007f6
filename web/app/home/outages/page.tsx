'use client';

import { BellOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Skeleton, Space, Tag, Typography } from 'antd';
import Link from 'next/link';
import { CustomerPage } from '@/components/CustomerPage';
import { EnterpriseOutages } from '@/components/outages/EnterpriseOutages';
import { OutageCard } from '@/components/outages/OutageBits';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const T = t.outages;

function MyOutages() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const mine = useQuery({ ...trpc.outage.mine.queryOptions(), refetchInterval: 30_000 });
  const sub = useMutation(trpc.outage.subscribe.mutationOptions());
  const unsub = useMutation(trpc.outage.unsubscribe.mutationOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.outage.pathKey() });

  const toggle = async (accountId: string, subscribed: boolean) => {
    try {
      if (subscribed) {
        await unsub.mutateAsync({ accountId });
        message.success(T.unsubscribedOk);
      } else {
        await sub.mutateAsync({ accountId });
        message.success(T.subscribedOk);
      }
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      await refresh();
    }
  };

  return (
    <div data-testid="my-outages">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {T.mineTitle}
      </Typography.Title>
      <p className="ps-muted">{T.mineDesc}</p>
      {mine.isPending && (
        <Card>
          <Skeleton active />
        </Card>
      )}
      {mine.isError && <Alert type="error" showIcon title={errorMessage(mine.error)} />}
      {mine.data && mine.data.length === 0 && (
        <Card>
          <Empty description={T.noAccounts}>
            <Link href="/home/bind">
              <Button type="primary">{t.home.bindNow}</Button>
            </Link>
          </Empty>
        </Card>
      )}
      {mine.data?.map((a) => (
        <Card
          key={a.accountId}
          style={{ marginBottom: 16 }}
          data-testid={`outage-account-${a.number}`}
          title={
            <Space size={6} wrap>
              <span style={{ fontVariantNumeric: 'tabular-nums' }}>
                {t.home.number} {a.number}
              </span>
              <span className="ps-muted" style={{ fontWeight: 400 }} data-testid="area">
                {a.transformerAreaName}
              </span>
            </Space>
          }
          extra={
            <Button
              size="small"
              type={a.subscribed ? 'default' : 'primary'}
              icon={a.subscribed ? <CheckCircleOutlined /> : <BellOutlined />}
              loading={(sub.isPending && sub.variables?.accountId === a.accountId) || (unsub.isPending && unsub.variables?.accountId === a.accountId)}
              onClick={() => toggle(a.accountId, a.subscribed)}
              data-testid={a.subscribed ? `unsubscribe-${a.number}` : `subscribe-${a.number}`}
            >
              {a.subscribed ? T.unsubscribe : T.subscribe}
            </Button>
          }
        >
          <div className="ps-muted" style={{ marginBottom: 8 }}>
            {a.addressMasked}
            {a.subscribed && (
              <Tag color="green" style={{ marginLeft: 8 }} data-testid="subscribed">
                {T.subscribed}
              </Tag>
            )}
          </div>
          {a.outages.length === 0 ? (
            <Alert type="success" showIcon title={T.noOutage} data-testid="no-outage" />
          ) : (
            a.outages.map((o) => <OutageCard key={o.id} outage={o} href={`/outages/${o.id}`} />)
          )}
        </Card>
      ))}
    </div>
  );
}

export default function HomeOutagesPage() {
  // Enterprise users see every site of theirs in one list (EnterpriseOutages); residents keep one card per bound account.
  return <CustomerPage>{(me) => (me.roles.some((r) => r.startsWith('enterprise_')) ? <EnterpriseOutages /> : <MyOutages />)}</CustomerPage>;
}
