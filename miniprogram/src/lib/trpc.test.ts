import { beforeEach, describe, expect, it, type vi } from 'vitest';
import Taro from '@tarojs/taro';
import { trpc } from './trpc';
import { tokenStore } from './storage';

type ReqOpts = {
  url: string;
  method: string;
  header: Record<string, string>;
  data?: string;
  dataType?: string;
  responseType?: string;
  success: (res: { statusCode: number; data: string; header: Record<string, string> }) => void;
  fail: (err: { errMsg: string }) => void;
};

const request = Taro.request as unknown as ReturnType<typeof vi.fn>;
const me = { id: 'u1', kind: 'wechat', roles: ['resident'], displayName: '微信用户', phoneMasked: null, enterprise: null };

function reply(opts: ReqOpts, status: number, body: unknown) {
  queueMicrotask(() => opts.success({ statusCode: status, data: JSON.stringify(body), header: { 'content-type': 'application/json' } }));
  return Promise.resolve();
}

const unauthorized = (path: string) => [{ error: { message: '请先登录', code: -32001, data: { code: 'UNAUTHORIZED', httpStatus: 401, path } } }];

describe('tRPC client over Taro.request', () => {
  beforeEach(() => {
    request.mockReset();
    (Taro.reLaunch as unknown as ReturnType<typeof vi.fn>).mockClear();
    tokenStore.clear();
  });

  it('sends the bearer token and asks Taro.request for text', async () => {
    tokenStore.set({ accessToken: 'at-1', refreshToken: 'rt-1' });
    request.mockImplementation((o: ReqOpts) => reply(o, 200, [{ result: { data: me } }]));
    const res = await trpc.auth.me.query();
    expect(res.displayName).toBe('微信用户');
    const opts = request.mock.calls[0]![0] as ReqOpts;
    expect(opts.url).toContain('/auth.me?batch=1');
    expect(opts.header.Authorization).toBe('Bearer at-1');
    expect(opts.dataType).toBe('text');
    expect(opts.responseType).toBe('text');
  });

  it('refreshes once on UNAUTHORIZED, stores the new tokens and retries', async () => {
    tokenStore.set({ accessToken: 'old', refreshToken: 'rt-old' });
    request.mockImplementation((o: ReqOpts) => {
      if (o.url.includes('auth.refresh')) {
        expect(JSON.parse(o.data!)).toEqual({ 0: { refreshToken: 'rt-old' } });
        return reply(o, 200, [{ result: { data: { user: me, accessToken: 'new', refreshToken: 'rt-new', expiresIn: 900 } } }]);
      }
      if (o.header.Authorization === 'Bearer old') return reply(o, 401, unauthorized('auth.me'));
      return reply(o, 200, [{ result: { data: me } }]);
    });
    const res = await trpc.auth.me.query();
    expect(res.id).toBe('u1');
    expect(tokenStore.getAccess()).toBe('new');
    expect(tokenStore.getRefresh()).toBe('rt-new');
    expect(request).toHaveBeenCalledTimes(3);
    expect(Taro.reLaunch).not.toHaveBeenCalled();
  });

  it('goes to the login page when the refresh fails', async () => {
    tokenStore.set({ accessToken: 'old', refreshToken: 'rt-bad' });
    request.mockImplementation((o: ReqOpts) => reply(o, 401, unauthorized(o.url.includes('auth.refresh') ? 'auth.refresh' : 'account.list')));
    await expect(trpc.account.list.query()).rejects.toThrow('请先登录');
    expect(tokenStore.getAccess()).toBeNull();
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
  });

  it('passes Chinese server errors through', async () => {
    tokenStore.set({ accessToken: 'at' });
    request.mockImplementation((o: ReqOpts) =>
      reply(o, 400, [{ error: { message: '户名与户号不匹配，还可尝试 4 次', code: -32600, data: { code: 'BAD_REQUEST', httpStatus: 400 } } }]),
    );
    await expect(trpc.account.bind.mutate({ number: '3101000000001', holderName: '李四', relation: 'self' })).rejects.toThrow(
      '户名与户号不匹配，还可尝试 4 次',
    );
  });
});
