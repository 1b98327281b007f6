import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import { inject } from 'vitest';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { EventSource } from 'eventsource';
import { loadConfig, type Config } from '../config';
import { startApi } from '../app';
import { startJobs } from '../jobs/scheduler';
import { connectDatabase, syncAllIndexes } from '../db/connect';
import { seedDemoData } from '../seed/generate';
import { createWechatSimulator } from '../simulators/wechat/login-sim';
import type { AppRouter } from '../trpc/app-router';
import type { AppServices } from '../trpc/context';
import '../models';

/** A database of its own for one test file, on the run's embedded server. */
export async function useTestDatabase(): Promise<string> {
  const dbName = `t_${randomBytes(6).toString('hex')}`;
  await connectDatabase(inject('mongoUri'), dbName);
  await syncAllIndexes();
  return dbName;
}

export interface TestApi {
  url: string;
  cfg: Config;
  /** The process-wide services of the running API (for in-process callers in tests). */
  services: AppServices;
  wechatSimUrl: string;
  /** A tRPC client speaking bearer tokens, like the mini-program. */
  client(token?: string): ReturnType<typeof createTRPCClient<AppRouter>>;
  /** Raw tRPC call (for cookie transport and malformed input). */
  raw(path: string, input: unknown, init?: { method?: 'GET' | 'POST'; headers?: Record<string, string> }): Promise<Response>;
  stop(): Promise<void>;
}

/** The real API process wiring on a free port, over a fresh database, with the WeChat simulator. */
export async function startTestApi(opts: { seedAccounts?: number; env?: Record<string, string> } = {}): Promise<TestApi> {
  const sim = createWechatSimulator({ appid: 'wx8d2c3f1a5b7e9d01', appSecret: 'dev-test-secret' });
  await new Promise<void>((r) => sim.listen(0, '127.0.0.1', r));
  const simUrl = `http://127.0.0.1:${(sim.address() as AddressInfo).port}`;
  const dbName = `t_${randomBytes(6).toString('hex')}`;
  const cfg = loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: inject('mongoUri'),
    API_PORT: '0',
    API_HOST: '127.0.0.1',
    WECHAT_API_BASE: simUrl,
    WECHAT_APP_SECRET: 'dev-test-secret',
    LOG_LEVEL: 'silent',
    // Tests read SMS codes and WeChat messages from the development outboxes.
    DEV_MODE: 'true',
    ...opts.env,
  });
  // Jobs start after the seed, so the billing job's daily settlement does not race the seeding of the same documents.
  const { server, port, services } = await startApi(cfg, { dbName, jobs: false });
  if (opts.seedAccounts) await seedDemoData({ accounts: opts.seedAccounts, billing: false });
  // Billing jobs move balances on the wall clock; billing tests run them explicitly instead.
  const jobs = startJobs({ log: services.log, cfg, billing: false, sms: services.sms });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    cfg,
    services,
    wechatSimUrl: simUrl,
    client(token?: string) {
      return createTRPCClient<AppRouter>({
        links: [httpLink({ url: `${url}/trpc`, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) })],
      });
    },
    raw(path, input, init = {}) {
      const method = init.method ?? 'POST';
      const target = method === 'GET' ? `${url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}` : `${url}/trpc/${path}`;
      return fetch(target, {
        method,
        headers: { 'content-type': 'application/json', ...init.headers },
        body: method === 'POST' ? JSON.stringify(input) : undefined,
      });
    },
    async stop() {
      await jobs.stop();
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
      sim.closeAllConnections?.();
      await new Promise((r) => sim.close(r));
      await mongoose.connection.db?.dropDatabase().catch(() => undefined);
      await mongoose.disconnect();
    },
  };
}

/** Gets a wx.login code from the simulator, as the WeChat client would. */
export async function simLoginCode(api: TestApi, simUser: string): Promise<string> {
  const res = await fetch(`${api.wechatSimUrl}/sim/wx/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ appid: api.cfg.WECHAT_APPID, simUser }),
  });
  return ((await res.json()) as { code: string }).code;
}

export function errorOf(err: unknown): { code?: string; message: string } {
  if (err instanceof TRPCClientError) return { code: err.data?.code, message: err.message };
  return { message: String(err) };
}

export async function expectTrpcError(p: Promise<unknown>, code: string): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = errorOf(err);
    if (e.code !== code) throw new Error(`expected ${code}, got ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}

/** A tRPC client of the API at `url` whose subscriptions (the live queue) run over SSE with a bearer token. */
export function liveClient(url: string, token: string) {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${url}/trpc`,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input: string | URL | Request, init?: RequestInit) =>
              fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${token}` } }),
          }),
        }),
        false: httpLink({ url: `${url}/trpc`, headers: () => ({ authorization: `Bearer ${token}` }) }),
      }),
    ],
  });
}
