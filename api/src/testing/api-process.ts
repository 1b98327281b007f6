import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ApiProcess {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  /** Resolves once the process has exited. */
  exited: Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * A real API process, started the way production (`node dist/main.js`, after `npm run build -w api`) or
 * development (`tsx src/main.ts`) starts it, on a port of its own; resolves once /healthz answers.
 */
export async function startApiProcess(o: {
  name: string /** The bundle to run (`npm run build -w api` output); default: the sources through tsx. */;
  compiled?: string;
  env: Record<string, string>;
  timeoutMs?: number;
}): Promise<ApiProcess> {
  const port = await freePort();
  const argv = o.compiled ? ['--enable-source-maps', o.compiled] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, argv, {
    cwd: apiDir,
    env: { ...process.env, ...o.env, API_PORT: String(port), API_HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + (o.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API ${o.name} exited with ${child.exitCode} before answering /healthz`);
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      /* starting */
    }
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`API ${o.name} did not answer /healthz within ${(o.timeoutMs ?? 60_000) / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name: o.name,
    port,
    url,
    child,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
