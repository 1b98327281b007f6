export const ROUTES = {
  home: '/pages/home/index',
  login: '/pages/login/index',
  bind: '/pages/bind/index',
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
} as const

export const orderUrl = (id: string) => `${ROUTES.order}?id=${encodeURIComponent(id)}`
export const billsUrl = (accountId: string) => `${ROUTES.bills}?accountId=${encodeURIComponent(accountId)}`
export const billUrl = (billId: string, accountId: string) => `${ROUTES.bill}?id=${encodeURIComponent(billId)}&accountId=${encodeURIComponent(accountId)}`
export const paymentsUrl = (accountId?: string) => (accountId ? `${ROUTES.payments}?accountId=${encodeURIComponent(accountId)}` : ROUTES.payments)
