'use client';

import { CloseOutlined, PictureOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Space, Spin } from 'antd';
import { useRef, useState } from 'react';
import { errorMessage } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { useTRPC } from '@/lib/trpc';
import { checkPhoto, PHOTO_TYPES, readAsDataUrl } from '@/lib/workorders';

type Item = { key: string; preview: string; id: string | null; uploading: boolean };

/**
 * Up to `max` photos: checked in the browser (type, ≤ 5 MB), uploaded one by one as data URLs;
 * `onChange` gets the uploaded ids. `onBusy` tells the form whether an upload is still running.
 */
export function PhotoPicker({
  max = 3,
  onChange,
  onBusy,
  testIdPrefix = 'photo',
}: {
  max?: number;
  onChange: (ids: string[]) => void;
  onBusy?: (busy: boolean) => void;
  testIdPrefix?: string;
}) {
  const trpc = useTRPC();
  const upload = useMutation(trpc.workorder.uploadPhoto.mutationOptions());
  const [items, setItems] = useState<Item[]>([]);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const itemsRef = useRef<Item[]>([]);

  const publish = (next: Item[]) => {
    itemsRef.current = next;
    setItems(next);
    onChange(next.filter((i) => i.id).map((i) => i.id!));
    onBusy?.(next.some((i) => i.uploading));
  };

  const pick = async (files: FileList | null) => {
    setError(null);
    if (!files?.length) return;
    const list = Array.from(files);
    if (itemsRef.current.length + list.length > max) {
      setError(t.portal.photoMax);
      return;
    }
    for (const f of list) {
      const bad = checkPhoto(f);
      if (bad) {
        setError(bad);
        return;
      }
    }
    for (const f of list) {
      const key = `${Date.now()}-${Math.random()}`;
      const preview = await readAsDataUrl(f);
      publish([...itemsRef.current, { key, preview, id: null, uploading: true }]);
      try {
        const r = await upload.mutateAsync({ dataUrl: preview });
        publish(itemsRef.current.map((i) => (i.key === key ? { ...i, id: r.id, uploading: false } : i)));
      } catch (err) {
        setError(errorMessage(err));
        publish(itemsRef.current.filter((i) => i.key !== key));
      }
    }
  };

  return (
    <div data-testid={`${testIdPrefix}-picker`}>
      <Space wrap size={8}>
        {items.map((i, idx) => (
          <div key={i.key} className="ps-photo" data-testid={`${testIdPrefix}-item-${idx}`} data-uploaded={i.id ? 'true' : 'false'}>
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src={i.preview} alt={t.customer.photoAlt(idx + 1)} />
            {i.uploading ? (
              <div className="ps-photo-mask">
                <Spin size="small" />
              </div>
            ) : (
              <button
                type="button"
                className="ps-photo-remove"
                aria-label={t.customer.removePhoto(idx + 1)}
                data-testid={`${testIdPrefix}-remove-${idx}`}
                onClick={() => publish(itemsRef.current.filter((x) => x.key !== i.key))}
              >
                <CloseOutlined />
              </button>
            )}
          </div>
        ))}
        {items.length < max && (
          <Button icon={<PictureOutlined />} onClick={() => input.current?.click()} data-testid={`${testIdPrefix}-add`} style={{ height: 72 }}>
            {t.portal.addPhoto}
          </Button>
        )}
      </Space>
      <input
        ref={input}
        type="file"
        accept={PHOTO_TYPES.join(',')}
        multiple
        hidden
        // The browser's own file control never shows: the 添加照片 button opens it (some page styles override [hidden]).
        style={{ display: 'none' }}
        tabIndex={-1}
        aria-hidden
        data-testid={`${testIdPrefix}-input`}
        onChange={(e) => {
          void pick(e.target.files);
          e.target.value = '';
        }}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} data-testid={`${testIdPrefix}-error`} />}
    </div>
  );
}
