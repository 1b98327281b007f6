export const ROUTES = {
  home: '/pages/home/index',
  login: '/pages/login/index',
  bind: '/pages/bind/index',
} as const
