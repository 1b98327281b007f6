import { useState } from 'react';
import Taro from '@tarojs/taro';
import { t } from '@/i18n';
import { API_BASE } from '@/config';
import { platform, PlatformError } from '@/platform';
import { errorMessage, trpc } from '@/lib/trpc';
import { fileUrl } from '@/lib/files';

export type DocumentKind = 'receipt' | 'invoice';

/**
 * Opens a payment's receipt or e-invoice PDF: a fresh 5-minute signed link per tap, opened by the platform
 * (downloadFile + openDocument on weapp, a download on H5). `busy` names the document being fetched.
 */
export function useDocuments() {
  const [busy, setBusy] = useState<string | null>(null);
  const open = async (paymentId: string, kind: DocumentKind = 'receipt') => {
    setBusy(`${paymentId}:${kind}`);
    try {
      const link = await trpc.billing.documentLink.mutate({ paymentId, kind });
      await platform.openDocument(fileUrl(API_BASE, link.url));
    } catch (e) {
      // Platform errors carry English diagnostics; the server's own messages are Chinese already.
      void Taro.showToast({
        title: e instanceof PlatformError ? t.billing.receiptFailed : errorMessage(e, t.billing.receiptFailed),
        icon: 'none',
        duration: 2500,
      });
    } finally {
      setBusy(null);
    }
  };
  return { open, busy, isBusy: (paymentId: string, kind: DocumentKind) => busy === `${paymentId}:${kind}` };
}
