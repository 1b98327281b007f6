export const ROUTES = {
  home: '/pages/home/index',
  login: '/pages/login/index',
  bind: '/pages/bind/index',
  // Work orders live in the `pkg-service` subpackage (keeps the weapp main package small).
  fault: '/pkg-service/fault/index',
  request: '/pkg-service/request/index',
  orders: '/pkg-service/orders/index',
  order: '/pkg-service/order/index',
} as const

export const orderUrl = (id: string) => `${ROUTES.order}?id=${encodeURIComponent(id)}`
