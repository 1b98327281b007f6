import pino from 'pino';

/** Paths whose values never reach a log line: phone numbers, ID numbers, tokens, secrets. */
export const REDACT_PATHS = [
  'phone',
  '*.phone',
  'idNumber',
  '*.idNumber',
  'password',
  '*.password',
  'code',
  '*.code',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'holderName',
  '*.holderName',
];

const PHONE_RE = /(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)/g;
const ID_RE = /(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])/g;

/** Masks phone and ID numbers that appear inside free text (error messages, URLs). */
export function scrubText(s: string): string {
  return s.replace(ID_RE, '$1********$2').replace(PHONE_RE, '$1****$2');
}

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream) {
  return pino(
    {
      level,
      base: { svc: 'api' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as typeof args;
          return method.apply(this, scrubbed);
        },
      },
    },
    destination as pino.DestinationStream,
  );
}

export type Logger = ReturnType<typeof createLogger>;
export const logger = createLogger();
