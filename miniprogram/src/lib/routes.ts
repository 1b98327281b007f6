export const ROUTES = {
  // Tab bar pages (main package): 首页 / 缴费 / 服务 / 我的 — reached with switchTab (see goTab), never navigateTo.
  home: '/pages/home/index',
  pay: '/pages/pay/index',
  service: '/pages/service/index',
  mine: '/pages/mine/index',
  login: '/pages/login/index',
  bind: '/pages/bind/index',
  agreement: '/pages/agreement/index',
  // Work orders live in the `pkg-service` subpackage (keeps the weapp main package small).
  fault: '/pkg-service/fault/index',
  request: '/pkg-service/request/index',
  orders: '/pkg-service/orders/index',
  order: '/pkg-service/order/index',
  // Bills and payment live in the `pkg-bill` subpackage (the chart library stays out of the main package).
  bills: '/pkg-bill/bills/index',
  bill: '/pkg-bill/bill/index',
  payFor: '/pkg-bill/payfor/index',
  payments: '/pkg-bill/payments/index',
  // Outages and the message centre live in the `pkg-outage` subpackage.
  outages: '/pkg-outage/outages/index',
  messages: '/pkg-outage/messages/index',
} as const;

export const orderUrl = (id: string) => `${ROUTES.order}?id=${encodeURIComponent(id)}`;
export const billsUrl = (accountId: string) => `${ROUTES.bills}?accountId=${encodeURIComponent(accountId)}`;
export const billUrl = (billId: string, accountId: string) =>
  `${ROUTES.bill}?id=${encodeURIComponent(billId)}&accountId=${encodeURIComponent(accountId)}`;
export const paymentsUrl = (accountId?: string) => (accountId ? `${ROUTES.payments}?accountId=${encodeURIComponent(accountId)}` : ROUTES.payments);
export const agreementUrl = (doc: 'terms' | 'privacy') => `${ROUTES.agreement}?doc=${doc}`;

export const TAB_PAGES: readonly string[] = [ROUTES.home, ROUTES.pay, ROUTES.service, ROUTES.mine];
export const isTabPage = (url: string) => TAB_PAGES.includes(url.split('?')[0]!);

/**
 * A page parameter as the page should use it. Neither runtime decodes the query for the page (Taro H5
 * parses it with `decode: false`; WeChat hands options over as they were written), so a value we
 * encoded on the way in — a history bill id `<accountId>:<YYYY-MM>` arrives as `…%3A2026-11` — is
 * decoded here, as often as it was encoded (at most 3 times, never past a malformed escape).
 */
export function routeParam(params: Record<string, string | undefined>, key: string): string {
  let v = params[key] ?? '';
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(v); i++) {
    try {
      v = decodeURIComponent(v);
    } catch {
      break;
    }
  }
  return v;
}
