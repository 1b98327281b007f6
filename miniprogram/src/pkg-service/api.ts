/** Server calls of the work-order pages (tRPC), shaped for the injected form APIs. */
import { platform } from '@/platform';
import { errorMessage, trpc } from '@/lib/trpc';
import type { PhotoApi } from '@/components/workorder/PhotoPicker';

export const photoApi: PhotoApi = {
  choose: (count) => platform.choosePhotos(count),
  read: (photo) => platform.readPhotoDataUrl(photo),
  upload: (dataUrl) => trpc.workorder.uploadPhoto.mutate({ dataUrl }),
  message: errorMessage,
};

/** The masked phone on file of one of my accounts (shown to its 户主 only; a name-only binding gets null). */
export async function phoneOnFile(number: string): Promise<string | null> {
  const mine = await trpc.account.list.query();
  return mine.find((a) => a.number === number)?.phoneMasked ?? null;
}
