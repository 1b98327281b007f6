import { existsSync } from 'node:fs';
import { z } from 'zod';
import { isValidProxyList } from './http/client-ip';

/**
 * Every setting the API reads, validated once at start-up. A bad value stops the process with a
 * message naming the variable, instead of failing later in a request.
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  API_HOST: z.string().default('0.0.0.0'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI'),
  /** Origins allowed to call the API cross-origin with bearer tokens (comma separated). */
  CORS_ORIGINS: z.string().default(''),
  /**
   * Direct peers whose X-Forwarded-For is believed (comma-separated IPs or CIDRs); the client is the
   * right-most address not in the list. Default: loopback, where the web origin's /trpc proxy runs.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('127.0.0.1,::1,::ffff:127.0.0.1')
    .refine((v) => isValidProxyList(v), 'must be comma-separated IP addresses or CIDRs (e.g. 10.0.0.0/8)'),
  /** Development aids (dev.smsOutbox, messages.devWechatOutbox): on only when set; `npm start` and tests set it. */
  DEV_MODE: bool.default(false),
  /** JSON Web Key Set (private keys) for tokens; when absent the key set lives in the database. */
  AUTH_JWKS: z.string().optional(),
  AUTH_ISSUER: z.string().default('power-service-platform'),
  ACCESS_TOKEN_TTL_SEC: z.coerce.number().int().min(30).max(3600).default(900),
  REFRESH_TOKEN_TTL_SEC: z.coerce
    .number()
    .int()
    .min(300)
    .default(30 * 24 * 3600),
  /** How long a process trusts a positive session check (ms); other instances see a logout within it. 0 = read every time. */
  SESSION_CHECK_CACHE_MS: z.coerce.number().int().min(0).max(5000).default(2000),
  /** How often each process re-reads versioned settings (SLA, calendar, tariffs…); other instances see a change within it. */
  SETTINGS_REFRESH_MS: z.coerce.number().int().min(100).max(3000).default(3000),
  /** How often payment reconciliation (查单) runs, on whichever instance holds the billing lease. */
  BILLING_JOBS_INTERVAL_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Parallel refreshes of one refresh token within this many seconds get the same new pair; later reuse revokes the family. 0 = none. */
  REFRESH_GRACE_SEC: z.coerce.number().int().min(0).max(120).default(20),
  COOKIE_SECURE: bool.optional(),
  WECHAT_API_BASE: z.url().default('https://api.weixin.qq.com'),
  WECHAT_APPID: z.string().min(1).default('wx8d2c3f1a5b7e9d01'),
  WECHAT_APP_SECRET: z.string().min(1),
  /** 'outbox' stores messages for the dev UI and tests; production plugs a real gateway in. */
  SMS_PROVIDER: z.enum(['outbox']).default('outbox'),
  SMS_DAILY_CAP: z.coerce.number().int().min(1).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // WeChat Pay API v3 (docs/billing.md). In development and tests the keys may be left out: they are
  // generated once under .data/wechatpay/ and shared with the local Pay simulator. Production needs all.
  WECHATPAY_API_BASE: z.url().default('https://api.mch.weixin.qq.com'),
  WECHATPAY_MCHID: z
    .string()
    .regex(/^\d{8,12}$/, 'must be the 8-12 digit merchant id')
    .optional(),
  /** AppID paying through JSAPI/Native; defaults to WECHAT_APPID (the mini-program). */
  WECHATPAY_APPID: z.string().min(1).optional(),
  WECHATPAY_APIV3_KEY: z.string().length(32, 'must be exactly 32 characters').optional(),
  WECHATPAY_MERCHANT_PRIVATE_KEY_PATH: z.string().min(1).optional(),
  WECHATPAY_MERCHANT_SERIAL: z
    .string()
    .regex(/^[0-9A-Fa-f]{8,64}$/, 'must be the merchant certificate serial (hex)')
    .optional(),
  /** Certificate mode: platform certificates (PEM files, comma separated), chosen by their serial. */
  WECHATPAY_PLATFORM_CERT_PATHS: z.string().optional(),
  /** Public-key mode: the WeChat Pay public key (PEM file) and its id PUB_KEY_ID_…. */
  WECHATPAY_PUBLIC_KEY_PATH: z.string().min(1).optional(),
  WECHATPAY_PUBLIC_KEY_ID: z
    .string()
    .regex(/^PUB_KEY_ID_\w+$/, 'must look like PUB_KEY_ID_…')
    .optional(),
  WECHATPAY_NOTIFY_URL: z.url().optional(),
  /** Where development keys live (default <repo>/.data/wechatpay). */
  WECHATPAY_DEV_KEYS_DIR: z.string().optional(),
  // Receipts and e-invoices (PDF). Chinese text needs a CJK font: when unset, the first installed of
  // RECEIPT_FONT_CANDIDATES; when none is installed, downloads answer with a Chinese error.
  RECEIPT_FONT_PATH: z
    .string()
    .regex(/\.(ttc|otf|ttf)$/i, 'must be a .ttc, .otf or .ttf font file')
    .refine((p) => existsSync(p), 'font file not found')
    .optional(),
  /** PostScript name of the face inside a collection (.ttc); default: its Simplified Chinese face. */
  RECEIPT_FONT_FAMILY: z.string().min(1).optional(),
  INVOICE_SELLER_NAME: z.string().trim().min(4).max(100).default('示范市供电有限公司'),
  /** 统一社会信用代码 of the seller (demo default has a valid check character). */
  INVOICE_SELLER_TAX_ID: z
    .string()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'must be an 18-character unified social credit code')
    .default('91430100MA4L00000F'),
});

