import { APPID, WECHAT_SIM_BASE, WECHATPAY_SIM_BASE } from '@/config';
import { PlatformError, type JsapiPayParams, type PaymentContext, type PhoneCodeInput, type PickedPhoto, type PlatformAdapter } from './types';
import { blobToDataUrl, chooseWithTaro } from './photos';
import { openCashier, type CashierOrder, type CashierSheet } from './cashier';

/** The File behind each blob: URL Taro's H5 chooseImage hands out. */
const pickedFiles = new Map<string, Blob>();

const SIM_USER_KEY = 'ps.simUser';

function safeStorage(): Storage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    return null;
  }
}

/** Reads `simUser` from the query string, either before the hash or inside the hash route. */
export function simUserFromUrl(href: string): string | null {
  const pick = (query: string): string | null => {
    const m = /(?:^|[?&])simUser=([^&#]*)/.exec(query);
    if (!m || !m[1]) return null;
    try {
      return decodeURIComponent(m[1]);
    } catch {
      return m[1];
    }
  };
  const hashIdx = href.indexOf('#');
  const beforeHash = hashIdx >= 0 ? href.slice(0, hashIdx) : href;
  const hash = hashIdx >= 0 ? href.slice(hashIdx + 1) : '';
  const q1 = beforeHash.includes('?') ? beforeHash.slice(beforeHash.indexOf('?') + 1) : '';
  const q2 = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  return pick(q2) ?? pick(q1);
}

function randomId(): string {
  const rnd = Math.random().toString(36).slice(2, 10);
  return `sim-${Date.now().toString(36)}-${rnd}`;
}

/**
 * The simulated WeChat user of this browser: `?simUser=…` in the URL wins (and is remembered),
 * otherwise a random id persisted in localStorage.
 */
export function currentSimUser(href: string = typeof location !== 'undefined' ? location.href : ''): string {
  const store = safeStorage();
  const fromUrl = simUserFromUrl(href);
  if (fromUrl) {
    store?.setItem(SIM_USER_KEY, fromUrl);
    return fromUrl;
  }
  const saved = store?.getItem(SIM_USER_KEY);
  if (saved) return saved;
  const id = randomId();
  store?.setItem(SIM_USER_KEY, id);
  return id;
}

async function simPost(path: string, body: Record<string, string>): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${WECHAT_SIM_BASE}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new PlatformError('failed', e instanceof Error ? e.message : 'network error');
  }
  const text = await res.text();
  let data: { code?: unknown; errmsg?: unknown } = {};
  try {
    data = JSON.parse(text) as typeof data;
  } catch {
    // not JSON
  }
  if (!res.ok || typeof data.code !== 'string') {
    throw new PlatformError('failed', typeof data.errmsg === 'string' ? data.errmsg : `simulator HTTP ${res.status}`);
  }
  return data.code;
}

/** What the Pay simulator says about one order (GET /sim/orders/<no>), as WeChat's cashier knows it from the prepay id. */
interface SimOrderView {
  trade_state?: string;
  amount?: { total?: number };
  description?: string;
  merchant_name?: string;
  message?: string;
}

async function simJson<T extends { message?: unknown }>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new PlatformError('failed', e instanceof Error ? e.message : 'network error');
  }
  let data = {} as T;
  try {
    data = (await res.json()) as T;
  } catch {
    // not JSON
  }
  if (!res.ok) throw new PlatformError('failed', typeof data.message === 'string' ? data.message : `pay simulator HTTP ${res.status}`);
  return data;
}

/**
 * H5 stand-in for the WeChat Pay sheet: the simulator's cashier shows the order as the Pay simulator holds it
 * (amount, payee, item); the payer confirms there (`POST <base>/sim/pay/<out_trade_no>`: the simulator marks
 * the order paid and sends WeChat's signed notification to the API) or cancels (PlatformError('cancelled'),
 * like wx.requestPayment's "fail cancel"). Like wx.requestPayment's success, resolving proves nothing to the
 * app: the payment is settled by the notification, and the page polls billing.paymentStatus.
 */
export async function payAtSimulator(
  params: JsapiPayParams,
  ctx: PaymentContext,
  base: string = WECHATPAY_SIM_BASE,
  cashier: (order: CashierOrder) => CashierSheet = openCashier,
): Promise<void> {
  if (!/^prepay_id=.+/.test(params.package)) throw new PlatformError('failed', 'invalid package');
  const root = base.replace(/\/+$/, '');
  const no = encodeURIComponent(ctx.outTradeNo);
  const order = await simJson<SimOrderView>(`${root}/sim/orders/${no}`);
  if (order.trade_state && order.trade_state !== 'NOTPAY') throw new PlatformError('failed', `order ${order.trade_state}`);
  const sheet = cashier({
    amountFen: order.amount?.total ?? 0,
    payee: order.merchant_name ?? '',
    description: order.description ?? '',
    outTradeNo: ctx.outTradeNo,
  });
  try {
    if (!(await sheet.choice)) throw new PlatformError('cancelled', 'requestPayment:fail cancel');
    sheet.setBusy(true);
    const paid = await simJson<{ trade_state?: unknown; message?: unknown }>(`${root}/sim/pay/${no}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    if (paid.trade_state !== 'SUCCESS') throw new PlatformError('failed', typeof paid.message === 'string' ? paid.message : 'not paid');
  } finally {
    sheet.close();
  }
}

export const h5Platform: PlatformAdapter = {
  name: 'h5',
  phoneInput: 'form',

  login() {
    return simPost('/sim/wx/login', { appid: APPID, simUser: currentSimUser() });
  },

  getPhoneCode(input: PhoneCodeInput) {
    if (input.kind !== 'phone') return Promise.reject(new PlatformError('unsupported', 'h5 needs a phone number'));
    return simPost('/sim/wx/phone', { appid: APPID, simUser: currentSimUser(), phone: input.phone.trim() });
  },

  choosePhotos(count: number) {
    return chooseWithTaro(count, pickedFiles);
  },

  async readPhotoDataUrl(photo: PickedPhoto) {
    let blob = pickedFiles.get(photo.path);
    if (!blob) {
      const res = await fetch(photo.path);
      blob = await res.blob();
    }
    pickedFiles.delete(photo.path);
    const url = await blobToDataUrl(blob);
    // Some browsers label JPEGs "image/jpg" or leave the type empty: the API wants the real one.
    return photo.mime ? url.replace(/^data:[^;,]*/, `data:${photo.mime}`) : url;
  },

  requestPayment(params: JsapiPayParams, ctx: PaymentContext) {
    return payAtSimulator(params, ctx);
  },

  async openDocument(url: string) {
    // A same-origin link (the H5 server proxies /files/): the browser downloads it without leaving the
    // page; window.open after an await would be caught by popup blockers.
    if (typeof document === 'undefined') throw new PlatformError('unsupported', 'no document');
    const a = document.createElement('a');
    a.href = url;
    a.download = '';
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
  },
};
