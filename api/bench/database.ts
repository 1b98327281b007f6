import { ensureEmbeddedMongoJar, startEmbeddedMongo } from '../src/db/embedded';
import { connectDatabase, syncAllIndexes } from '../src/db/connect';

/**
 * The database a benchmark runs against: MONGODB_URI when set, else the embedded server in memory.
 * Connected, with indexes in place; `stop` ends the embedded server (a no-op for MONGODB_URI).
 */
export async function openBenchDatabase(dbName: string): Promise<{ uri: string; stop: () => Promise<void> }> {
  let uri = process.env.MONGODB_URI;
  let stop = async () => {};
  if (!uri) {
    await ensureEmbeddedMongoJar();
    const m = await startEmbeddedMongo({ mode: 'memory', port: 0 });
    uri = `${m.uri}${dbName}`;
    stop = m.stop;
  }
  await connectDatabase(uri);
  await syncAllIndexes();
  return { uri, stop };
}
