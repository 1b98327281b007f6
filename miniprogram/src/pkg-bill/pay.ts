/** The pay flow of the bill pages: billing.createPayment (jsapi) → platform.requestPayment → poll paymentStatus. */
import { useRef, useState } from 'react'
import { t } from '@/i18n'
import { platform, PlatformError } from '@/platform'
import { errorMessage, trpc, type RouterInputs } from '@/lib/trpc'
import { PayFlowError, runPayment } from '@/lib/billing'
import type { PayStage } from '@/components/billing/PayStatus'

export type PayJob = Omit<RouterInputs['billing']['createPayment'], 'channel'>

export interface PaySuccessInfo {
  amountFen: number
  kind: 'bill' | 'recharge'
  reconnect: boolean
}

export function payErrorMessage(e: unknown): string {
  if (e instanceof PlatformError) return e.reason === 'cancelled' ? t.billing.payCancelled : t.billing.payFailed
  if (e instanceof PayFlowError) {
    if (e.kind === 'closed') return t.billing.payClosed
    if (e.kind === 'refunded') return t.billing.payRefunded
    if (e.kind === 'timeout') return t.billing.payTimeout
    return t.billing.payFailed
  }
  return errorMessage(e, t.billing.payFailed)
}

/** Runs payments one after another (one WeChat order per bill); `after` refreshes the page either way. */
export function usePayRunner(after: () => Promise<void> | void) {
  const [stage, setStage] = useState<PayStage | null>(null)
  const [progress, setProgress] = useState({ index: 0, count: 0 })
  const [error, setError] = useState<string | null>(null)
  const [success, setSuccess] = useState<PaySuccessInfo | null>(null)
  const running = useRef(false)

  const run = async (jobs: PayJob[], opts: { kind: 'bill' | 'recharge'; reconnect?: boolean }) => {
    if (running.current || jobs.length === 0) return
    running.current = true
    setError(null)
    setSuccess(null)
    let paidFen = 0
    let paidAll = true
    try {
      for (let i = 0; i < jobs.length; i++) {
        setProgress({ index: i, count: jobs.length })
        let amount = 0
        await runPayment({
          create: async () => {
            const r = await trpc.billing.createPayment.mutate({ ...jobs[i]!, channel: 'jsapi' })
            amount = r.amountFen
            return r
          },
          pay: (params, ctx) => platform.requestPayment(params, ctx),
          status: (paymentId) => trpc.billing.paymentStatus.query({ paymentId }),
          onStage: setStage,
        })
        paidFen += amount
      }
    } catch (e) {
      paidAll = false
      setError(payErrorMessage(e))
    } finally {
      setStage(null)
      running.current = false
    }
    if (paidFen > 0) setSuccess({ amountFen: paidFen, kind: opts.kind, reconnect: paidAll && !!opts.reconnect })
    await after()
  }

  return { stage, progress, error, success, run, busy: stage !== null, clearSuccess: () => setSuccess(null) }
}
