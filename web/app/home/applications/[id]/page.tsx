'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Input, Popconfirm, Rate, Skeleton, Space, Typography } from 'antd';
import { useParams } from 'next/navigation';
import { useState } from 'react';
import { type ApplicationView, DocumentsCard, HistoryCard, LateNotice, MilestoneSteps, PhaseTag } from '@/components/applications/ApplicationBits';
import { CustomerPage } from '@/components/CustomerPage';
import { DocumentPicker } from '@/components/DocumentPicker';
import { errorCode, errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import type { FileView } from '@/lib/upload';

function SupplyDocs({ app, onDone }: { app: ApplicationView; onDone: () => Promise<void> }) {
  const trpc = useTRPC();
  const supply = useMutation(trpc.application.supplyDocs.mutationOptions());
  const [files, setFiles] = useState<Record<string, FileView[]>>({});
  const [busy, setBusy] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const req = app.docRequest!;
  const chosen = Object.entries(files).flatMap(([kind, fs]) => fs.map((f) => ({ kind: kind as 'id_card', fileId: f.id })));
  const send = async () => {
    setError(null);
    try {
      await supply.mutateAsync({ orderId: app.id, version: app.version, documents: chosen });
      await onDone();
    } catch (err) {
      setError(errorCode(err) === 'CONFLICT' ? t.wo.conflict : errorMessage(err));
    }
  };
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      title={t.apply.waitingTitle}
      description={
        <Space direction="vertical" style={{ width: '100%' }} className="ps-apply-docs">
          <style>{'.ps-apply-docs input[type=file]{display:none}'}</style>
          <span>{t.apply.waitingDesc(req.kindLabels.join('、'), req.note)}</span>
          {req.kinds.map((k, i) => (
            <DocumentPicker
              key={k}
              purpose="application_doc"
              label={t.apply.uploadDoc(req.kindLabels[i] ?? '')}
              value={files[k] ?? []}
              onChange={(fs) => setFiles((cur) => ({ ...cur, [k]: fs }))}
              onBusy={(b) => setBusy((n) => n + (b ? 1 : -1))}
            />
          ))}
          {error && <Alert type="error" showIcon title={error} />}
          <Button type="primary" onClick={send} loading={supply.isPending} disabled={busy > 0 || chosen.length === 0}>
            {t.apply.supply}
          </Button>
        </Space>
      }
    />
  );
}

function RateCard({ app, onDone }: { app: ApplicationView; onDone: () => Promise<void> }) {
  const trpc = useTRPC();
  const rate = useMutation(trpc.workorder.rate.mutationOptions());
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    setError(null);
    if (!stars) {
      setError(t.portal.rateRequired);
      return;
    }
    try {
      await rate.mutateAsync({ orderId: app.id, version: app.version, stars, comment: comment.trim() || null });
      await onDone();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <Card title={t.apply.rateTitle} size="small" style={{ marginBottom: 12 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Rate value={stars} onChange={setStars} aria-label={t.apply.rateTitle} />
        <Input.TextArea rows={2} maxLength={500} placeholder={t.apply.comment} value={comment} onChange={(e) => setComment(e.target.value)} />
        {error && <Alert type="error" showIcon title={error} />}
        <Button type="primary" onClick={send} loading={rate.isPending}>
          {t.apply.rateSubmit}
        </Button>
      </Space>
    </Card>
  );
}

function Tracker() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { id } = useParams<{ id: string }>();
  const q = useQuery({ ...trpc.application.get.queryOptions({ id }), refetchInterval: 15_000 });
  const withdraw = useMutation(trpc.application.withdraw.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.application.pathKey() });

  if (q.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (q.isError) return <Alert type="error" showIcon title={errorCode(q.error) === 'NOT_FOUND' ? t.apply.notFound : errorMessage(q.error)} />;
  const app = q.data;

  return (
    <>
      <Card style={{ marginBottom: 12 }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t.apply.formTitle(app.kindLabel)}
            </Typography.Title>
            <PhaseTag phase={app.phase} label={app.phaseLabel} />
          </Space>
          {app.actions.includes('withdraw') && (
            <Popconfirm
              title={t.apply.withdrawConfirm}
              onConfirm={async () => {
                setError(null);
                try {
                  await withdraw.mutateAsync({ orderId: app.id, version: app.version });
                  await refresh();
                } catch (err) {
                  setError(errorMessage(err));
                }
              }}
            >
              <Button danger loading={withdraw.isPending}>
                {t.apply.withdraw}
              </Button>
            </Popconfirm>
          )}
        </Space>
        <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginTop: 12 }}>
          <Descriptions.Item label={t.apply.orderNo}>{app.orderNo}</Descriptions.Item>
          <Descriptions.Item label={t.apply.createdAt}>{app.createdLabel}</Descriptions.Item>
          <Descriptions.Item label={t.apply.promise}>{app.promiseLabel}</Descriptions.Item>
          <Descriptions.Item label={t.apply.supplyClass}>{app.supplyClassLabel}</Descriptions.Item>
          {app.accountNumber && <Descriptions.Item label={t.apply.account}>{app.accountNumber}</Descriptions.Item>}
          {app.form.address && <Descriptions.Item label={t.apply.address}>{app.form.address}</Descriptions.Item>}
          {app.form.capacityKva && <Descriptions.Item label={t.apply.capacity}>{app.form.capacityKva}</Descriptions.Item>}
          {app.resultAccountNumber && app.phase === 'completed' && (
            <Descriptions.Item label={t.apply.resultAccount}>{app.resultAccountNumber}</Descriptions.Item>
          )}
          {app.endReason && <Descriptions.Item label={t.apply.endReason}>{app.endReason}</Descriptions.Item>}
        </Descriptions>
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {app.docRequest && app.phase === 'waiting_customer' && <SupplyDocs app={app} onDone={refresh} />}
      <LateNotice app={app} />
      {app.onTimeLabel && app.onTime && <Alert type="success" showIcon title={app.onTimeLabel} style={{ marginBottom: 12 }} />}
      {app.canRate && <RateCard app={app} onDone={refresh} />}
      {app.rating && <Alert type="info" showIcon title={`${t.apply.rated}，${t.apply.ratedStars(app.rating.stars)}`} style={{ marginBottom: 12 }} />}
      <Card title={t.apply.milestones} size="small">
        <MilestoneSteps app={app} />
      </Card>
      <DocumentsCard app={app} />
      <HistoryCard app={app} />
    </>
  );
}

export default function ApplicationTrackerPage() {
  return (
    <CustomerPage back="/home/applications" backLabel={t.apply.back}>
      {() => <Tracker />}
    </CustomerPage>
  );
}
