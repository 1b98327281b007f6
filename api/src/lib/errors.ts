/**
 * The one domain error type. Services and rules throw `DomainError` with a code and a message for the
 * person in front of the screen (Simplified Chinese); api/src/trpc/trpc.ts maps it to a TRPCError in one
 * place, and anything else thrown inside a procedure reaches the client only as a generic internal error.
 * Pure rule files may throw it too: it has no I/O and no dependency on the transport.
 */
export const DOMAIN_ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'TOO_MANY_REQUESTS',
  'SERVICE_UNAVAILABLE',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** The HTTP status of each code, for routes outside tRPC (the WeChat Pay callback, file links). */
export const DOMAIN_HTTP_STATUS: Record<DomainErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    /** Shown to the user as is. */
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
