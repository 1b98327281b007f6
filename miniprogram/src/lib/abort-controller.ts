/**
 * Minimal AbortController / AbortSignal for the WeChat runtime, which has neither.
 * tRPC's links only need: signal.aborted, signal.reason, add/removeEventListener('abort'),
 * signal.throwIfAborted and controller.abort(reason).
 * In weapp builds, webpack's ProvidePlugin maps the free variable `AbortController` here
 * (config/index.ts); `installAbortController()` also patches the global object when possible.
 */
type AbortListener = (this: AbortSignalPolyfill, ev: { type: 'abort'; target: AbortSignalPolyfill }) => void;

export class AbortSignalPolyfill {
  aborted = false;
  reason: unknown = undefined;
  onabort: AbortListener | null = null;
  private listeners: AbortListener[] = [];

  addEventListener(type: string, listener: AbortListener, options?: { once?: boolean } | boolean): void {
    if (type !== 'abort' || typeof listener !== 'function') return;
    if (typeof options === 'object' && options?.once) {
      const wrapped: AbortListener = function (this: AbortSignalPolyfill, ev) {
        this.removeEventListener('abort', wrapped);
        listener.call(this, ev);
      };
      this.listeners.push(wrapped);
      return;
    }
    this.listeners.push(listener);
  }

  removeEventListener(type: string, listener: AbortListener): void {
    if (type !== 'abort') return;
    this.listeners = this.listeners.filter((l) => l !== listener);
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  /** @internal */
  _abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason !== undefined ? reason : makeAbortError();
    const ev = { type: 'abort' as const, target: this };
    if (this.onabort) this.onabort.call(this, ev);
    for (const l of [...this.listeners]) l.call(this, ev);
    this.listeners = [];
  }
}

export class AbortControllerPolyfill {
  readonly signal = new AbortSignalPolyfill();
  abort(reason?: unknown): void {
    this.signal._abort(reason);
  }
}

function makeAbortError(): Error {
  const err = new Error('The operation was aborted.');
  err.name = 'AbortError';
  return err;
}

function globalObject(): Record<string, unknown> | undefined {
  if (typeof globalThis !== 'undefined') return globalThis as unknown as Record<string, unknown>;
  return undefined;
}

/** Installs the polyfill on the global object if the runtime lacks AbortController. */
export function installAbortController(): void {
  const g = globalObject();
  if (!g) return;
  if (typeof g.AbortController !== 'function') {
    try {
      g.AbortController = AbortControllerPolyfill;
      g.AbortSignal = AbortSignalPolyfill;
    } catch {
      // read-only global: the ProvidePlugin mapping still covers bundled code
    }
  }
}
