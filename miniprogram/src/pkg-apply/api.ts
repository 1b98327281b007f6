/** Documents of an application: photos (Taro.chooseImage through the platform adapter) or PDFs from a chat (chooseMessageFile, weapp). */
import Taro from '@tarojs/taro';
import { platform } from '@/platform';
import { trpc } from '@/lib/trpc';

export { APPLY_ROUTES, formUrl, trackerUrl } from './routes';

export interface UploadedDoc {
  id: string;
  name: string;
}

/** Photos of a document, uploaded at once (the API checks their content); [] when the user cancels. */
export async function uploadPhotos(count: number, label: string): Promise<UploadedDoc[]> {
  const picked = await platform.choosePhotos(count);
  const out: UploadedDoc[] = [];
  for (const [i, p] of picked.entries()) {
    const dataUrl = await platform.readPhotoDataUrl(p);
    const r = await trpc.files.upload.mutate({ purpose: 'application_doc', name: `${label}${picked.length > 1 ? i + 1 : ''}.jpg`, dataUrl });
    out.push({ id: r.id, name: r.name });
  }
  return out;
}

/** Whether PDFs can be picked from a chat (WeChat only; the H5 build takes photos). */
export const canPickPdf = () => process.env.TARO_ENV === 'weapp';

export async function uploadPdf(label: string): Promise<UploadedDoc[]> {
  const res = (await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['pdf'] })) as { tempFiles: { path: string; name: string }[] };
  const out: UploadedDoc[] = [];
  for (const f of res.tempFiles ?? []) {
    const base64 = await new Promise<string>((resolve, reject) => {
      Taro.getFileSystemManager().readFile({
        filePath: f.path,
        encoding: 'base64',
        success: (r) => resolve(String(r.data)),
        fail: (e) => reject(new Error(e.errMsg)),
      });
    });
    const r = await trpc.files.upload.mutate({
      purpose: 'application_doc',
      name: f.name || `${label}.pdf`,
      dataUrl: `data:application/pdf;base64,${base64}`,
    });
    out.push({ id: r.id, name: r.name });
  }
  return out;
}
