'use client';

import { ClockCircleOutlined, PauseCircleOutlined, PhoneOutlined, TeamOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Descriptions, Image, Space, Tag, Timeline, Typography } from 'antd';
import { formatShort } from '@/lib/customer';
import { useEffect } from 'react';
import { t } from '@/lib/i18n';
import { formatDateTime } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import {
  COUNTDOWN_COLOR,
  countdownState,
  PRIORITY_COLOR,
  STATUS_COLOR,
  useNow,
  type Countdown,
  type OrderDetail,
  type TimelineItem,
} from '@/lib/workorders';

export function StatusTag({ status }: { status: string }) {
  return (
    <Tag color={STATUS_COLOR[status] ?? 'default'} data-testid="order-status" data-status={status}>
      {t.wo.status[status] ?? status}
    </Tag>
  );
}

/** The status as the customer reads it (the API's plain words: 已受理、抢修人员已出发、已到达现场、已修复…). */
export function CustomerStatusTag({ status, label }: { status: string; label: string }) {
  return (
    <Tag color={STATUS_COLOR[status] ?? 'default'} data-testid="order-status" data-status={status}>
      {label}
    </Tag>
  );
}

type Progress = NonNullable<OrderDetail['progress']>;

/**
 * Where the customer's order stands, in their words: status, what happens next, the crew sent (name and work
 * phone) and the time promised to them. Staff deadlines never show here.
 */
export function ProgressCard({ progress }: { progress: Progress }) {
  const e = progress.expected;
  return (
    <section data-testid="order-progress" aria-label={t.customer.progressTitle}>
      <div style={{ fontSize: 18, fontWeight: 600, color: '#00706b' }}>{progress.statusLabel}</div>
      <div style={{ marginTop: 4 }}>{progress.hint}</div>
      {(progress.crew || e) && (
        <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
          {progress.crew && (
            <Descriptions.Item
              label={
                <span>
                  <TeamOutlined /> {t.customer.crew}
                </span>
              }
            >
              {progress.crew.name}
            </Descriptions.Item>
          )}
          {progress.crew?.phone && (
            <Descriptions.Item
              label={
                <span>
                  <PhoneOutlined /> {t.customer.crewPhone}
                </span>
              }
            >
              <a href={`tel:${progress.crew.phone.replace(/[^\d]/g, '')}`}>{progress.crew.phone}</a>
            </Descriptions.Item>
          )}
          {e && (
            <Descriptions.Item
              label={
                <span>
                  <ClockCircleOutlined /> {e.label}
                </span>
              }
            >
              <span style={{ fontWeight: 600 }}>{formatShort(e.at)}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      {e?.late && <Alert type="warning" showIcon title={t.customer.expectedLate} style={{ marginTop: 8 }} />}
    </section>
  );
}

export function PriorityTag({ level }: { level: string }) {
  return <Tag color={PRIORITY_COLOR[level] ?? 'default'}>{t.wo.priority[level] ?? level}</Tag>;
}

export function TypeTag({ type }: { type: string }) {
  return <Tag color={type === 'fault_repair' ? 'red' : 'blue'}>{t.wo.type[type] ?? type}</Tag>;
}

type CountdownOrder = { countdown: Countdown | null; areaType?: string; createdAt: string; status?: string };

/** Text of a countdown at `now` (for tables that tick once for all rows). */
export function CountdownCell({ order, now, testId }: { order: CountdownOrder; now: number; testId?: string }) {
  const s = countdownState(order, now);
  return (
    <span
      style={{ color: COUNTDOWN_COLOR[s.level], fontVariantNumeric: 'tabular-nums', fontWeight: s.level === 'overdue' ? 600 : 400 }}
      data-testid={testId ?? 'countdown'}
      data-level={s.level}
    >
      {s.level === 'paused' && <PauseCircleOutlined style={{ marginRight: 4 }} />}
      {s.text}
      {s.level === 'paused' && `（${t.desk.clockPaused}）`}
    </span>
  );
}

/** A self-ticking countdown (detail pages). */
export function LiveCountdown({ order, testId }: { order: CountdownOrder; testId?: string }) {
  const now = useNow(1000);
  return <CountdownCell order={order} now={now} testId={testId} />;
}

/**
 * Signed links (10 min) to the photos of an order the caller may see, asked for only when the timeline has
 * photos and again when new ones appear (e.g. the crew's photos on resolving).
 */
function usePhotoLinks(orderId: string, ids: string[]) {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.workorder.photoLinks.queryOptions({ orderId }), enabled: ids.length > 0, staleTime: 5 * 60_000 });
  const urls = new Map((q.data ?? []).map((l) => [l.id, l.url]));
  const missing = ids.some((id) => !urls.has(id));
  const { refetch, isFetching, isSuccess } = q;
  useEffect(() => {
    if (missing && isSuccess && !isFetching) void refetch();
  }, [missing, isSuccess, isFetching, refetch]);
  return urls;
}

function PhotoStrip({ ids, urls }: { ids: string[]; urls: Map<string, string> }) {
  if (ids.some((id) => !urls.has(id)))
    return (
      <div className="ps-muted" style={{ fontSize: 12 }}>
        {t.wo.photoCount(ids.length)}
      </div>
    );
  return (
    <Image.PreviewGroup>
      <Space size={6} wrap style={{ marginTop: 4 }}>
        {ids.map((id) => (
          <span key={id} data-testid="timeline-photo">
            <Image src={urls.get(id)} width={72} height={72} style={{ objectFit: 'cover', borderRadius: 4 }} alt={t.wo.photos} />
          </span>
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

/** The order's timeline, newest last; internal entries are marked 内部 (staff only ever see them). */
export function OrderTimeline({ orderId, items, staff }: { orderId: string; items: TimelineItem[]; staff?: boolean }) {
  const urls = usePhotoLinks(
    orderId,
    items.flatMap((e) => e.attachments),
  );
  if (!items.length) return <Typography.Text type="secondary">{t.wo.noTimeline}</Typography.Text>;
  return (
    <Timeline
      data-testid="timeline"
      items={items.map((e, i) => ({
        key: i,
        color: e.visibility === 'internal' ? 'gray' : e.action === 'reopen' || e.action.startsWith('sla_') ? 'red' : 'blue',
        content: (
          <div data-testid={`timeline-entry-${e.action}`} data-visibility={e.visibility} className="ps-tl-entry">
            <div>
              <strong>{e.actionLabel}</strong>
              {e.visibility === 'internal' && (
                <Tag color="purple" style={{ marginLeft: 8 }} data-testid="internal-tag">
                  {t.wo.internal}
                </Tag>
              )}
              <span className="ps-muted" style={{ marginLeft: 8, fontSize: 12 }}>
                {staff && e.actorName ? `${e.actorRoleLabel} ${e.actorName}` : e.actorRoleLabel}
              </span>
            </div>
            {e.note && (
              <div style={{ whiteSpace: 'pre-wrap', marginTop: 2 }} data-testid="timeline-note">
                {e.note}
              </div>
            )}
            {e.attachments.length > 0 && <PhotoStrip ids={e.attachments} urls={urls} />}
            <div className="ps-muted" style={{ fontSize: 12 }}>
              {formatDateTime(e.at)}
            </div>
          </div>
        ),
      }))}
    />
  );
}

export function LiveBadge({ status }: { status: string }) {
  const ok = status === 'pending';
  const err = status === 'error';
  return (
    <span data-testid="live-status" data-status={status}>
      <Badge status={ok ? 'processing' : err ? 'error' : 'default'} text={ok ? t.queue.live : err ? t.queue.liveError : t.queue.liveConnecting} />
    </span>
  );
}
