import mongoose, { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../testing/harness';
import { EventFeed } from './event.feed';
import { EventModel, type EventRecord } from './event.model';

beforeAll(async () => {
  await useTestDatabase();
});
afterAll(async () => {
  await mongoose.connection.db?.dropDatabase().catch(() => undefined);
  await mongoose.disconnect();
});

let seq = 0;
async function publish(n: number, regionId: Types.ObjectId | null = null) {
  const now = new Date();
  const docs = Array.from({ length: n }, () => ({
    seq: ++seq,
    key: `k${seq}`,
    type: 'order.created',
    orderId: new Types.ObjectId(),
    regionId,
    at: now,
    publishedAt: now,
    payload: {},
  }));
  await EventModel.insertMany(docs);
}

/** Collects what one stream yields until it has `want` events (or the time is up). */
function collect(feed: EventFeed, after: number | null, want: number, filter?: (e: EventRecord) => boolean) {
  const ac = new AbortController();
  const got: number[] = [];
  const done = (async () => {
    const timer = setTimeout(() => ac.abort(), 10_000);
    for await (const batch of feed.stream(after, { signal: ac.signal, filter, keepAliveMs: 200 })) {
      got.push(...batch.map((e) => e.seq));
      if (got.length >= want) break;
    }
    clearTimeout(timer);
    return got;
  })();
  return { done, stop: () => ac.abort() };
}

describe('one reader of the event log per process', () => {
  it('500 open streams get every event once, in order, from one reader', async () => {
    const feed = new EventFeed({ pollMs: 50 });
    const start = seq;
    const streams = Array.from({ length: 500 }, () => collect(feed, start, 20));
    await new Promise((r) => setTimeout(r, 300));
    const readsBefore = feed.reads;
    await publish(10);
    await new Promise((r) => setTimeout(r, 200));
    await publish(10);
    const results = await Promise.all(streams.map((s) => s.done));
    const expected = Array.from({ length: 20 }, (_, i) => start + 1 + i);
    for (const r of results) expect(r).toEqual(expected);
    // The reader ticks on its own clock: a few reads for the whole process, not one per stream.
    expect(feed.reads - readsBefore).toBeLessThan(40);
    feed.stop();
  });

  it('a stream resuming from before the buffer reads its way up from the database, then follows live', async () => {
    const feed = new EventFeed({ pollMs: 50, bufferSize: 5 });
    const start = seq;
    await publish(30);
    const warm = collect(feed, seq, 0); // starts the reader at the newest event
    await new Promise((r) => setTimeout(r, 150));
    const resumed = collect(feed, start, 35);
    await new Promise((r) => setTimeout(r, 150));
    await publish(5);
    expect(await resumed.done).toEqual(Array.from({ length: 35 }, (_, i) => start + 1 + i));
    warm.stop();
    feed.stop();
  });

  it('filters per subscriber: a regional console sees only its region', async () => {
    const feed = new EventFeed({ pollMs: 50 });
    const a = new Types.ObjectId();
    const b = new Types.ObjectId();
    const start = seq;
    const onlyA = collect(feed, start, 3, (e) => e.regionId !== null && e.regionId.equals(a));
    const all = collect(feed, start, 6);
    await publish(3, a);
    await publish(3, b);
    expect(await onlyA.done).toEqual([start + 1, start + 2, start + 3]);
    expect(await all.done).toHaveLength(6);
    feed.stop();
  });
});
