import { APPID, WECHAT_SIM_BASE, WECHATPAY_SIM_BASE } from '@/config'
import { PlatformError, type JsapiPayParams, type PaymentContext, type PhoneCodeInput, type PickedPhoto, type PlatformAdapter } from './types'
import { blobToDataUrl, chooseWithTaro } from './photos'

/** The File behind each blob: URL Taro's H5 chooseImage hands out. */
const pickedFiles = new Map<string, Blob>()

const SIM_USER_KEY = 'ps.simUser'

function safeStorage(): Storage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null
  } catch {
    return null
  }
}

/** Reads `simUser` from the query string, either before the hash or inside the hash route. */
export function simUserFromUrl(href: string): string | null {
  const pick = (query: string): string | null => {
    const m = /(?:^|[?&])simUser=([^&#]*)/.exec(query)
    if (!m || !m[1]) return null
    try {
      return decodeURIComponent(m[1])
    } catch {
      return m[1]
    }
  }
  const hashIdx = href.indexOf('#')
  const beforeHash = hashIdx >= 0 ? href.slice(0, hashIdx) : href
  const hash = hashIdx >= 0 ? href.slice(hashIdx + 1) : ''
  const q1 = beforeHash.includes('?') ? beforeHash.slice(beforeHash.indexOf('?') + 1) : ''
  const q2 = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : ''
  return pick(q2) ?? pick(q1)
}

function randomId(): string {
  const rnd = Math.random().toString(36).slice(2, 10)
  return `sim-${Date.now().toString(36)}-${rnd}`
}

/**
 * The simulated WeChat user of this browser: `?simUser=…` in the URL wins (and is remembered),
 * otherwise a random id persisted in localStorage.
 */
export function currentSimUser(href: string = typeof location !== 'undefined' ? location.href : ''): string {
  const store = safeStorage()
  const fromUrl = simUserFromUrl(href)
  if (fromUrl) {
    store?.setItem(SIM_USER_KEY, fromUrl)
    return fromUrl
  }
  const saved = store?.getItem(SIM_USER_KEY)
  if (saved) return saved
  const id = randomId()
  store?.setItem(SIM_USER_KEY, id)
  return id
}

async function simPost(path: string, body: Record<string, string>): Promise<string> {
  let res: Response
  try {
    res = await fetch(`${WECHAT_SIM_BASE}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  } catch (e) {
    throw new PlatformError('failed', e instanceof Error ? e.message : 'network error')
  }
  const text = await res.text()
  let data: { code?: unknown; errmsg?: unknown } = {}
  try {
    data = JSON.parse(text) as typeof data
  } catch {
    // not JSON
  }
  if (!res.ok || typeof data.code !== 'string') {
    throw new PlatformError('failed', typeof data.errmsg === 'string' ? data.errmsg : `simulator HTTP ${res.status}`)
  }
  return data.code
}

/**
 * H5 stand-in for the WeChat Pay sheet: the payer "confirms" at the Pay simulator
 * (`POST <base>/sim/pay/<out_trade_no>`), which marks the order paid and sends WeChat's signed
 * notification to the API. Like wx.requestPayment's success, this proves nothing to the app.
 */
export async function payAtSimulator(params: JsapiPayParams, ctx: PaymentContext, base: string = WECHATPAY_SIM_BASE): Promise<void> {
  if (!/^prepay_id=.+/.test(params.package)) throw new PlatformError('failed', 'invalid package')
  let res: Response
  try {
    res = await fetch(`${base.replace(/\/+$/, '')}/sim/pay/${encodeURIComponent(ctx.outTradeNo)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
  } catch (e) {
    throw new PlatformError('failed', e instanceof Error ? e.message : 'network error')
  }
  let data: { trade_state?: unknown; message?: unknown } = {}
  try {
    data = (await res.json()) as typeof data
  } catch {
    // not JSON
  }
  if (!res.ok || data.trade_state !== 'SUCCESS') {
    throw new PlatformError('failed', typeof data.message === 'string' ? data.message : `pay simulator HTTP ${res.status}`)
  }
}

export const h5Platform: PlatformAdapter = {
  name: 'h5',
  phoneInput: 'form',

  login() {
    return simPost('/sim/wx/login', { appid: APPID, simUser: currentSimUser() })
  },

  getPhoneCode(input: PhoneCodeInput) {
    if (input.kind !== 'phone') return Promise.reject(new PlatformError('unsupported', 'h5 needs a phone number'))
    return simPost('/sim/wx/phone', { appid: APPID, simUser: currentSimUser(), phone: input.phone.trim() })
  },

  choosePhotos(count: number) {
    return chooseWithTaro(count, pickedFiles)
  },

  async readPhotoDataUrl(photo: PickedPhoto) {
    let blob = pickedFiles.get(photo.path)
    if (!blob) {
      const res = await fetch(photo.path)
      blob = await res.blob()
    }
    pickedFiles.delete(photo.path)
    const url = await blobToDataUrl(blob)
    // Some browsers label JPEGs "image/jpg" or leave the type empty: the API wants the real one.
    return photo.mime ? url.replace(/^data:[^;,]*/, `data:${photo.mime}`) : url
  },

  requestPayment(params: JsapiPayParams, ctx: PaymentContext) {
    return payAtSimulator(params, ctx)
  },

  async openDocument(url: string) {
    // A same-origin link (the H5 server proxies /files/): the browser downloads it without leaving the
    // page; window.open after an await would be caught by popup blockers.
    if (typeof document === 'undefined') throw new PlatformError('unsupported', 'no document')
    const a = document.createElement('a')
    a.href = url
    a.download = ''
    a.rel = 'noopener'
    document.body.appendChild(a)
    a.click()
    a.remove()
  },
}
