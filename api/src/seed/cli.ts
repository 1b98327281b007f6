import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { connectDatabase, syncAllIndexes } from '../db/connect';
import { ensureEmbeddedMongoJar, startEmbeddedMongo, type EmbeddedMongo } from '../db/embedded';
import '../models';
import { seedDemoData } from './generate';

/**
 * npm run seed [-- --accounts 200000] [--reset]
 *
 * Database, in this order: MONGODB_URI if set; else the embedded server `npm start` is running (port 27018,
 * database `power`); else the embedded server's file that `npm start` would use (.data/mongo/embedded.mv),
 * started for the run and stopped afterwards. Prints how long it took.
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
  try {
    await connectDatabase(uri);
    await syncAllIndexes();
    const result = await seedDemoData({ accounts, reset: args.includes('--reset'), log: (m) => console.log(m) });
    if (result.skipped) console.log('seed: demo data already present; pass --reset to regenerate');
    else console.log(`seed took ${(result.ms / 1000).toFixed(1)} s for ${result.accounts} accounts`);
    await mongoose.disconnect();
  } finally {
    await embedded?.stop();
  }
  console.log(`seed: done in ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
