import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';
import { createLogger, scrubText } from './logger';
import { Writable } from 'node:stream';
import type pino from 'pino';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/x', WECHAT_APP_SECRET: 'dev-secret' };

describe('configuration', () => {
  it('applies defaults for a minimal valid environment', () => {
    const cfg = loadConfig(base);
    expect(cfg.API_PORT).toBe(4000);
    expect(cfg.ACCESS_TOKEN_TTL_SEC).toBe(900);
  });
  it.each([
    [{ WECHAT_APP_SECRET: 'x' }, 'MONGODB_URI'],
    [{ ...base, MONGODB_URI: 'postgres://nope' }, 'MONGODB_URI'],
    [{ ...base, API_PORT: 'eighty' }, 'API_PORT'],
    [{ ...base, WECHAT_API_BASE: 'not a url' }, 'WECHAT_API_BASE'],
    [{ ...base, NODE_ENV: 'production' }, 'WECHAT_APP_SECRET'],
  ])('stops on a bad setting and names it (%o)', (env, name) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(name);
  });
});

describe('logs', () => {
  it('masks phone and ID numbers inside free text', () => {
    expect(scrubText('SMS to 13812345678 for 430104199001011234')).toBe('SMS to 138****5678 for 430104********1234');
  });
  it('redacts personal fields and tokens from structured log lines', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const log = createLogger('info', sink as unknown as pino.DestinationStream);
    log.info(
      { phone: '13812345678', user: { accessToken: 'eyJ.secret', phone: '13900000000' }, req: { headers: { authorization: 'Bearer abc' } } },
      'login by 13812345678',
    );
    const out = lines.join('');
    expect(out).not.toMatch(/13812345678|13900000000|eyJ\.secret|Bearer abc/);
    expect(out).toContain('[REDACTED]');
    expect(out).toContain('138****5678');
  });
});
