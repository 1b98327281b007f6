import Taro from '@tarojs/taro';

const ACCESS = 'ps.accessToken';
const REFRESH = 'ps.refreshToken';

export interface Tokens {
  accessToken: string;
  refreshToken?: string;
}

function read(key: string): string | null {
  try {
    const v: unknown = Taro.getStorageSync(key);
    return typeof v === 'string' && v ? v : null;
  } catch {
    return null;
  }
}

export const tokenStore = {
  getAccess(): string | null {
    return read(ACCESS);
  },
  getRefresh(): string | null {
    return read(REFRESH);
  },
  set(tokens: Tokens): void {
    Taro.setStorageSync(ACCESS, tokens.accessToken);
    if (tokens.refreshToken) Taro.setStorageSync(REFRESH, tokens.refreshToken);
  },
  clear(): void {
    try {
      Taro.removeStorageSync(ACCESS);
      Taro.removeStorageSync(REFRESH);
    } catch {
      // ignore
    }
  },
  isLoggedIn(): boolean {
    return read(ACCESS) !== null || read(REFRESH) !== null;
  },
};
