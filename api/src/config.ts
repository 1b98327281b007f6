import { z } from 'zod';

/**
 * Every setting the API reads, validated once at start-up. A bad value stops the process with a
 * message naming the variable, instead of failing later in a request.
 */
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  API_HOST: z.string().default('0.0.0.0'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI'),
  /** Origins allowed to call the API cross-origin with bearer tokens (comma separated). */
  CORS_ORIGINS: z.string().default(''),
  /** JSON Web Key Set (private keys) for tokens; when absent the key set lives in the database. */
  AUTH_JWKS: z.string().optional(),
  AUTH_ISSUER: z.string().default('power-service-platform'),
  ACCESS_TOKEN_TTL_SEC: z.coerce.number().int().min(30).max(3600).default(900),
  REFRESH_TOKEN_TTL_SEC: z.coerce.number().int().min(300).default(30 * 24 * 3600),
  COOKIE_SECURE: bool.optional(),
  WECHAT_API_BASE: z.url().default('https://api.weixin.qq.com'),
  WECHAT_APPID: z.string().min(1).default('wx8d2c3f1a5b7e9d01'),
  WECHAT_APP_SECRET: z.string().min(1),
  /** 'outbox' stores messages for the dev UI and tests; production plugs a real gateway in. */
  SMS_PROVIDER: z.enum(['outbox']).default('outbox'),
  SMS_DAILY_CAP: z.coerce.number().int().min(1).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = parsed.data;
  if (cfg.NODE_ENV === 'production' && cfg.WECHAT_APP_SECRET.startsWith('dev-')) {
    throw new ConfigError('Invalid configuration:\n  WECHAT_APP_SECRET: development secret used in production');
  }
  return cfg;
}

export class ConfigError extends Error {}

export function cookieSecure(cfg: Config): boolean {
  return cfg.COOKIE_SECURE ?? cfg.NODE_ENV === 'production';
}
