'use client';

import { DeleteOutlined, FileImageOutlined, FilePdfOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, List, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { DOCUMENT_ACCEPT, type FilePurpose, type FileView, fileSizeLabel, useDocumentUpload } from '@/lib/upload';

/**
 * Documents (licence, ID card, lease, attachments) for one field of a form: picked, uploaded one by one,
 * listed with name and size; `onChange` gets the uploaded files. The API refuses what is not really an
 * image or a PDF, and the refusal is shown here in its own words.
 */
export function DocumentPicker({
  purpose,
  max = 5,
  label,
  value,
  onChange,
  onBusy,
}: {
  purpose: FilePurpose;
  max?: number;
  /** The button's visible text (also its accessible name), e.g. 上传营业执照. */
  label?: string;
  value?: FileView[];
  onChange?: (files: FileView[]) => void;
  onBusy?: (busy: boolean) => void;
}) {
  const { upload } = useDocumentUpload();
  const [files, setFiles] = useState<FileView[]>(value ?? []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const publish = (next: FileView[]) => {
    setFiles(next);
    onChange?.(next);
  };

  const pick = async (list: FileList | null) => {
    if (!list?.length) return;
    setError(null);
    const chosen = Array.from(list);
    if (files.length + chosen.length > max) {
      setError(t.files.max(max));
      return;
    }
    setBusy(true);
    onBusy?.(true);
    let next = files;
    try {
      for (const file of chosen) {
        next = [...next, await upload(file, purpose)];
        publish(next);
      }
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
      onBusy?.(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <input
        ref={input}
        type="file"
        accept={DOCUMENT_ACCEPT}
        multiple={max > 1}
        style={{ display: 'none' }}
        aria-hidden
        onChange={(e) => void pick(e.target.files)}
      />
      <Button icon={<UploadOutlined />} loading={busy} disabled={files.length >= max} onClick={() => input.current?.click()}>
        {busy ? t.files.uploading : (label ?? t.files.choose)}
      </Button>
      <Typography.Text type="secondary">{t.files.hint}</Typography.Text>
      {error && <Alert type="error" showIcon message={error} />}
      {files.length > 0 && (
        <List
          size="small"
          bordered
          dataSource={files}
          renderItem={(f) => (
            <List.Item
              actions={[
                <Button key="rm" type="link" size="small" icon={<DeleteOutlined />} onClick={() => publish(files.filter((x) => x.id !== f.id))}>
                  {t.files.remove}
                </Button>,
              ]}
            >
              <Space>
                {f.mime === 'application/pdf' ? <FilePdfOutlined /> : <FileImageOutlined />}
                <span>{f.name}</span>
                <Typography.Text type="secondary">{fileSizeLabel(f.size)}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
    </Space>
  );
}
