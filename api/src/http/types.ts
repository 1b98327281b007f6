import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { KeyRing } from '../modules/auth/tokens';
import type { SmsProvider } from '../modules/notify/sms-provider';
import type { WechatClient } from '../modules/auth/wechat-client';

/**
 * Types only: what domain code needs to know about the HTTP layer without importing the server.
 */

/** A handler for a non-tRPC route (WeChat Pay callback, signed file links). */
export type RawRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Process-wide services handed to every request. */
export interface AppServices {
  cfg: Config;
  log: Logger;
  keys: KeyRing;
  sms: SmsProvider;
  wechat: WechatClient;
}
