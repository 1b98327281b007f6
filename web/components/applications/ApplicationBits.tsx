'use client';

import { CheckCircleFilled, ClockCircleOutlined, FileImageOutlined, FilePdfOutlined, PauseCircleOutlined, WarningFilled } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@power/api';
import { Alert, Card, Empty, List, Space, Steps, Tag, Timeline, Typography } from 'antd';
import { fileSizeLabel } from '@/lib/upload';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

type Out = inferRouterOutputs<AppRouter>;
export type ApplicationView = Out['application']['get'];
export type Milestone = ApplicationView['milestones'][number];

export const PHASE_COLOR: Record<string, string> = {
  in_progress: 'processing',
  waiting_customer: 'warning',
  completed: 'success',
  withdrawn: 'default',
  refused: 'error',
};

export function PhaseTag({ phase, label }: { phase: string; label: string }) {
  return <Tag color={PHASE_COLOR[phase] ?? 'default'}>{label}</Tag>;
}

function milestoneIcon(m: Milestone) {
  if (m.state === 'done') return m.late ? <WarningFilled style={{ color: '#d46b08' }} /> : <CheckCircleFilled style={{ color: '#00706b' }} />;
  if (m.state === 'paused') return <PauseCircleOutlined style={{ color: '#d48806' }} />;
  if (m.state === 'running') return m.late ? <WarningFilled style={{ color: '#cf1322' }} /> : <ClockCircleOutlined style={{ color: '#1677ff' }} />;
  return undefined;
}

/** Every milestone with its working-day clock, days left and whose turn it is. */
export function MilestoneSteps({ app }: { app: ApplicationView }) {
  const current = app.milestones.findIndex((m) => m.state === 'running' || m.state === 'paused');
  return (
    <Steps
      direction="vertical"
      size="small"
      current={current < 0 ? app.milestones.length : current}
      items={app.milestones.map((m) => ({
        title: (
          <Space size={6} wrap>
            <span>{m.label}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t.apply.workingDays(m.workingDays)}
            </Typography.Text>
            <Tag
              color={
                m.state === 'done'
                  ? m.late
                    ? 'orange'
                    : 'green'
                  : m.state === 'paused'
                    ? 'gold'
                    : m.state === 'running'
                      ? m.late
                        ? 'red'
                        : 'blue'
                      : 'default'
              }
            >
              {m.stateLabel}
            </Tag>
          </Space>
        ),
        icon: milestoneIcon(m),
        status: m.state === 'done' ? 'finish' : m.state === 'pending' ? 'wait' : m.late ? 'error' : 'process',
        description: (
          <div data-testid={`milestone-${m.key}`} style={{ fontSize: 13 }}>
            {m.startedLabel && (
              <div>
                {t.apply.started} {m.startedLabel}
                {m.dueLabel && ` · ${t.apply.due} ${m.dueLabel}`}
              </div>
            )}
            {m.doneLabel && (
              <div>
                {t.apply.doneAt} {m.doneLabel}
              </div>
            )}
            {m.scheduledLabel && (
              <div>
                {t.apply.scheduled} {m.scheduledLabel}
              </div>
            )}
            {m.daysLeftLabel && <div style={{ color: m.late ? '#cf1322' : m.state === 'paused' ? '#ad6800' : '#00706b' }}>{m.daysLeftLabel}</div>}
            {m.turn && app.turnLabel && (
              <div>
                {t.apply.whoseTurn}
                <b>{app.turnLabel}</b>
                {t.apply.turnSuffix}
              </div>
            )}
            {m.note && <div className="ps-muted">{m.note}</div>}
          </div>
        ),
      }))}
    />
  );
}

/** Late milestones with their reason (never silently late). */
export function LateNotice({ app }: { app: ApplicationView }) {
  if (!app.late.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      title={t.apply.lateTitle}
      description={
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {app.late.map((l) => (
            <li key={l.label}>{l.reason}</li>
          ))}
        </ul>
      }
    />
  );
}

export function HistoryCard({ app }: { app: ApplicationView }) {
  return (
    <Card title={t.apply.history} size="small" style={{ marginTop: 12 }}>
      <Timeline
        items={[...app.history].reverse().map((h, i) => ({
          key: i,
          color: h.internal ? 'gray' : 'blue',
          children: (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {h.atLabel} · {h.who}
                {h.internal ? ` · ${t.applyDesk.internal}` : ''}
              </Typography.Text>
              <div>{h.text}</div>
            </div>
          ),
        }))}
      />
    </Card>
  );
}

/** The application's documents, each opened through a short-lived signed link. */
export function DocumentsCard({ app }: { app: ApplicationView }) {
  const trpc = useTRPC();
  const links = useQuery({ ...trpc.application.documentLinks.queryOptions({ id: app.id }), staleTime: 60_000 });
  const url = new Map((links.data ?? []).map((l) => [l.id, l.url]));
  return (
    <Card title={t.apply.docsTitle} size="small" style={{ marginTop: 12 }}>
      {app.documents.length === 0 ? (
        <Empty />
      ) : (
        <List
          size="small"
          dataSource={app.documents}
          renderItem={(d) => (
            <List.Item
              extra={
                url.get(d.fileId) ? (
                  <a href={url.get(d.fileId)} target="_blank" rel="noreferrer">
                    {t.apply.open}
                  </a>
                ) : null
              }
            >
              <Space wrap>
                {d.mime === 'application/pdf' ? <FilePdfOutlined /> : <FileImageOutlined />}
                <Tag>{d.kindLabel}</Tag>
                <span>{d.name}</span>
                <Typography.Text type="secondary">{fileSizeLabel(d.size)}</Typography.Text>
              </Space>
              {d.mime !== 'application/pdf' && url.get(d.fileId) && (
                <div style={{ marginTop: 6 }}>
                  <img src={url.get(d.fileId)} alt={`${d.kindLabel} ${d.name}`} style={{ maxWidth: 160, maxHeight: 120, border: '1px solid #eee' }} />
                </div>
              )}
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
