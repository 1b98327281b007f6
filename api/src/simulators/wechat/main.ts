/**
 * Standalone WeChat login/phone simulator:  npx tsx src/simulators/wechat/main.ts
 *
 * Env: WECHAT_SIM_PORT (default 4010), WECHAT_SIM_HOST (default 127.0.0.1),
 *      WECHAT_APPID (default wx8d2c3f1a5b7e9d01), WECHAT_APP_SECRET (default dev-secret-change-me),
 *      EXIT_ON_STDIN_EOF=1 (exit when stdin closes, i.e. when the parent process is gone),
 *      WECHAT_SIM_QUIET=1 (no request log on stderr).
 * Prints one line `WECHAT_SIM_READY url=http://host:port` on stdout when listening.
 */
import { createWechatSimulator, DEFAULT_WECHAT_APPID, DEFAULT_WECHAT_APP_SECRET } from './login-sim.js';

const port = Number(process.env.WECHAT_SIM_PORT ?? 4010);
const host = process.env.WECHAT_SIM_HOST ?? '127.0.0.1';
const appid = process.env.WECHAT_APPID || DEFAULT_WECHAT_APPID;
const appSecret = process.env.WECHAT_APP_SECRET || DEFAULT_WECHAT_APP_SECRET;

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`wechat-sim: invalid WECHAT_SIM_PORT ${process.env.WECHAT_SIM_PORT}`);
  process.exit(2);
}

const server = createWechatSimulator({
  appid,
  appSecret,
  log: process.env.WECHAT_SIM_QUIET ? undefined : (line) => console.error(line),
});

server.on('error', (err) => {
  console.error(`wechat-sim: cannot listen on ${host}:${port}: ${err.message}`);
  process.exit(1);
});

server.listen(port, host, () => {
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  console.error(
    `wechat-sim: appid ${appid}; endpoints /sns/jscode2session /cgi-bin/token /cgi-bin/stable_token /wxa/business/getuserphonenumber /sim/wx/login /sim/wx/phone`,
  );
  console.log(`WECHAT_SIM_READY url=http://${host}:${actual}`);
});

function shutdown(): void {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, shutdown);

if (process.env.EXIT_ON_STDIN_EOF === '1') {
  // Started by a runner: if it dies (even by kill -9) our stdin closes, and we go too.
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
}
