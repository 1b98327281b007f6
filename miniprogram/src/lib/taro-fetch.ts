import Taro from '@tarojs/taro';

/**
 * A `fetch` built on Taro.request, for runtimes without fetch (WeChat).
 * Always asks for text and parses JSON lazily, so error bodies and non-JSON answers survive.
 */
export interface FetchInitLike {
  method?: string;
  headers?: Record<string, string> | [string, string][] | { forEach?: unknown };
  body?: unknown;
  signal?: {
    aborted: boolean;
    reason?: unknown;
    addEventListener?: (type: 'abort', cb: () => void, opts?: { once?: boolean }) => void;
  } | null;
}

export interface HeadersLike {
  get(name: string): string | null;
  has(name: string): boolean;
  forEach(cb: (value: string, key: string) => void): void;
}

export interface ResponseLike {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: HeadersLike;
  text(): Promise<string>;
  json(): Promise<unknown>;
  clone(): ResponseLike;
}

type TaroMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'TRACE' | 'CONNECT';

export function normalizeHeaders(h: FetchInitLike['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (Array.isArray(h)) {
    for (const [k, v] of h) out[k] = String(v);
    return out;
  }
  const maybeForEach = (h as { forEach?: unknown }).forEach;
  if (typeof maybeForEach === 'function' && !Object.hasOwn(h as Record<string, unknown>, 'forEach')) {
    (h as unknown as HeadersLike).forEach((v, k) => {
      out[k] = v;
    });
    return out;
  }
  for (const [k, v] of Object.entries(h as Record<string, unknown>)) {
    if (v !== undefined && v !== null) out[k] = String(v);
  }
  return out;
}

export function makeHeaders(raw: Record<string, unknown> | undefined): HeadersLike {
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(raw ?? {})) {
    map.set(k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v));
  }
  return {
    get: (name) => map.get(name.toLowerCase()) ?? null,
    has: (name) => map.has(name.toLowerCase()),
    forEach: (cb) => {
      map.forEach((v, k) => {
        cb(v, k);
      });
    },
  };
}

export function makeResponse(url: string, status: number, body: string, headers: HeadersLike): ResponseLike {
  const res: ResponseLike = {
    ok: status >= 200 && status < 300,
    status,
    statusText: String(status),
    url,
    headers,
    text: () => Promise.resolve(body),
    json: () =>
      new Promise((resolve, reject) => {
        try {
          resolve(JSON.parse(body));
        } catch (e) {
          reject(e);
        }
      }),
    clone: () => makeResponse(url, status, body, headers),
  };
  return res;
}

function abortError(reason: unknown): unknown {
  if (reason) return reason;
  const err = new Error('The operation was aborted.');
  err.name = 'AbortError';
  return err;
}

export function taroFetch(input: string | { url: string } | URL, init: FetchInitLike = {}): Promise<ResponseLike> {
  const url = typeof input === 'string' ? input : 'url' in input ? input.url : String(input);
  const signal = init.signal;
  if (signal?.aborted) return Promise.reject(abortError(signal.reason));

  return new Promise<ResponseLike>((resolve, reject) => {
    let settled = false;
    const task = Taro.request({
      url,
      method: (init.method ?? 'GET').toUpperCase() as TaroMethod,
      header: normalizeHeaders(init.headers),
      data: init.body === undefined || init.body === null ? undefined : (init.body as string),
      // Text in, text out: tRPC parses the body itself (and error bodies stay readable).
      dataType: 'text',
      responseType: 'text',
      success(res) {
        if (settled) return;
        settled = true;
        const raw: unknown = res.data;
        const body = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : JSON.stringify(raw);
        resolve(makeResponse(url, res.statusCode, body, makeHeaders(res.header as Record<string, unknown>)));
      },
      fail(err) {
        if (settled) return;
        settled = true;
        const e = new Error((err as { errMsg?: string })?.errMsg || 'request:fail');
        e.name = 'TypeError';
        reject(e);
      },
    });
    // Taro.request also returns a promise that rejects on failure: the callbacks handle it.
    (task as unknown as Promise<unknown>)?.catch?.(() => undefined);
    if (signal?.addEventListener) {
      signal.addEventListener(
        'abort',
        () => {
          if (settled) return;
          settled = true;
          try {
            (task as unknown as { abort?: () => void })?.abort?.();
          } catch {
            // ignore
          }
          reject(abortError(signal.reason));
        },
        { once: true },
      );
    }
  });
}
