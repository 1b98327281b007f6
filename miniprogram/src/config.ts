/**
 * Runtime configuration, fixed at build time (see config/index.ts → defineConstants).
 * Env vars: TARO_APP_API_BASE, TARO_APP_WECHAT_SIM_BASE, TARO_APP_WECHATPAY_SIM_BASE, TARO_APP_APPID.
 */
declare const __API_BASE__: string | undefined;
declare const __WECHAT_SIM_BASE__: string | undefined;
declare const __WECHATPAY_SIM_BASE__: string | undefined;
declare const __APPID__: string | undefined;

/** WeChat dev appid (same value as /work/main/project.config.json). */
export const DEFAULT_APPID = 'wx8d2c3f1a5b7e9d01';

export const API_BASE: string = typeof __API_BASE__ === 'string' ? __API_BASE__ : 'http://127.0.0.1:4000/trpc';
export const WECHAT_SIM_BASE: string = typeof __WECHAT_SIM_BASE__ === 'string' ? __WECHAT_SIM_BASE__ : '/wxsim';
/** H5 only: the WeChat Pay simulator (proxied by the H5 server), where the adapter completes a payment. */
export const WECHATPAY_SIM_BASE: string = typeof __WECHATPAY_SIM_BASE__ === 'string' && __WECHATPAY_SIM_BASE__ ? __WECHATPAY_SIM_BASE__ : '/wxpaysim';
export const APPID: string = typeof __APPID__ === 'string' && __APPID__ ? __APPID__ : DEFAULT_APPID;
