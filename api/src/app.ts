import { eventFeed, supportsChangeStreams } from './modules/events/event.feed';
import { setCustomerNoticeSms } from './modules/notify/customer-notice';
import type { Config } from './config';
import { connectDatabase, syncAllIndexes } from './db/connect';
import { createLogger } from './logger';
import { createApiServer } from './http/server';
import { KeyRing } from './modules/auth/tokens';
import { WechatClient } from './modules/auth/wechat-client';
import { OutboxSmsProvider } from './modules/notify/sms-provider';
import type { AppServices, RawRoute } from './http/types';
import { startJobs } from './jobs/scheduler';
import { ensureDefaultVersions, startSettingsRefresh } from './modules/settings/settings.service';
import { billingRawRoutes } from './modules/billing/notify.route';
import { documentRawRoutes } from './modules/billing/documents.service';
import { photoRawRoutes } from './modules/workorders/photo.links';
import { documentFileRawRoutes } from './modules/files/file.service';
import './models';

/** Wires the services for one API process: used by main.ts and by integration tests. */
export function createServices(cfg: Config): AppServices {
  return {
    cfg,
    log: createLogger(cfg.LOG_LEVEL),
    keys: new KeyRing({ jwks: cfg.AUTH_JWKS }),
    sms: new OutboxSmsProvider(),
    wechat: new WechatClient({ base: cfg.WECHAT_API_BASE, appid: cfg.WECHAT_APPID, secret: cfg.WECHAT_APP_SECRET }),
  };
}

export async function startApi(cfg: Config, opts: { dbName?: string; rawRoutes?: Record<string, RawRoute>; jobs?: boolean } = {}) {
  const services = createServices(cfg);
  await connectDatabase(cfg.MONGODB_URI, opts.dbName);
  await syncAllIndexes();
  await services.keys.load();
  // Versioned settings: version 1 (the defaults) written once, then re-read every SETTINGS_REFRESH_MS.
  await ensureDefaultVersions();
  const stopSettings = startSettingsRefresh({
    refreshMs: cfg.SETTINGS_REFRESH_MS,
    onError: (err) => services.log.warn({ err: String(err) }, 'settings refresh failed'),
  });
  // One reader of the event log for this process's live streams; change streams wake it where the server has them.
  eventFeed.reset({ changeStream: await supportsChangeStreams() });
  // Customer notices go out through the same SMS gateway as verification codes.
  setCustomerNoticeSms(services.sms);
  const server = createApiServer(services, {
    ...billingRawRoutes(services),
    ...documentRawRoutes(services),
    ...photoRawRoutes(services),
    ...documentFileRawRoutes(services),
    ...opts.rawRoutes,
  });
  await new Promise<void>((resolve) => server.listen(cfg.API_PORT, cfg.API_HOST, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : cfg.API_PORT;
  // Background jobs (SLA sweep) coordinate through database leases, so every instance may start them.
  const jobs = opts.jobs === false ? null : startJobs({ log: services.log, cfg, sms: services.sms });
  return {
    services,
    server,
    port,
    stop: async () => {
      eventFeed.stop();
      stopSettings();
      await jobs?.stop();
    },
  };
}
