'use client';

import { FileImageOutlined, FilePdfOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { Alert, App, Button, Empty, Input, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { DocumentPicker } from '@/components/DocumentPicker';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { roleLabel } from '@/lib/roles';
import { useTRPC } from '@/lib/trpc';
import { type FileView, fileSizeLabel } from '@/lib/upload';

const S = t.entService;
const MAX = 2000;

/**
 * Follows the thread events (SSE, the database-backed event feed) and refreshes every message query on
 * each: new messages and read marks show up without a reload, in both directions.
 */
export function useLiveThread() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useSubscription(
    trpc.entMessages.live.subscriptionOptions(undefined, {
      onData: () => {
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => void qc.invalidateQueries({ queryKey: trpc.entMessages.pathKey() }), 100);
      },
    }),
  );
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
}

const newKey = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `k${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

/** One enterprise's thread with its account manager: messages (newest last), read receipts, and the composer. */
export function ThreadView({ enterpriseId, height = 420 }: { enterpriseId?: string; height?: number }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { message } = App.useApp();
  useLiveThread();
  const input = enterpriseId ? { enterpriseId, limit: 50 } : { limit: 50 };
  const thread = useQuery(trpc.entMessages.thread.queryOptions(input));
  const send = useMutation(trpc.entMessages.send.mutationOptions());
  const markRead = useMutation(trpc.entMessages.markRead.mutationOptions());
  const [text, setText] = useState('');
  const [files, setFiles] = useState<FileView[]>([]);
  const [pickerKey, setPickerKey] = useState(0);
  const [uploading, setUploading] = useState(false);
  const [clientKey, setClientKey] = useState(newKey);
  const list = useRef<HTMLDivElement>(null);

  const data = thread.data;
  const lastSeq = data?.lastSeq ?? 0;
  const unread = data?.unread ?? 0;
  const side = data?.side;
  const { mutate: mark } = markRead;
  // What is on screen is read: the read mark moves (the other side sees 已读), the badges clear.
  useEffect(() => {
    if (!side || side === 'supervisor' || unread === 0) return;
    mark(
      { enterpriseId: enterpriseId ?? null, upToSeq: lastSeq },
      { onSettled: () => void qc.invalidateQueries({ queryKey: trpc.entMessages.unread.queryKey() }) },
    );
  }, [side, unread, lastSeq, enterpriseId, mark, qc, trpc]);

  const count = data?.messages.length ?? 0;
  useEffect(() => {
    if (count && list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [count]);

  const submit = async () => {
    const body = text.trim();
    if (!body && files.length === 0) {
      message.warning(S.needText);
      return;
    }
    if (body.length > MAX) {
      message.warning(S.tooLong);
      return;
    }
    try {
      await send.mutateAsync({ enterpriseId: enterpriseId ?? null, text: body, attachmentIds: files.map((f) => f.id), clientKey });
      setText('');
      setFiles([]);
      setPickerKey((k) => k + 1);
      setClientKey(newKey());
      message.success(S.sentOk);
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      await qc.invalidateQueries({ queryKey: trpc.entMessages.pathKey() });
    }
  };

  if (thread.isPending) return <Skeleton active />;
  if (thread.isError) return <Alert type="error" showIcon title={errorMessage(thread.error)} />;
  const d = thread.data;

  return (
    <div data-testid="thread">
      <div
        ref={list}
        role="log"
        aria-live="polite"
        aria-label={S.threadTitle}
        style={{ height, overflowY: 'auto', padding: 12, background: '#f6f8fb', borderRadius: 8, marginBottom: 12 }}
      >
        {d.messages.length === 0 && <Empty description={d.side === 'customer' ? S.empty : S.emptyStaff} />}
        {d.messages.map((m) => {
          const right = d.side === 'customer' ? m.side === 'customer' : m.side === 'manager';
          return (
            <div
              key={m.id}
              style={{ display: 'flex', justifyContent: right ? 'flex-end' : 'flex-start', marginBottom: 12 }}
              data-testid="thread-message"
            >
              <div style={{ maxWidth: '78%' }}>
                <div className="ps-muted" style={{ fontSize: 12, textAlign: right ? 'right' : 'left', marginBottom: 2 }}>
                  {m.mine ? S.me : m.authorName} · {roleLabel(m.authorRole)} · {formatDateTime(m.createdAt)}
                </div>
                <div
                  style={{
                    background: right ? '#1677ff' : '#fff',
                    color: right ? '#fff' : 'inherit',
                    padding: '8px 12px',
                    borderRadius: 8,
                    whiteSpace: 'pre-wrap',
                    wordBreak: 'break-word',
                    boxShadow: '0 1px 2px rgba(0,0,0,0.06)',
                  }}
                >
                  {m.text}
                  {m.attachments.length > 0 && (
                    <Space direction="vertical" size={2} style={{ display: 'flex', marginTop: m.text ? 6 : 0 }}>
                      {m.attachments.map((f) => (
                        <a
                          key={f.id}
                          href={f.url}
                          target="_blank"
                          rel="noreferrer"
                          style={{ color: right ? '#fff' : undefined, textDecoration: 'underline' }}
                        >
                          {f.mime === 'application/pdf' ? <FilePdfOutlined /> : <FileImageOutlined />} {f.name}（{fileSizeLabel(f.size)}）
                        </a>
                      ))}
                    </Space>
                  )}
                </div>
                {m.mine && (
                  <div style={{ fontSize: 12, textAlign: 'right', marginTop: 2 }} className="ps-muted">
                    {m.read ? S.read : S.unreadMark}
                  </div>
                )}
              </div>
            </div>
          );
        })}
      </div>
      {d.canWrite ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input.TextArea
            aria-label={S.inputLabel}
            placeholder={S.placeholder}
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={MAX}
            showCount
            onPressEnter={(e) => {
              if (e.ctrlKey || e.metaKey) void submit();
            }}
          />
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 12, flexWrap: 'wrap', marginTop: 16 }}>
            <div style={{ flex: 1, minWidth: 240 }}>
              <DocumentPicker key={pickerKey} purpose="message_attachment" label={S.attach} onChange={setFiles} onBusy={setUploading} />
            </div>
            <Button type="primary" icon={<SendOutlined />} loading={send.isPending} disabled={uploading} onClick={() => void submit()}>
              {send.isPending ? S.sending : S.send}
            </Button>
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {S.liveHint}
          </Typography.Text>
        </Space>
      ) : (
        d.side === 'supervisor' && <Tag>{S.inboxReadOnly}</Tag>
      )}
    </div>
  );
}

/** Unread messages of the caller (portal and staff menu badges). */
export function useThreadUnread(enabled = true) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.entMessages.unread.queryOptions(), enabled, refetchInterval: 15_000 });
}
