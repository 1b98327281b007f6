/**
 * Embedded MongoDB for development and tests: a small launcher around mongo-java-server
 * (api/embedded-mongo, a Maven project) started as a child `java -jar` process.
 *
 *   const mongo = await startEmbeddedMongo({ mode: 'memory' });          // free port, data gone on stop
 *   const mongo = await startEmbeddedMongo({ mode: 'file', dataDir });    // H2 file, survives restarts
 *   await mongoose.connect(mongo.uri);  ...  await mongo.stop();
 *
 * File mode is durable: the server commits every command that changed data to the file before it replies,
 * so a write the driver saw acknowledged survives a SIGKILL of the JVM (see embedded.durability.test.ts and
 * DurableH2Backend.java); `fsync: true` also forces each commit to the disk (power loss). No background
 * writer thread; compaction runs between commands and keeps the file in proportion to the data.
 *
 * Limits of mongo-java-server (see /work/shared/ENVIRONMENT.md): no transactions/sessions, no $text,
 * no geo, TTL indexes never expire, collation ignored. Production uses a real MongoDB (MONGODB_URI).
 *
 * Orphan protection: the child watches its stdin and exits on EOF, and we keep the pipe open for its
 * whole life, so even `kill -9` of this Node process ends the JVM. On top of that, process exit and
 * SIGINT/SIGTERM/SIGHUP handlers send SIGTERM to every child still running.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url)); // api/src/db
const apiDir = path.resolve(here, '..', '..');

/** Maven project of the launcher. */
export const EMBEDDED_MONGO_PROJECT_DIR = path.join(apiDir, 'embedded-mongo');
/** The runnable (shaded) jar built from it. */
export const EMBEDDED_MONGO_JAR = path.join(EMBEDDED_MONGO_PROJECT_DIR, 'target', 'embedded-mongo.jar');
/** Default data directory for `mode: 'file'` (git-ignored `.data/`). */
export const EMBEDDED_MONGO_DEFAULT_DATA_DIR = path.join(apiDir, '.data', 'embedded-mongo');

const READY_RE = /^EMBEDDED_MONGO_READY port=(\d+)\s*$/;
const STDERR_TAIL_BYTES = 8 * 1024;

type Log = (msg: string) => void;
const defaultLog: Log = (msg) => console.error(`[embedded-mongo] ${msg}`);

export interface EnsureJarOptions {
  /** Where progress messages go (default: stderr). */
  log?: Log;
  /** Rebuild even if the jar looks fresh. */
  force?: boolean;
}

export interface StartEmbeddedMongoOptions {
  /** `memory`: nothing persisted. `file`: H2 MVStore file `<dataDir>/<fileName>`. */
  mode: 'memory' | 'file';
  /** Directory for `mode: 'file'` (default api/.data/embedded-mongo). Created if missing. */
  dataDir?: string;
  /** File name inside dataDir (default `embedded.mv`). */
  fileName?: string;
  /** TCP port; 0 or omitted = a free port chosen by the OS. */
  port?: number;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** How long to wait for the READY line (default 60 s; covers JVM start on a loaded CI box). */
  readyTimeoutMs?: number;
  /** Copy the server's stderr to ours (default: only when EMBEDDED_MONGO_DEBUG is set). */
  logStderr?: boolean;
  /**
   * maxWireVersion the server reports (default 9 = MongoDB 4.4, the minimum of the Node.js driver 7 /
   * mongoose 9; mongo-java-server itself would say 8). Only the hello/buildInfo answers change.
   */
  wireVersion?: 6 | 7 | 8 | 9 | 13 | 17 | 21 | 25;
  /**
   * Netty worker threads of the server (default 1 = commands are processed one at a time, which avoids
   * mongo-java-server's races on concurrent collection creation; 0 = netty default, 2 x cores).
   */
  workerThreads?: number;
  /**
   * Keep an oplog, so change streams (`watch()`) work. Default: on in memory mode, off in file mode. The
   * oplog here is an uncapped collection holding a copy of every write; the application does not use it on
   * the embedded server (it is no replica set, so the event feed polls), and in a file it doubled the size
   * and the write cost of a seed.
   */
  oplog?: boolean;
  /** File mode: force every commit to the disk as well (survives power loss, not only a killed JVM). Default false. */
  fsync?: boolean;
  /** File mode: page cache of the store in MB (default 256; it holds decoded pages, so hot documents are not re-read). */
  cacheMb?: number;
  /** Extra JVM options, e.g. ['-Xmx512m'] (default none). */
  jvmArgs?: string[];
  /**
   * Let this Node process exit even while the server runs (the server then dies with it via stdin EOF).
   * Default false: a running embedded server keeps the event loop alive like any child process.
   */
  unref?: boolean;
  log?: Log;
}

