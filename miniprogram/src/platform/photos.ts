import Taro from '@tarojs/taro';
import { mimeFromPath } from '@/lib/workorder';
import { PlatformError, type PickedPhoto } from './types';

interface TempFile {
  path: string;
  size: number;
  type?: string;
  originalFileObj?: Blob;
}

const isCancel = (e: unknown) => /cancel|abort/i.test(String((e as { errMsg?: string })?.errMsg ?? e));

/** Taro.chooseImage on either platform; H5 keeps the File behind each blob: URL for reading. */
export async function chooseWithTaro(count: number, originals?: Map<string, Blob>): Promise<PickedPhoto[]> {
  if (count <= 0) return [];
  let res: { tempFiles?: TempFile[] };
  try {
    res = (await Taro.chooseImage({ count, sizeType: ['compressed'], sourceType: ['album', 'camera'] })) as unknown as {
      tempFiles?: TempFile[];
    };
  } catch (e) {
    if (isCancel(e)) return [];
    throw new PlatformError('failed', String((e as { errMsg?: string })?.errMsg ?? e));
  }
  return (res.tempFiles ?? []).slice(0, count).map((f) => {
    if (f.originalFileObj && originals) originals.set(f.path, f.originalFileObj);
    return { path: f.path, size: f.size, mime: f.type || f.originalFileObj?.type || mimeFromPath(f.path) };
  });
}

/** Reads a Blob as a data URL (browsers). */
export function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new PlatformError('failed', 'read failed'));
    reader.readAsDataURL(blob);
  });
}
