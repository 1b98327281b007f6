import mongoose from 'mongoose';
import { type Config, ConfigError, loadConfig } from './config';
import { startApi } from './app';
import { logger } from './logger';

async function main() {
  let cfg: Config;
  try {
    cfg = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const { server, port, services, stop: stopJobs } = await startApi(cfg);
  services.log.info({ port }, `API listening on http://127.0.0.1:${port} (tRPC /trpc, health /healthz)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    services.log.info({ signal }, 'shutting down');
    server.close();
    server.closeAllConnections?.();
    await stopJobs().catch(() => undefined); // let a running sweep finish its current write first
    await mongoose.disconnect().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  if (process.env.EXIT_ON_STDIN_EOF === '1') {
    // Started by the stack runner: if it dies (even by kill -9) our stdin closes, and we go too.
    process.stdin.on('end', () => void stop('parent gone'));
    process.stdin.on('error', () => void stop('parent gone'));
    process.stdin.resume();
  }
}

main().catch((err) => {
  logger.fatal({ err: String(err?.stack ?? err) }, 'API failed to start');
  process.exit(1);
});
