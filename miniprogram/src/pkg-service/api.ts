/** Server calls of the work-order pages (tRPC), shaped for the injected form APIs. */
import { platform } from '@/platform'
import { errorMessage, trpc } from '@/lib/trpc'
import type { PhotoApi } from '@/components/workorder/PhotoPicker'

export const photoApi: PhotoApi = {
  choose: (count) => platform.choosePhotos(count),
  read: (photo) => platform.readPhotoDataUrl(photo),
  upload: (dataUrl) => trpc.workorder.uploadPhoto.mutate({ dataUrl }),
  message: errorMessage,
}

/** The masked phone on file for an account (account.lookup; AccountSummary does not carry it). */
export async function phoneOnFile(number: string): Promise<string | null> {
  const r = await trpc.account.lookup.query({ number })
  return r.phoneMasked ?? null
}
