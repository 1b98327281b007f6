import { describe, expect, it, vi } from 'vitest';
import { AbortControllerPolyfill } from './abort-controller';
import { taroFetch } from './taro-fetch';
import Taro from '@tarojs/taro';

describe('AbortController polyfill', () => {
  it('aborts once, notifies listeners and onabort, honours once', () => {
    const ac = new AbortControllerPolyfill();
    const l = vi.fn();
    const once = vi.fn();
    ac.signal.onabort = vi.fn();
    ac.signal.addEventListener('abort', l);
    ac.signal.addEventListener('abort', once, { once: true });
    expect(ac.signal.aborted).toBe(false);
    ac.abort();
    ac.abort();
    expect(ac.signal.aborted).toBe(true);
    expect((ac.signal.reason as Error).name).toBe('AbortError');
    expect(l).toHaveBeenCalledTimes(1);
    expect(once).toHaveBeenCalledTimes(1);
    expect(ac.signal.onabort).toHaveBeenCalledTimes(1);
    expect(() => ac.signal.throwIfAborted()).toThrow();
  });
});

describe('taroFetch', () => {
  it('returns a Response-like object', async () => {
    const request = Taro.request as unknown as ReturnType<typeof vi.fn>;
    request.mockImplementationOnce((o: { success: (r: unknown) => void }) => {
      o.success({ statusCode: 404, data: '{"a":1}', header: { 'Content-Type': 'application/json' } });
      return Promise.resolve();
    });
    const res = await taroFetch('http://x/trpc/a', { method: 'post', headers: [['x-a', '1']], body: '{}' });
    expect(res.ok).toBe(false);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ a: 1 });
    expect(await res.text()).toBe('{"a":1}');
    const opts = request.mock.calls.at(-1)![0] as { method: string; header: Record<string, string> };
    expect(opts.method).toBe('POST');
    expect(opts.header).toEqual({ 'x-a': '1' });
  });

  it('rejects with AbortError when the signal aborts, and aborts the task', async () => {
    const abort = vi.fn();
    const request = Taro.request as unknown as ReturnType<typeof vi.fn>;
    request.mockImplementationOnce(() => Object.assign(new Promise(() => undefined), { abort }));
    const ac = new AbortControllerPolyfill();
    const p = taroFetch('http://x', { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(abort).toHaveBeenCalled();
  });

  it('maps request failures to a TypeError like fetch', async () => {
    const request = Taro.request as unknown as ReturnType<typeof vi.fn>;
    request.mockImplementationOnce((o: { fail: (e: unknown) => void }) => {
      o.fail({ errMsg: 'request:fail timeout' });
      return Promise.reject(new Error('x'));
    });
    await expect(taroFetch('http://x')).rejects.toMatchObject({ name: 'TypeError', message: 'request:fail timeout' });
  });
});
