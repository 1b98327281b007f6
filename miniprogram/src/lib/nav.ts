import Taro from '@tarojs/taro';
import { isTabPage } from './routes';

/** Opens a page: tab bar pages with switchTab (navigateTo refuses them), the others on top of the stack. */
export function go(url: string): void {
  if (isTabPage(url)) void Taro.switchTab({ url: url.split('?')[0]! });
  else void Taro.navigateTo({ url });
}
