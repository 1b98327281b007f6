/**
 * The file-backed embedded server (what `npm start` uses) loses no acknowledged write when its JVM is killed
 * with SIGKILL: writes the driver saw acknowledged are all there after a restart on the same file.
 * Starts its own servers (not the shared in-memory one of the test run).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureEmbeddedMongoJar, startEmbeddedMongo, type EmbeddedMongo } from './embedded.js';

let dataDir: string;

beforeAll(async () => {
  await ensureEmbeddedMongoJar();
  dataDir = mkdtempSync(path.join(tmpdir(), 'embedded-mongo-kill-'));
});

afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function connect(uri: string): Promise<Connection> {
  // One connection per pool slot is enough; no retries, so an error is an error.
  return mongoose.createConnection(uri, { dbName: 'kill_test', serverSelectionTimeoutMS: 10_000, retryWrites: false, maxPoolSize: 4 }).asPromise();
}

/** SIGKILL the JVM (no shutdown hook, no flush) and wait until it is gone. */
async function killHard(mongo: EmbeddedMongo): Promise<void> {
  process.kill(mongo.pid, 'SIGKILL');
  await mongo.stop(); // resolves once the process has exited
  expect(() => process.kill(mongo.pid, 0)).toThrow();
}

describe('embedded mongo, file mode: SIGKILL after acknowledged writes', () => {
  it('keeps every acknowledged insert, update and delete, and the unique index', async () => {
    const fileName = 'kill-batch.mv';
    const first = await startEmbeddedMongo({ mode: 'file', dataDir, fileName });
    const conn = await connect(first.uri);
    const items = conn.db!.collection('items');
    await items.createIndex({ key: 1 }, { unique: true });

    // 300 single inserts, one at a time (each acknowledged before the next), then a bulk of 1,700.
    for (let i = 0; i < 300; i++) await items.insertOne({ key: `k${i}`, n: i, at: new Date(1_700_000_000_000 + i) });
    await items.insertMany(Array.from({ length: 1_700 }, (_, j) => ({ key: `k${300 + j}`, n: 300 + j })));
    // 200 updates and 100 deletes, acknowledged one by one; the last write happens just before the kill.
    for (let i = 0; i < 200; i++) await items.updateOne({ key: `k${i}` }, { $inc: { n: 1_000_000 }, $set: { touched: true } });
    for (let i = 1_900; i < 2_000; i++) await items.deleteOne({ key: `k${i}` });
    const last = await items.insertOne({ key: 'last', n: -1 });
    expect(last.acknowledged).toBe(true);

    await killHard(first);
    await conn.close(true).catch(() => undefined);

    const second = await startEmbeddedMongo({ mode: 'file', dataDir, fileName });
    try {
      const c2 = await connect(second.uri);
      const again = c2.db!.collection('items');
      expect(await again.countDocuments()).toBe(1_901);
      expect(await again.countDocuments({ touched: true })).toBe(200);
      expect((await again.findOne({ key: 'k0' }))?.n).toBe(1_000_000);
      expect((await again.findOne({ key: 'k7' }))?.at).toEqual(new Date(1_700_000_000_007));
      expect(await again.findOne({ key: 'k1950' })).toBeNull();
      expect((await again.findOne({ key: 'last' }))?.n).toBe(-1);
      // The unique index came back with the data.
      await expect(again.insertOne({ key: 'k5' })).rejects.toMatchObject({ code: 11000 });
      await c2.close();
    } finally {
      await second.stop();
    }
  });

  it('keeps every write acknowledged up to the moment of a kill in the middle of a write stream', async () => {
    const fileName = 'kill-stream.mv';
    const first = await startEmbeddedMongo({ mode: 'file', dataDir, fileName });
    const conn = await connect(first.uri);
    const events = conn.db!.collection('events');
    await events.insertOne({ seq: -1, writer: -1 }); // the collection exists before the stream starts

    // Four writers insert as fast as they can; each remembers what the server acknowledged.
    const acknowledged: number[][] = [[], [], [], []];
    let stop = false;
    const writers = acknowledged.map(async (acked, w) => {
      for (let seq = 0; !stop; seq++) {
        try {
          await events.insertOne({ writer: w, seq, body: 'x'.repeat(200) });
          acked.push(seq);
        } catch {
          return; // the server is gone: this write was never acknowledged
        }
      }
    });
    // Kill once the stream is well under way (a count, not a fixed time: a slow or busy machine writes less per second).
    const acked = () => acknowledged.reduce((n, a) => n + a.length, 0);
    for (const started = Date.now(); acked() < 400 && Date.now() - started < 30_000; ) await new Promise((r) => setTimeout(r, 50));
    await killHard(first); // while writes are in flight
    stop = true;
    await Promise.all(writers);
    await conn.close(true).catch(() => undefined);
    const total = acked();
    expect(total).toBeGreaterThanOrEqual(400); // the stream really ran

    const second = await startEmbeddedMongo({ mode: 'file', dataDir, fileName });
    try {
      const c2 = await connect(second.uri);
      const stored = await c2
        .db!.collection('events')
        .find({ writer: { $gte: 0 } }, { projection: { writer: 1, seq: 1 } })
        .toArray();
      const have = new Set(stored.map((d) => `${d.writer}:${d.seq}`));
      const lost = acknowledged.flatMap((acked, w) => acked.filter((seq) => !have.has(`${w}:${seq}`)).map((seq) => `${w}:${seq}`));
      expect(lost).toEqual([]);
      // At most the writes in flight at the kill (one per writer) exist without an acknowledgement.
      expect(stored.length - total).toBeLessThanOrEqual(acknowledged.length);
      await c2.close();
    } finally {
      await second.stop();
    }
    expect(statSync(path.join(dataDir, fileName)).size).toBeLessThan(64 * 1024 * 1024);
  });
});
