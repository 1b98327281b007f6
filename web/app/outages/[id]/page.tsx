'use client';

import { LeftOutlined, LoginOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Result, Skeleton, Timeline, Typography } from 'antd';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { OutageCard } from '@/components/outages/OutageBits';
import { PortalShell } from '@/components/PortalShell';
import { formatShort } from '@/lib/customer';
import { errorCode, errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const C = t.customer;

/** One outage, public (the page every outage notice links to): window, ETR and how it changed, the areas. */
function OutageDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.outage.get.queryOptions({ outageId: id }), refetchInterval: 60_000, retry: false });
  if (q.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (q.isError) {
    if (errorCode(q.error) === 'NOT_FOUND' || errorCode(q.error) === 'BAD_REQUEST') return <Result status="404" title={C.outageMissing} />;
    return <Alert type="error" showIcon title={errorMessage(q.error)} />;
  }
  const o = q.data;
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {C.outageTitle}
      </Typography.Title>
      <OutageCard outage={o} />
      {o.areaNames.length > 0 && (
        <Card size="small" title={C.outageAreas} style={{ marginBottom: 12 }}>
          <div style={{ wordBreak: 'break-all' }}>{o.areaNames.join('、')}</div>
        </Card>
      )}
      {o.etrHistory.length > 1 && (
        <Card size="small" title={C.outageEtrHistory}>
          <Timeline
            items={o.etrHistory.map((h, i) => ({
              key: i,
              content: (
                <div>
                  <div>{h.etr ? `${t.outages.etr}：${formatShort(h.etr)}` : t.outages.etrPending}</div>
                  <div className="ps-muted" style={{ fontSize: 12 }}>
                    {formatDateTime(h.at)}
                  </div>
                </div>
              ),
            }))}
          />
        </Card>
      )}
    </div>
  );
}

export default function OutageDetailPage() {
  const { id } = useParams<{ id: string }>();
  return (
    <PortalShell
      right={
        <Link href="/login">
          <Button size="small" ghost icon={<LoginOutlined />}>
            {t.outages.login}
          </Button>
        </Link>
      }
    >
      <div style={{ marginBottom: 12 }}>
        <Link href="/outages">
          <LeftOutlined /> {C.outageBack}
        </Link>
      </div>
      <OutageDetail id={id} />
    </PortalShell>
  );
}
