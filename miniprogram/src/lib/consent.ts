import Taro from '@tarojs/taro';

/**
 * Consent to the 用户服务协议 and 隐私政策 before the first login. The version changes when the texts
 * change (the login page then asks again); kept on the device with the session.
 */
export const AGREEMENT_VERSION = '2026-11-01';
const KEY = 'ps.consent';

export const consentStore = {
  given(): boolean {
    try {
      return Taro.getStorageSync(KEY) === AGREEMENT_VERSION;
    } catch {
      return false;
    }
  },
  give(): void {
    Taro.setStorageSync(KEY, AGREEMENT_VERSION);
  },
  withdraw(): void {
    try {
      Taro.removeStorageSync(KEY);
    } catch {
      // ignore
    }
  },
};