export interface EmbeddedMongo {
  /** `mongodb://127.0.0.1:<port>/` — append a database name or pass `dbName` to mongoose. */
  uri: string;
  port: number;
  /** Child process id (for diagnostics). */
  pid: number;
  /** SIGTERM, then SIGKILL after 5 s. Resolves when the process has exited. Idempotent. */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Building the jar
// ---------------------------------------------------------------------------------------------

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

function jarIsFresh(): boolean {
  if (!existsSync(EMBEDDED_MONGO_JAR)) return false;
  const jarTime = statSync(EMBEDDED_MONGO_JAR).mtimeMs;
  const srcTime = Math.max(newestMtime(path.join(EMBEDDED_MONGO_PROJECT_DIR, 'pom.xml')), newestMtime(path.join(EMBEDDED_MONGO_PROJECT_DIR, 'src')));
  return jarTime >= srcTime;
}

const BUILD_LOCK_DIR = path.join(EMBEDDED_MONGO_PROJECT_DIR, '.build-lock');

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Cross-process lock (several vitest workers may call ensureEmbeddedMongoJar at once). */
async function withBuildLock<T>(log: Log, fn: () => Promise<T>): Promise<T> {
  const lockDir = BUILD_LOCK_DIR;
  const staleMs = 10 * 60_000;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > staleMs) {
          log(`removing stale build lock ${lockDir}`);
          rmSync(lockDir, { recursive: true, force: true });
          continue;
        }
      } catch {
        continue; // vanished between mkdir and stat
      }
      if (!announced) {
        log('another process is building the jar; waiting');
        announced = true;
      }
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function runMaven(log: Log): Promise<void> {
  const mvn = process.env.EMBEDDED_MONGO_MVN || 'mvn';
  const args = ['-q', '-B', 'package', '-DskipTests'];
  if (process.env.EMBEDDED_MONGO_MVN_OFFLINE) args.push('-o');
  log(`building ${path.relative(apiDir, EMBEDDED_MONGO_JAR)}: ${mvn} ${args.join(' ')} (in ${EMBEDDED_MONGO_PROJECT_DIR})`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(mvn, args, {
      cwd: EMBEDDED_MONGO_PROJECT_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    let output = '';
    const collect = (b: Buffer) => {
      output = (output + b.toString('utf8')).slice(-16 * 1024);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.on('error', (err) =>
      reject(new Error(`embedded-mongo: cannot run Maven ('${mvn}'): ${err.message}. Install Maven (and a JDK 17+) or set EMBEDDED_MONGO_MVN.`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0 && existsSync(EMBEDDED_MONGO_JAR)) {
        log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        resolve();
      } else {
        reject(new Error(`embedded-mongo: Maven build failed (exit ${code ?? signal}) in ${EMBEDDED_MONGO_PROJECT_DIR}\n${output.trim()}`));
      }
    });
  });
}

let ensuring: Promise<string> | null = null;

/**
 * Make sure `api/embedded-mongo/target/embedded-mongo.jar` exists and is newer than the pom and the
 * Java sources; builds it with `mvn -q -B package -DskipTests` otherwise. Returns the jar path.
 */
export function ensureEmbeddedMongoJar(opts: EnsureJarOptions = {}): Promise<string> {
  const log = opts.log ?? defaultLog;
  // Fast path, unless another process holds the build lock (its jar may be half-written).
  if (!opts.force && !existsSync(BUILD_LOCK_DIR) && jarIsFresh()) return Promise.resolve(EMBEDDED_MONGO_JAR);
  if (ensuring && !opts.force) return ensuring;
  const p = withBuildLock(log, async () => {
    if (!opts.force && jarIsFresh()) return EMBEDDED_MONGO_JAR; // built by someone else meanwhile
    log(existsSync(EMBEDDED_MONGO_JAR) ? 'jar is older than its sources; rebuilding' : 'jar missing; building');
    await runMaven(log);
    return EMBEDDED_MONGO_JAR;
  }).finally(() => {
    if (ensuring === p) ensuring = null;
  });
  ensuring = p;
  return p;
}

// ---------------------------------------------------------------------------------------------
// Orphan protection
// ---------------------------------------------------------------------------------------------

const liveChildren = new Set<ChildProcess>();
let handlersInstalled = false;

function killAllChildren(signal: NodeJS.Signals): void {
  for (const child of liveChildren) {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // 'exit' also fires after an uncaught exception and after process.exit(). Only synchronous work is
  // possible here; SIGTERM lets the JVM's shutdown hook close the H2 file cleanly on its own.
  process.on('exit', () => killAllChildren('SIGTERM'));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      // If someone else handles this signal (e.g. a graceful server shutdown), leave it to them:
      // they will exit eventually and the 'exit' handler above (or stdin EOF) ends the JVM.
      if (process.listenerCount(sig) > 1) return;
      killAllChildren('SIGTERM');
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig); // default behaviour: terminate with the signal
    };
    process.on(sig, onSignal);
  }
}

// ---------------------------------------------------------------------------------------------
// Starting a server
// ---------------------------------------------------------------------------------------------

