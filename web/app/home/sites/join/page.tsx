'use client';

import { PlusCircleOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Row, Space, Table, Tag, Typography } from 'antd';
import Link from 'next/link';
import { useState } from 'react';
import { CustomerGate } from '@/components/CustomerGate';
import { HeaderUser } from '@/components/HeaderUser';
import { PortalShell } from '@/components/PortalShell';
import { useCountdown } from '@/components/useCountdown';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';

const j = t.ent.join;
const STATUS_COLOR: Record<string, string> = { pending: 'processing', approved: 'green', rejected: 'red' };

function Join() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [number, setNumber] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const countdown = useCountdown();
  const look = useQuery({ ...trpc.enterprise.joinLookup.queryOptions({ number: number ?? '' }), enabled: !!number, retry: false });
  const requests = useQuery(trpc.enterprise.joinRequests.queryOptions());
  const send = useMutation(trpc.enterprise.sendJoinCode.mutationOptions());
  const join = useMutation(trpc.enterprise.joinWithCode.mutationOptions());
  const request = useMutation(trpc.enterprise.requestJoin.mutationOptions());

  const onLookup = () => {
    setError(null);
    setSentTo(null);
    setCode('');
    const n = draft.trim();
    if (!/^\d{13}$/.test(n)) {
      setError(j.numberInvalid);
      return;
    }
    setNumber(n);
  };
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.enterprise.joinLookup.queryKey({ number: number ?? '' }) });
    await queryClient.invalidateQueries({ queryKey: trpc.enterprise.joinRequests.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.account.list.queryKey() });
  };
  const onSend = async () => {
    setError(null);
    try {
      const r = await send.mutateAsync({ number: number! });
      setSentTo(r.phoneMasked);
      countdown.start(60);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const onJoin = async () => {
    setError(null);
    try {
      await join.mutateAsync({ number: number!, code: code.trim() });
      message.success(j.joined(number!));
      setSentTo(null);
      setCode('');
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const onRequest = async () => {
    setError(null);
    try {
      await request.mutateAsync({ number: number!, note: note.trim() || null });
      message.success(j.requested);
      setNote('');
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const d = look.data;
  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          <PlusCircleOutlined /> {j.title}
        </Typography.Title>
        <p className="ps-muted">{j.desc}</p>
        <Space.Compact style={{ maxWidth: 420, width: '100%' }}>
          <Input
            aria-label={j.number}
            placeholder={j.numberPh}
            maxLength={13}
            inputMode="numeric"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onPressEnter={onLookup}
          />
          <Button type="primary" onClick={onLookup} loading={look.isFetching}>
            {j.lookup}
          </Button>
        </Space.Compact>
        {look.isError && <Alert type="error" showIcon title={errorMessage(look.error)} style={{ marginTop: 16 }} />}
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} />}
        {d && (
          <div style={{ marginTop: 16 }}>
            <Descriptions column={1} size="small" bordered style={{ marginBottom: 16, maxWidth: 640 }}>
              <Descriptions.Item label={j.number}>{d.number}</Descriptions.Item>
              <Descriptions.Item label={j.holder}>{d.holderNameMasked}</Descriptions.Item>
              <Descriptions.Item label={j.address}>{d.addressMasked}</Descriptions.Item>
            </Descriptions>
            {d.state === 'mine' && <Alert type="success" showIcon title={j.mine} />}
            {d.state === 'other' && <Alert type="error" showIcon title={j.other} />}
            {d.state === 'free' && d.requestPending && <Alert type="info" showIcon title={j.pending} />}
            {d.state === 'free' && !d.requestPending && (
              <Row gutter={[16, 16]}>
                <Col xs={24} md={12}>
                  <Card size="small" title={j.bySms} style={{ height: '100%' }}>
                    <p className="ps-muted">{j.bySmsDesc}</p>
                    {d.phoneOnFile ? (
                      <Space direction="vertical" style={{ width: '100%' }}>
                        <Button onClick={onSend} loading={send.isPending} disabled={countdown.left > 0}>
                          {countdown.left > 0 ? t.ent.apply.resend(countdown.left) : j.sendCode}
                        </Button>
                        {sentTo && <span>{j.sentTo(sentTo)}</span>}
                        {sentTo && (
                          <Space.Compact style={{ width: '100%' }}>
                            <Input
                              aria-label={j.code}
                              placeholder={t.ent.apply.codePh}
                              maxLength={6}
                              inputMode="numeric"
                              value={code}
                              onChange={(e) => setCode(e.target.value)}
                            />
                            <Button type="primary" onClick={onJoin} loading={join.isPending} disabled={!/^\d{6}$/.test(code.trim())}>
                              {j.confirm}
                            </Button>
                          </Space.Compact>
                        )}
                      </Space>
                    ) : (
                      <Alert type="warning" showIcon title={j.noPhone} />
                    )}
                  </Card>
                </Col>
                <Col xs={24} md={12}>
                  <Card size="small" title={j.byStaff} style={{ height: '100%' }}>
                    <p className="ps-muted">{j.byStaffDesc}</p>
                    <Form layout="vertical">
                      <Form.Item label={j.note}>
                        <Input.TextArea rows={2} maxLength={200} placeholder={j.notePh} value={note} onChange={(e) => setNote(e.target.value)} />
                      </Form.Item>
                      <Button onClick={onRequest} loading={request.isPending}>
                        {j.request}
                      </Button>
                    </Form>
                  </Card>
                </Col>
              </Row>
            )}
          </div>
        )}
      </Card>
      <Card title={j.requests} extra={<Link href="/home/sites">{j.toSites}</Link>}>
        <Table
          rowKey="id"
          size="middle"
          loading={requests.isPending}
          dataSource={requests.data ?? []}
          locale={{ emptyText: j.noRequests }}
          pagination={false}
          scroll={{ x: 600 }}
          columns={[
            { title: j.number, dataIndex: 'accountNumber' },
            { title: j.holder, dataIndex: 'holderNameMasked' },
            { title: j.createdAt, dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
            { title: t.ent.staffEnt.status, dataIndex: 'status', render: (v: string) => <Tag color={STATUS_COLOR[v]}>{t.ent.joinStatus[v]}</Tag> },
            { title: j.reason, dataIndex: 'reason', render: (v: string | null) => v ?? '' },
          ]}
        />
      </Card>
    </>
  );
}

export default function JoinPage() {
  return (
    <CustomerGate>
      {(me) => (
        <PortalShell right={<HeaderUser me={me} />}>
          <Join />
        </PortalShell>
      )}
    </CustomerGate>
  );
}
