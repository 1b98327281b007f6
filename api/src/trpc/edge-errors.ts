import type { TRPCError } from '@trpc/server';

/** Most calls one batched tRPC request may carry (createHTTPHandler maxBatchSize). */
export const MAX_BATCH_SIZE = 20;
/** Largest tRPC request body: documents arrive as base64 data URLs (≤ 10 MB decoded ≈ 13.4 MB encoded). */
export const MAX_BODY_BYTES = 15 * 1024 * 1024;

export const INTERNAL_MESSAGE = '服务暂时不可用，请稍后重试';
const JSON_MESSAGE = '请求格式有误：内容不是合法的 JSON';

/**
 * The Chinese message for errors raised by the transport rather than by a procedure (tRPC's own English
 * texts: too large, not JSON, wrong content type, batch too big, no such procedure), and for internal
 * errors, whose own message may name internals and never reaches a client. Null: keep the message.
 */
export function edgeErrorMessage(error: TRPCError): string | null {
  const own = error.message ?? '';
  switch (error.code) {
    case 'INTERNAL_SERVER_ERROR':
      return INTERNAL_MESSAGE;
    case 'PAYLOAD_TOO_LARGE':
      return `请求内容过大（上限 ${MAX_BODY_BYTES / 1024 / 1024} MB），请压缩图片或减少内容后重试`;
    case 'PARSE_ERROR':
      return JSON_MESSAGE;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return own.startsWith('Cannot use stream-like') ? INTERNAL_MESSAGE : '不支持的请求内容类型，请以 application/json 发送';
    case 'METHOD_NOT_SUPPORTED':
      return /^(Unsupported|Only) /.test(own) ? '请求方法不受支持' : null;
    case 'NOT_FOUND':
      return own.startsWith('No procedure found') ? '请求的接口不存在' : null;
    case 'BAD_REQUEST':
      // A body or ?input= that is not JSON arrives as BAD_REQUEST caused by JSON.parse's SyntaxError.
      if (error.cause instanceof SyntaxError) return JSON_MESSAGE;
      if (own === 'Batch call exceeds maximum size') return `一次批量请求最多包含 ${MAX_BATCH_SIZE} 个调用，请分批发送`;
      if (own.startsWith('"input" needs to be an object')) return '批量请求的输入格式有误';
      if (own.startsWith('Cannot mix procedure types') || own.startsWith('Cannot batch subscription')) return '批量请求不能混合查询、修改或订阅';
      if (own === 'Invalid URL' || own.startsWith('Batching is not enabled') || own.startsWith('Streaming requests must be batched'))
        return '请求格式有误';
      return null;
    default:
      return null;
  }
}
