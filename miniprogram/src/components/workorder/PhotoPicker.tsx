import { useRef, useState } from 'react';
import { Image, Text, View } from '@tarojs/components';
import { t } from '@/i18n';
import { checkPhoto, MAX_PHOTOS } from '@/lib/workorder';
import type { PickedPhoto } from '@/platform/types';

export interface UploadedPhoto {
  id: string;
  /** Local preview path. */
  path: string;
}

export interface PhotoApi {
  choose(count: number): Promise<PickedPhoto[]>;
  read(photo: PickedPhoto): Promise<string>;
  upload(dataUrl: string): Promise<{ id: string }>;
  message(err: unknown, fallback: string): string;
}

interface Props {
  value: UploadedPhoto[];
  onChange: (next: UploadedPhoto[]) => void;
  onBusy: (busy: boolean) => void;
  api: PhotoApi;
  max?: number;
}

/** Up to three photos: picked, checked (type, ≤ 5 MB), read as a data URL and uploaded at once. */
export function PhotoPicker({ value, onChange, onBusy, api, max = MAX_PHOTOS }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = useRef(value);
  current.current = value;

  const add = async () => {
    if (busy) return;
    const room = max - value.length;
    if (room <= 0) {
      setError(t.form.errors.photoMax);
      return;
    }
    setError(null);
    let picked: PickedPhoto[];
    try {
      picked = await api.choose(room);
    } catch (e) {
      setError(api.message(e, t.form.errors.photoFailed));
      return;
    }
    if (picked.length === 0) return;
    setBusy(true);
    onBusy(true);
    let firstError: string | null = null;
    try {
      for (const p of picked.slice(0, room)) {
        const bad = checkPhoto(p);
        if (bad) {
          firstError = firstError ?? (bad === 'type' ? t.form.errors.photoType : t.form.errors.photoSize);
          continue;
        }
        try {
          const dataUrl = await api.read(p);
          const { id } = await api.upload(dataUrl);
          const next = [...current.current, { id, path: p.path }].slice(0, max);
          current.current = next;
          onChange(next);
        } catch (e) {
          firstError = firstError ?? api.message(e, t.form.errors.photoFailed);
        }
      }
    } finally {
      setBusy(false);
      onBusy(false);
      setError(firstError);
    }
  };

  const remove = (id: string) => {
    setError(null);
    onChange(value.filter((p) => p.id !== id));
  };

  return (
    <View className="photo-picker" id="photo-picker">
      <View className="photo-grid">
        {value.map((p, i) => (
          <View className="photo-item" key={p.id} id={`photo-item-${i}`}>
            <Image className="photo-img" src={p.path} mode="aspectFill" />
            <Text className="photo-remove" id={`photo-remove-${i}`} onClick={() => remove(p.id)}>
              ×
            </Text>
          </View>
        ))}
        {value.length < max ? (
          <View className={`photo-add ${busy ? 'photo-add-busy' : ''}`} id="photo-add" onClick={() => void add()}>
            <Text className="photo-add-plus">{busy ? '' : '+'}</Text>
            <Text className="photo-add-text">{busy ? t.fault.uploading : t.fault.addPhoto}</Text>
          </View>
        ) : null}
      </View>
      {error ? (
        <Text className="error-text" id="photo-error">
          {error}
        </Text>
      ) : null}
    </View>
  );
}
