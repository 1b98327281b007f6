/** Minimal @tarojs/taro for tests: in-memory storage, spies for navigation and request. */
import { useEffect } from 'react';
import { vi } from 'vitest';

const storage = new Map<string, unknown>();

const Taro = {
  getStorageSync: vi.fn((key: string) => (storage.has(key) ? storage.get(key) : '')),
  setStorageSync: vi.fn((key: string, value: unknown) => {
    storage.set(key, value);
  }),
  removeStorageSync: vi.fn((key: string) => {
    storage.delete(key);
  }),
  clearStorageSync: vi.fn(() => storage.clear()),
  request: vi.fn(),
  login: vi.fn(async () => ({ code: 'test-code', errMsg: 'login:ok' })),
  reLaunch: vi.fn(async () => ({ errMsg: 'reLaunch:ok' })),
  navigateTo: vi.fn(async () => ({ errMsg: 'navigateTo:ok' })),
  navigateBack: vi.fn(async () => ({ errMsg: 'navigateBack:ok' })),
  showToast: vi.fn(async () => ({ errMsg: 'showToast:ok' })),
  showModal: vi.fn(async () => ({ confirm: true, cancel: false })),
  stopPullDownRefresh: vi.fn(),
  getCurrentPages: vi.fn(() => [] as { route: string }[]),
  chooseImage: vi.fn(),
  redirectTo: vi.fn(async () => ({ errMsg: 'redirectTo:ok' })),
  switchTab: vi.fn(async () => ({ errMsg: 'switchTab:ok' })),
  setNavigationBarTitle: vi.fn(async () => ({ errMsg: 'setNavigationBarTitle:ok' })),
  downloadFile: vi.fn(async () => ({ statusCode: 200, tempFilePath: 'wxfile://tmp/receipt.pdf', errMsg: 'downloadFile:ok' })),
  openDocument: vi.fn(async () => ({ errMsg: 'openDocument:ok' })),
};

/** Runs once after mount, like a page being shown. */
export const useDidShow = (fn: () => void) => {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => fn(), []);
};
export const usePullDownRefresh = (fn: () => void) => void fn;
export const useLaunch = (fn: () => void) => void fn;
export const useDidHide = (fn: () => void) => void fn;
export const useUnload = (fn: () => void) => void fn;
export const useRouter = () => ({ params: {} as Record<string, string> });

export default Taro;
