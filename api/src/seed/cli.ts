import { existsSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { connectDatabase, syncAllIndexes } from '../db/connect';
import { ensureEmbeddedMongoJar, startEmbeddedMongo, type EmbeddedMongo } from '../db/embedded';
import '../models';
import { dropAllCollections, seedDemoData, SeedFailedError } from './generate';

/**
 * npm run seed [-- --accounts 200000] [--reset] [--history-orders 180000]
 *
 * Database, in this order: MONGODB_URI if set; else the embedded server `npm start` is running (port 27018,
 * database `power`); else the embedded server's file that `npm start` would use (.data/mongo/embedded.mv),
 * started for the run and stopped afterwards. Prints how long it took (and the size of the embedded file).
 *
 * Failure: checks that can be made up front (the server takes writes, the disk has room) refuse before
 * anything is deleted. A failure after the reset began leaves the database empty (or, if even that fails,
 * marked as an unfinished seed, which the next seed regenerates) and says so.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Where `npm start` (api/scripts/stack.ts, dev mode) keeps and serves its embedded database. */
export const DEV_MONGO = { port: 27018, dataDir: path.join(ROOT, '.data', 'mongo'), db: 'power' };

async function reachable(uri: string): Promise<boolean> {
  const c = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 1500, connectTimeoutMS: 1500 });
  try {
    await c.asPromise();
    await c.db!.admin().ping();
    return true;
  } catch {
    return false;
  } finally {
    await c.close().catch(() => undefined);
  }
}

async function main() {
  const started = Date.now();
  const args = process.argv.slice(2);
  const i = args.indexOf('--accounts');
  const accounts = i >= 0 ? Number(args[i + 1]) : 20_000;
  if (!Number.isInteger(accounts) || accounts < 10) {
    console.error('--accounts must be a whole number ≥ 10');
    process.exit(2);
  }
  const h = args.indexOf('--history-orders');
  const historyOrders = h >= 0 ? Number(args[h + 1]) : 180_000;
  if (!Number.isInteger(historyOrders) || historyOrders < 0) {
    console.error('--history-orders must be a whole number ≥ 0 (0: no history)');
    process.exit(2);
  }
  let uri = process.env.MONGODB_URI;
  let embedded: EmbeddedMongo | null = null;
  if (uri) {
    console.log('seed: database from MONGODB_URI');
  } else {
    const running = `mongodb://127.0.0.1:${DEV_MONGO.port}/${DEV_MONGO.db}`;
    if (await reachable(running)) {
      uri = running;
      console.log(`seed: the embedded MongoDB that npm start is running (port ${DEV_MONGO.port})`);
    } else {
      await ensureEmbeddedMongoJar({ log: (m) => console.log(`seed: ${m}`) });
      embedded = await startEmbeddedMongo({ mode: 'file', dataDir: DEV_MONGO.dataDir, port: DEV_MONGO.port });
      uri = `${embedded.uri}${DEV_MONGO.db}`;
      console.log(`seed: started the embedded MongoDB on ${path.relative(ROOT, DEV_MONGO.dataDir)}/ (what npm start uses) for this run`);
    }
  }
  // The embedded server of npm start keeps its data here; an external MONGODB_URI is someone else's disk.
  const localFile = uri === process.env.MONGODB_URI ? null : path.join(DEV_MONGO.dataDir, 'embedded.mv');
  let failed = false;
  try {
    await connectDatabase(uri);
    await preflight(accounts, localFile);
    await syncAllIndexes();
    const result = await seedDemoData({ accounts, reset: args.includes('--reset'), historyOrders, log: (m) => console.log(m) });
    if (result.skipped) console.log('seed: demo data already present; pass --reset to regenerate');
    else console.log(`seed took ${(result.ms / 1000).toFixed(1)} s for ${result.accounts} accounts`);
  } catch (err) {
    failed = true;
    await explainFailure(err);
  } finally {
    await mongoose.disconnect().catch(() => undefined);
    await embedded?.stop();
  }
  if (failed) process.exit(1);
  if (localFile && existsSync(localFile))
    console.log(`seed: database file ${path.relative(ROOT, localFile)} is ${(statSync(localFile).size / 2 ** 20).toFixed(0)} MB`);
  console.log(`seed: done in ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
}

class Refused extends Error {}

/**
 * Checks made before anything is deleted, so that a seed that cannot finish refuses instead of leaving half
 * a data set: the server answers and accepts a write, and the disk of the embedded file has room.
 */
async function preflight(accounts: number, localFile: string | null) {
  const meta = mongoose.connection.db!.collection<{ _id: string; at: Date }>('meta');
  try {
    await meta.updateOne({ _id: 'seed-probe' }, { $set: { at: new Date() } }, { upsert: true });
    await meta.deleteOne({ _id: 'seed-probe' });
  } catch (err) {
    throw new Refused(`the database does not accept writes (${err instanceof Error ? err.message : String(err)})`);
  }
  if (localFile) {
    // ~5 KB per account with its 24 months of readings and bills (95 MB measured for 20,000), twice over
    // for the old and the new data side by side before compaction, plus room to breathe.
    const needed = accounts * 10 * 1024 + 512 * 2 ** 20;
    const dir = path.dirname(localFile);
    const { bavail, bsize } = statfsSync(existsSync(dir) ? dir : ROOT);
    const free = bavail * bsize;
    if (free < needed) {
      const gb = (n: number) => `${(n / 2 ** 30).toFixed(1)} GB`;
      throw new Refused(`${gb(free)} free on the disk of ${path.relative(ROOT, dir)}/, the seed of ${accounts} accounts needs about ${gb(needed)}`);
    }
  }
}

async function explainFailure(err: unknown) {
  if (err instanceof Refused) {
    console.error(`seed: refused: ${err.message}. Nothing was changed.`);
    return;
  }
  const cause = err instanceof SeedFailedError ? err.cause : err;
  console.error(`seed: FAILED: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`);
  if (!(err instanceof SeedFailedError) || !err.dataChanged) {
    console.error('seed: it failed before changing any data: the database holds what it held before.');
    return;
  }
  // Half a data set is worse than none: try to leave the database empty (the next start seeds it again).
  try {
    await Promise.race([dropAllCollections(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 30 s')), 30_000))]);
    console.error('seed: the reset had begun, so the previous data is gone; the partial demo data was removed and the database is empty.');
    console.error('seed: run `npm run seed` again (or `npm start`, which seeds an empty database).');
  } catch (cleanupErr) {
    console.error(
      `seed: the reset had begun, so the previous data is gone; removing the partial data failed too (${cleanupErr instanceof Error ? cleanupErr.message : String(cleanupErr)}).`,
    );
    console.error('seed: the database is marked as an unfinished seed: the next `npm run seed` or `npm start` regenerates it from scratch.');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
