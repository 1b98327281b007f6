export default defineAppConfig({
  pages: ['pages/home/index', 'pages/login/index', 'pages/bind/index'],
  subPackages: [
    {
      root: 'pkg-service',
      pages: ['fault/index', 'request/index', 'orders/index', 'order/index'],
    },
    {
      root: 'pkg-bill',
      pages: ['bills/index', 'bill/index', 'payfor/index', 'payments/index'],
    },
    {
      root: 'pkg-outage',
      pages: ['outages/index', 'messages/index'],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    backgroundColor: '#f2f5f8',
    navigationBarBackgroundColor: '#0a7f86',
    navigationBarTitleText: '电力客户服务',
    navigationBarTextStyle: 'white',
  },
})
