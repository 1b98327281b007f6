import { zhCN } from './i18n/zh-CN';

export default defineAppConfig({
  // The tab bar pages must live in the main package (WeChat's rule); the login, binding and agreement pages
  // are small and needed before anything else.
  pages: [
    'pages/home/index',
    'pages/pay/index',
    'pages/service/index',
    'pages/mine/index',
    'pages/login/index',
    'pages/bind/index',
    'pages/agreement/index',
  ],
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
      root: 'pkg-apply',
      pages: ['list/index', 'new/index', 'tracker/index'],
    },
    {
      root: 'pkg-knowledge',
      pages: ['index/index', 'article/index'],
    },
    {
      root: 'pkg-outage',
      pages: ['outages/index', 'messages/index'],
    },
  ],
  tabBar: {
    color: '#8b95a1',
    selectedColor: '#0a7f86',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/home/index', text: zhCN.tabs.home, iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-on.png' },
      { pagePath: 'pages/pay/index', text: zhCN.tabs.pay, iconPath: 'assets/tab/pay.png', selectedIconPath: 'assets/tab/pay-on.png' },
      { pagePath: 'pages/service/index', text: zhCN.tabs.service, iconPath: 'assets/tab/service.png', selectedIconPath: 'assets/tab/service-on.png' },
      { pagePath: 'pages/mine/index', text: zhCN.tabs.mine, iconPath: 'assets/tab/mine.png', selectedIconPath: 'assets/tab/mine-on.png' },
    ],
  },
  window: {
    backgroundTextStyle: 'light',
    backgroundColor: '#f2f5f8',
    navigationBarBackgroundColor: '#0a7f86',
    navigationBarTitleText: zhCN.app.name,
    navigationBarTextStyle: 'white',
    // H5 draws a navigation bar with each page's title only when asked to (weapp always does).
    navigationStyle: 'default',
  },
  // H5 only: no slide between pages. Taro's router hides the page it leaves on a 350 ms timer that a return
  // within that time does not cancel (PageHandler.hide/show in @tarojs/router 4.2), so a quick back left a blank page.
  animation: false,
});
