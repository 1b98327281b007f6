import { TRPCClientError } from '@trpc/client';
import { t } from './i18n';

export type ErrorCode = 'UNAUTHORIZED' | 'FORBIDDEN' | 'BAD_REQUEST' | 'NOT_FOUND' | 'TOO_MANY_REQUESTS' | 'INTERNAL_SERVER_ERROR' | string;

/** tRPC error code (e.g. 'UNAUTHORIZED') of any thrown value, or null. */
export function errorCode(err: unknown): ErrorCode | null {
  if (err instanceof TRPCClientError) {
    const data = (err as TRPCClientError<never>).data as { code?: string } | undefined | null;
    return data?.code ?? null;
  }
  if (err && typeof err === 'object' && 'data' in err) {
    const data = (err as { data?: { code?: string } | null }).data;
    return data?.code ?? null;
  }
  return null;
}

const CJK = /[\u3400-\u9fff]/;

/** A message fit to show to the user: the server's Chinese message as-is, else a generic one. */
export function errorMessage(err: unknown): string {
  if (!err) return '';
  const code = errorCode(err);
  const raw = err instanceof Error ? err.message : String(err);
  if (raw && CJK.test(raw) && !raw.trim().startsWith('[')) return raw;
  // Validation errors (zod issue arrays) that slipped through without a Chinese message.
  if (raw.trim().startsWith('[') || code === 'BAD_REQUEST') {
    try {
      const issues = JSON.parse(raw) as { message?: string }[];
      const firstCjk = issues.map((i) => i.message ?? '').find((m) => CJK.test(m));
      if (firstCjk) return firstCjk;
    } catch {
      /* not JSON */
    }
    return t.errors.invalidInput;
  }
  if (code === 'TOO_MANY_REQUESTS') return t.errors.tooMany;
  if (code === 'FORBIDDEN') return t.app.forbiddenDesc;
  if (/fetch|network|Load failed|ECONN/i.test(raw)) return t.errors.network;
  if (code === 'INTERNAL_SERVER_ERROR' || /Bad Gateway|Unexpected token/i.test(raw)) return t.errors.unavailable;
  return t.errors.unknown;
}