/** Where Debian/Ubuntu, Fedora/Arch and macOS keep a CJK font (fonts-noto-cjk, fonts-wqy-microhei…). */
export const RECEIPT_FONT_CANDIDATES = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/wqy-microhei/wqy-microhei.ttc',
  '/System/Library/Fonts/PingFang.ttc',
];

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = parsed.data;
  cfg.RECEIPT_FONT_PATH ??= RECEIPT_FONT_CANDIDATES.find((p) => existsSync(p));
  if (cfg.NODE_ENV === 'production' && cfg.WECHAT_APP_SECRET.startsWith('dev-')) {
    throw new ConfigError('Invalid configuration:\n  WECHAT_APP_SECRET: development secret used in production');
  }
  if (cfg.NODE_ENV === 'production' && cfg.DEV_MODE) {
    throw new ConfigError('Invalid configuration:\n  DEV_MODE: development mode cannot be on in production');
  }
  if (cfg.NODE_ENV === 'production') {
    const required = [
      'WECHATPAY_MCHID',
      'WECHATPAY_APIV3_KEY',
      'WECHATPAY_MERCHANT_PRIVATE_KEY_PATH',
      'WECHATPAY_MERCHANT_SERIAL',
      'WECHATPAY_NOTIFY_URL',
    ] as const;
    const missing: string[] = required.filter((k) => !cfg[k]);
    if (!cfg.WECHATPAY_PLATFORM_CERT_PATHS && !(cfg.WECHATPAY_PUBLIC_KEY_PATH && cfg.WECHATPAY_PUBLIC_KEY_ID)) {
      missing.push('WECHATPAY_PLATFORM_CERT_PATHS or WECHATPAY_PUBLIC_KEY_PATH+WECHATPAY_PUBLIC_KEY_ID');
    }
    if (missing.length) throw new ConfigError(`Invalid configuration:\n${missing.map((k) => `  ${k}: required in production`).join('\n')}`);
  }
  return cfg;
}

export class ConfigError extends Error {}

export function cookieSecure(cfg: Config): boolean {
  return cfg.COOKIE_SECURE ?? cfg.NODE_ENV === 'production';
}
