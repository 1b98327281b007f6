import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose, { Schema, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureEmbeddedMongoJar, startEmbeddedMongo, type EmbeddedMongo } from './embedded.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function connect(uri: string, dbName: string): Promise<Connection> {
  return mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise();
}

beforeAll(async () => {
  await ensureEmbeddedMongoJar();
});

describe('embedded mongo, memory mode', () => {
  let mongo: EmbeddedMongo;
  let conn: Connection;

  beforeAll(async () => {
    const port = await freePort();
    mongo = await startEmbeddedMongo({ mode: 'memory', port });
    expect(mongo.port).toBe(port);
    expect(mongo.uri).toBe(`mongodb://127.0.0.1:${port}/`);
    conn = await connect(mongo.uri, 'embedded_test');
  });

  afterAll(async () => {
    await conn?.close();
    await mongo?.stop();
  });

  it('enforces a unique index created by syncIndexes (E11000)', async () => {
    const User = conn.model('User', new Schema({ phone: { type: String, required: true, unique: true }, name: String }));
    await User.syncIndexes();
    await User.create({ phone: '13800000001', name: 'a' });
    const err = await User.create({ phone: '13800000001', name: 'b' }).then(
      () => null,
      (e: unknown) => e as { code?: number; message: string },
    );
    expect(err).not.toBeNull();
    expect(err!.code).toBe(11000);
    expect(err!.message).toMatch(/E11000/);
    expect(await User.countDocuments()).toBe(1);
  });

  it('lets exactly one of 50 concurrent guarded findOneAndUpdate calls win', async () => {
    const Task = conn.model('Task', new Schema({ _id: String, claimedBy: { type: Number, default: null } }));
    await Task.create({ _id: 'task-1' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        Task.findOneAndUpdate({ _id: 'task-1', claimedBy: null }, { $set: { claimedBy: i } }, { returnDocument: 'after' }).lean(),
      ),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    const doc = await Task.findById('task-1').lean();
    expect(doc!.claimedBy).toBe(winners[0]!.claimedBy);
  });

  it('supports change streams (oplog enabled)', async () => {
    const Event = conn.model('Event', new Schema({ kind: String }));
    await Event.createCollection();
    const stream = Event.watch([], { fullDocument: 'updateLookup' });
    try {
      const next = new Promise<any>((resolve, reject) => {
        stream.once('change', resolve);
        stream.once('error', reject);
      });
      // give the driver a moment to open the cursor before writing
      await new Promise((r) => setTimeout(r, 300));
      await Event.create({ kind: 'ping' });
      const change = await Promise.race([
        next,
        new Promise((_, reject) => setTimeout(() => reject(new Error('no change event within 10 s')), 10_000)),
      ]);
      expect(change.operationType).toBe('insert');
      expect(change.fullDocument.kind).toBe('ping');
    } finally {
      await stream.close();
    }
  });
});

describe('embedded mongo, file mode (H2)', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'embedded-mongo-test-'));
  });

  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps data across a stop and restart on the same file', async () => {
    const schema = new Schema({ key: { type: String, unique: true }, n: Number, at: Date });

    const first = await startEmbeddedMongo({ mode: 'file', dataDir });
    try {
      const conn = await connect(first.uri, 'persist_test');
      const Item = conn.model('Item', schema);
      await Item.syncIndexes();
      await Item.create([
        { key: 'a', n: 1, at: new Date('2024-01-02T03:04:05Z') },
        { key: 'b', n: 2, at: new Date() },
      ]);
      await Item.updateOne({ key: 'a' }, { $inc: { n: 41 } });
      await conn.close();
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedMongo({ mode: 'file', dataDir });
    try {
      const conn = await connect(second.uri, 'persist_test');
      const Item = conn.model('Item', schema);
      const a = await Item.findOne({ key: 'a' }).lean();
      expect(a?.n).toBe(42);
      expect(a?.at?.toISOString()).toBe('2024-01-02T03:04:05.000Z');
      expect(await Item.countDocuments()).toBe(2);
      // the unique index survived too
      const err = await Item.create({ key: 'b', n: 3 }).then(
        () => null,
        (e: unknown) => e as { code?: number },
      );
      expect(err?.code).toBe(11000);
      await conn.close();
    } finally {
      await second.stop();
    }
  });

  it('supports change streams on the H2 backend', async () => {
    const mongo = await startEmbeddedMongo({ mode: 'file', dataDir, fileName: 'watch.mv', oplog: true });
    try {
      const conn = await connect(mongo.uri, 'watch_test');
      const Event = conn.model('Event', new Schema({ kind: String }));
      await Event.createCollection();
      const stream = Event.watch();
      try {
        const next = new Promise<any>((resolve, reject) => {
          stream.once('change', resolve);
          stream.once('error', reject);
        });
        await new Promise((r) => setTimeout(r, 300));
        await Event.create({ kind: 'ping' });
        const change = await Promise.race([
          next,
          new Promise((_, reject) => setTimeout(() => reject(new Error('no change event within 10 s')), 10_000)),
        ]);
        expect(change.operationType).toBe('insert');
      } finally {
        await stream.close();
        await conn.close();
      }
    } finally {
      await mongo.stop();
    }
  });

  it('fails with a clear error (stderr tail) when the file is locked by another server', async () => {
    const mongo = await startEmbeddedMongo({ mode: 'file', dataDir, fileName: 'locked.mv' });
    try {
      await expect(startEmbeddedMongo({ mode: 'file', dataDir, fileName: 'locked.mv', readyTimeoutMs: 30_000 })).rejects.toThrow(
        /exited before ready[\s\S]*stderr/,
      );
    } finally {
      await mongo.stop();
    }
  });
});
