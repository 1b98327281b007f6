/**
 * Runs the WeChat Pay v3 simulator as a process (development): `npx tsx src/simulators/wechatpay/main.ts`.
 * Keys: generated at first start under <repo>/.data/wechatpay/ (see dev-keys.ts), shared with the API.
 * Env: WECHATPAY_SIM_PORT (default 4011), WECHATPAY_SIM_HOST (127.0.0.1), WECHAT_APPID (the mini-program,
 *      default wx8d2c3f1a5b7e9d01; WECHATPAY_APPID adds another), WECHATPAY_SIM_MODE=public_key|certificate
 *      (which serial notifications carry; default public_key), WECHATPAY_SIM_RETRY_SCALE (default 1),
 *      WECHATPAY_DEV_KEYS_DIR, EXIT_ON_STDIN_EOF=1, WECHATPAY_SIM_QUIET=1, WECHATPAY_SIM_MERCHANT_NAME (the payee the
 *      cashier shows; default INVOICE_SELLER_NAME or 示范市供电有限公司).
 * Prints `WECHATPAY_SIM_READY url=http://host:port` on stdout when listening; point the API at it with
 * WECHATPAY_API_BASE=that url.
 */
import { loadOrCreateDevKeys } from './dev-keys.js';
import { createWechatPaySimulator, devSimulatorOptions } from './pay-sim.js';

const port = Number(process.env.WECHATPAY_SIM_PORT ?? 4011);
const host = process.env.WECHATPAY_SIM_HOST ?? '127.0.0.1';
const keys = loadOrCreateDevKeys(process.env.WECHATPAY_DEV_KEYS_DIR || undefined);
const appids = [...new Set([process.env.WECHAT_APPID || 'wx8d2c3f1a5b7e9d01', process.env.WECHATPAY_APPID].filter(Boolean) as string[])];
const mode = process.env.WECHATPAY_SIM_MODE === 'certificate' ? 'certificate' : 'public_key';

const server = createWechatPaySimulator({
  ...devSimulatorOptions(keys, {
    appids,
    mode,
    retryScale: Number(process.env.WECHATPAY_SIM_RETRY_SCALE ?? 1),
    log: process.env.WECHATPAY_SIM_QUIET ? undefined : (line) => console.error(`wechatpay-sim: ${line}`),
  }),
  merchantName: process.env.WECHATPAY_SIM_MERCHANT_NAME || process.env.INVOICE_SELLER_NAME || undefined,
});
server.on('error', (err) => {
  console.error(`wechatpay-sim: cannot listen on ${host}:${port}: ${err.message}`);
  process.exit(1);
});
server.listen(port, host, () => {
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  console.error(`wechatpay-sim: mchid ${keys.mchid}, appids ${appids.join(',')}, ${mode} mode, keys in ${keys.dir}`);
  console.log(`WECHATPAY_SIM_READY url=http://${host}:${actual}`);
});
const shutdown = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, shutdown);
if (process.env.EXIT_ON_STDIN_EOF === '1') {
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
}