function javaExecutable(): string {
  if (process.env.EMBEDDED_MONGO_JAVA) return process.env.EMBEDDED_MONGO_JAVA;
  if (process.env.JAVA_HOME) {
    const candidate = path.join(process.env.JAVA_HOME, 'bin', 'java');
    if (existsSync(candidate)) return candidate;
  }
  return 'java';
}

/**
 * Start mongo-java-server and resolve once it accepts connections (oplog: see `oplog`).
 */
export async function startEmbeddedMongo(opts: StartEmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const log = opts.log ?? defaultLog;
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  const logStderr = opts.logStderr ?? Boolean(process.env.EMBEDDED_MONGO_DEBUG);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`embedded-mongo: invalid port ${port}`);

  const jar = await ensureEmbeddedMongoJar({ log });

  const args = [...(opts.jvmArgs ?? []), '-jar', jar];
  args.push('--host', host, '--port', String(port), '--wire-version', String(opts.wireVersion ?? 9));
  args.push('--worker-threads', String(opts.workerThreads ?? 1));
  let description: string;
  if (opts.mode === 'memory') {
    args.push('--memory');
    description = 'memory';
  } else if (opts.mode === 'file') {
    const dataDir = path.resolve(opts.dataDir ?? EMBEDDED_MONGO_DEFAULT_DATA_DIR);
    mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, opts.fileName ?? 'embedded.mv');
    args.push('--file', file);
    if (opts.fsync) args.push('--fsync');
    if (opts.cacheMb) args.push('--cache-mb', String(opts.cacheMb));
    description = `file ${file}`;
  } else {
    throw new Error(`embedded-mongo: unknown mode ${String((opts as { mode: unknown }).mode)}`);
  }
  if (!(opts.oplog ?? opts.mode === 'memory')) args.push('--no-oplog');

  installExitHandlers();
  const started = Date.now();
  const java = javaExecutable();
  // stdin stays a pipe we never end while the server should run: EOF is the JVM's cue to exit.
  const child = spawn(java, args, { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
  liveChildren.add(child);

  let stderrTail = '';
  let onProgress: (() => void) | null = null;
  child.stderr!.on('data', (b: Buffer) => {
    const s = b.toString('utf8');
    stderrTail = (stderrTail + s).slice(-STDERR_TAIL_BYTES);
    if (logStderr) process.stderr.write(s);
    // A file of the earlier launcher is converted before the server listens: say so, and keep waiting.
    for (const line of s.split('\n')) {
      if (/^embedded-mongo: convert/.test(line)) onProgress?.();
      if (/^embedded-mongo: converting/.test(line)) log(line.replace(/^embedded-mongo: /, ''));
    }
  });
  child.stdin!.on('error', () => {
    /* EPIPE after the child died: irrelevant */
  });

  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      liveChildren.delete(child);
      resolve();
    });
    child.once('error', () => {
      // spawn failure: no 'exit' event follows
      exited = true;
      liveChildren.delete(child);
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!exited) child.kill('SIGKILL');
    }, 5_000);
    try {
      await exitPromise;
    } finally {
      clearTimeout(timer);
    }
  };

  const actualPort = await new Promise<number>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    let settled = false;
    const finish = (err: Error | null, p?: number) => {
      if (settled) return;
      settled = true;
      onProgress = null;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(p!);
    };
    const tail = () => (stderrTail.trim() ? `\n--- server stderr (tail) ---\n${stderrTail.trim()}` : ' (no stderr output)');
    const expire = () => finish(new Error(`embedded-mongo: not ready after ${readyTimeoutMs} ms (${description}, port ${port})${tail()}`));
    let timer = setTimeout(expire, readyTimeoutMs);
    onProgress = () => {
      clearTimeout(timer);
      timer = setTimeout(expire, readyTimeoutMs);
    };
    rl.on('line', (line) => {
      const m = READY_RE.exec(line);
      if (m) finish(null, Number(m[1]));
      else if (logStderr) process.stderr.write(`[embedded-mongo stdout] ${line}\n`);
    });
    child.once('error', (err) =>
      finish(new Error(`embedded-mongo: cannot start '${java}': ${err.message}. A JDK/JRE 17+ is required (or set EMBEDDED_MONGO_JAVA).`)),
    );
    child.once('exit', (code, signal) => {
      // Let the stderr pipe drain so the tail is complete.
      setImmediate(() => finish(new Error(`embedded-mongo: exited before ready (exit ${code ?? signal}; ${description}, port ${port})${tail()}`)));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });

  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout!.resume();
  if (opts.unref) {
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr] as Array<{ unref?: () => void } | null>) s?.unref?.();
  }

  log(`ready on ${host}:${actualPort} (${description}, pid ${child.pid}) in ${Date.now() - started} ms`);
  return {
    uri: `mongodb://${host}:${actualPort}/`,
    port: actualPort,
    pid: child.pid!,
    stop,
  };
}

/** Synchronous check used by scripts that want to fail fast with a readable message. */
export function javaAvailable(): boolean {
  const r = spawnSync(javaExecutable(), ['-version'], { stdio: 'ignore' });
  return r.status === 0;
}
