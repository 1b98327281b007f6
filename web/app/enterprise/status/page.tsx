'use client';

import { CheckCircleOutlined, ClockCircleOutlined, CloseCircleOutlined, FileProtectOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Result, Skeleton, Space, Tag, Typography } from 'antd';
import Link from 'next/link';
import { useRef, useState } from 'react';
import { HeaderUser } from '@/components/HeaderUser';
import { PortalShell } from '@/components/PortalShell';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { useMe } from '@/lib/hooks';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { DOCUMENT_ACCEPT, fileSizeLabel, useDocumentUpload, type FileView } from '@/lib/upload';

const s = t.ent.statusPage;
const STATUS_COLOR: Record<string, string> = { draft: 'default', pending: 'processing', verified: 'green', rejected: 'red' };

/** The one page an enterprise sees until staff verify it: status, the reason of a rejection, licence upload and (re)submission. */
export default function EnterpriseStatusPage() {
  const trpc = useTRPC();
  const me = useMe();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const app = useQuery({ ...trpc.enterprise.myApplication.queryOptions(), enabled: !!me.data?.enterprise });
  const submit = useMutation(trpc.enterprise.submitApplication.mutationOptions());
  const { upload, uploading } = useDocumentUpload();
  const [file, setFile] = useState<FileView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const [form] = Form.useForm<{ companyName: string; contactName: string }>();

  const isAdmin = !!me.data?.roles.includes('enterprise_admin');
  const a = app.data;

  const onPick = async (f: File | undefined) => {
    if (!f) return;
    setError(null);
    try {
      setFile(await upload(f, 'enterprise_licence'));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      if (input.current) input.current.value = '';
    }
  };

  const onSubmit = async () => {
    setError(null);
    if (!file) {
      setError(s.needLicence);
      return;
    }
    try {
      const v = await form.validateFields();
      await submit.mutateAsync({
        licenceFileId: file.id,
        companyName: v.companyName?.trim() || null,
        contactName: v.contactName?.trim() || null,
      });
      message.success(s.submitted);
      setFile(null);
      await queryClient.invalidateQueries({ queryKey: trpc.enterprise.myApplication.queryKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
    } catch (err) {
      if (err && typeof err === 'object' && 'errorFields' in err) return;
      setError(errorMessage(err));
    }
  };

  const canSubmit = a && (a.status === 'draft' || a.status === 'rejected');

  return (
    <PortalShell narrow right={me.data ? <HeaderUser me={me.data} /> : undefined}>
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          <FileProtectOutlined /> {s.title}
        </Typography.Title>
        {(me.isPending || app.isPending) && <Skeleton active />}
        {me.data && !me.data.enterprise && <Alert type="info" showIcon title={t.app.forbiddenDesc} />}
        {app.isError && <Alert type="error" showIcon title={errorMessage(app.error)} />}
        {a && (
          <>
            {a.status === 'verified' && (
              <Result
                status="success"
                icon={<CheckCircleOutlined />}
                title={s.verifiedTitle}
                subTitle={s.verifiedDesc}
                extra={
                  <Link href="/home">
                    <Button type="primary">{s.goHome}</Button>
                  </Link>
                }
              />
            )}
            {a.status === 'pending' && <Result status="info" icon={<ClockCircleOutlined />} title={s.pendingTitle} subTitle={s.pendingDesc} />}
            {a.status === 'rejected' && (
              <Alert
                type="error"
                showIcon
                icon={<CloseCircleOutlined />}
                title={s.rejectedTitle}
                description={s.rejectedDesc(a.rejectReason ?? '')}
                style={{ marginBottom: 16 }}
              />
            )}
            {a.status === 'draft' && <Alert type="warning" showIcon title={s.draftTitle} description={s.draftDesc} style={{ marginBottom: 16 }} />}
            {a.status !== 'verified' && <Alert type="info" title={s.noAccess} style={{ marginBottom: 16 }} />}

            <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
              <Descriptions.Item label={s.company}>{a.name}</Descriptions.Item>
              <Descriptions.Item label={s.creditCode}>{a.creditCode}</Descriptions.Item>
              <Descriptions.Item label={s.contact}>
                {a.contactName} {a.contactPhoneMasked}
              </Descriptions.Item>
              <Descriptions.Item label={s.state}>
                <Tag color={STATUS_COLOR[a.status]}>{t.ent.status[a.status]}</Tag>
              </Descriptions.Item>
              {a.submittedAt && <Descriptions.Item label={s.submittedAt}>{formatDateTime(a.submittedAt)}</Descriptions.Item>}
              {a.reviewedAt && <Descriptions.Item label={s.reviewedAt}>{formatDateTime(a.reviewedAt)}</Descriptions.Item>}
              {a.licence && <Descriptions.Item label={s.licence}>{a.licence.name}</Descriptions.Item>}
            </Descriptions>

            {canSubmit && !isAdmin && <Alert type="info" showIcon title={s.waitAdmin} />}
            {canSubmit && isAdmin && (
              <Form form={form} layout="vertical" initialValues={{ companyName: a.name, contactName: a.contactName ?? '' }}>
                {a.status === 'rejected' && (
                  <>
                    <Form.Item name="companyName" label={s.company}>
                      <Input maxLength={100} />
                    </Form.Item>
                    <Form.Item name="contactName" label={s.contact}>
                      <Input maxLength={30} />
                    </Form.Item>
                  </>
                )}
                <Form.Item label={s.licence} extra={s.licenceHint} required>
                  <Space direction="vertical">
                    <input
                      ref={input}
                      type="file"
                      accept={DOCUMENT_ACCEPT}
                      aria-label={s.licence}
                      style={{ display: 'none' }}
                      onChange={(e) => onPick(e.target.files?.[0])}
                    />
                    <Button icon={<UploadOutlined />} loading={uploading} onClick={() => input.current?.click()}>
                      {s.chooseFile}
                    </Button>
                    {file && <span data-testid="licence-uploaded">{s.uploaded(file.name, fileSizeLabel(file.size))}</span>}
                  </Space>
                </Form.Item>
                {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
                <Button type="primary" onClick={onSubmit} loading={submit.isPending} disabled={uploading}>
                  {a.status === 'rejected' ? s.resubmit : s.submit}
                </Button>
              </Form>
            )}
          </>
        )}
      </Card>
    </PortalShell>
  );
}
