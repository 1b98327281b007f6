import { useState } from 'react'
import Taro from '@tarojs/taro'
import { t } from '@/i18n'
import { API_BASE } from '@/config'
import { platform, PlatformError } from '@/platform'
import { errorMessage, trpc } from '@/lib/trpc'
import { fileUrl } from '@/lib/files'

/**
 * Opens a payment's receipt: a fresh 5-minute signed link per tap, opened by the platform (downloadFile +
 * openDocument on weapp, a download on H5). `busy` is the payment whose receipt is being fetched.
 */
export function useReceipt() {
  const [busy, setBusy] = useState<string | null>(null)
  const open = async (paymentId: string) => {
    setBusy(paymentId)
    try {
      const link = await trpc.billing.documentLink.mutate({ paymentId, kind: 'receipt' })
      await platform.openDocument(fileUrl(API_BASE, link.url))
    } catch (e) {
      // Platform errors carry English diagnostics; the server's own messages are Chinese already.
      void Taro.showToast({ title: e instanceof PlatformError ? t.billing.receiptFailed : errorMessage(e, t.billing.receiptFailed), icon: 'none', duration: 2500 })
    } finally {
      setBusy(null)
    }
  }
  return { open, busy }
}
