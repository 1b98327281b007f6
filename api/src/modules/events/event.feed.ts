import mongoose from 'mongoose';
import type { EventRecord } from './event.model';
import { EventModel } from './event.model';
import { latestEventSeq, readEventsAfter } from './event.service';

/**
 * One reader of the event log per API process, fanned out to every open live stream of that process.
 *
 * Before, each open console polled the events collection twice a second: 2,000 idle consoles were 4,000
 * queries a second. Now the process reads the log once per tick (or as soon as a change stream says
 * something was inserted, on a real replica set) into a ring buffer, and each stream takes what it has
 * not seen from the buffer, filtered for its subscriber. The log in the database stays the only source
 * of truth (SPEC §6): order, holes and the gap grace are those of `readEventsAfter`, and a stream that
 * resumes from before the buffer (a reconnect after a long pause) reads its way up from the database.
 */

export interface FeedOptions {
  /** How often the reader looks for new events when nothing wakes it. */
  pollMs?: number;
  /** How many recent events the buffer keeps for streams that fall behind or resume. */
  bufferSize?: number;
  /** Wake on inserts through a change stream (replica sets); polling stays on as a safety net. */
  changeStream?: boolean;
}

type Waiter = () => void;

export class EventFeed {
  private buffer: EventRecord[] = [];
  /** Last seq read into the buffer; null until the reader has started. */
  private cursor: number | null = null;
  private waiters = new Set<Waiter>();
  private subscribers = 0;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private stopped = false;
  private watcher: { close(): Promise<void> } | null = null;
  /** Reads of the log by this process (for the bench: one reader, not one per console). */
  reads = 0;

  constructor(private opts: FeedOptions = {}) {}

  /** A fresh start on a (new) database connection, with these options. */
  reset(opts: FeedOptions = this.opts) {
    this.stop();
    this.opts = opts;
  }

  get pollMs() {
    return this.opts.pollMs ?? 500;
  }

  /** Streams events with seq > after that pass `filter`, until `signal` aborts. */
  async *stream(
    after: number | null,
    o: { signal?: AbortSignal; filter?: (e: EventRecord) => boolean; keepAliveMs?: number } = {},
  ): AsyncGenerator<EventRecord[]> {
    this.subscribers++;
    try {
      await this.ensureRunning();
      let last = after ?? this.cursor ?? (await latestEventSeq());
      while (!o.signal?.aborted) {
        const { events, last: upTo } = await this.after(last);
        last = upTo;
        const mine = o.filter ? events.filter(o.filter) : events;
        if (mine.length) yield mine;
        if (events.length === 0) {
          const more = await this.changed(o.signal, o.keepAliveMs ?? 15_000);
          if (!more) yield []; // a tick with nothing: lets the caller re-check its session
        }
      }
    } finally {
      this.subscribers--;
      if (this.subscribers === 0) this.pause();
    }
  }

  /** Events after `seq`: from the buffer when it covers them, otherwise from the database. */
  private async after(seq: number): Promise<{ events: EventRecord[]; last: number }> {
    const cursor = this.cursor ?? seq;
    const from = this.buffer.length ? this.buffer[0].seq - 1 : cursor;
    if (seq >= from && seq <= cursor) {
      let lo = 0;
      let hi = this.buffer.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.buffer[mid].seq <= seq) lo = mid + 1;
        else hi = mid;
      }
      const events = this.buffer.slice(lo);
      return { events, last: events.length ? events[events.length - 1].seq : seq };
    }
    if (seq > cursor) return { events: [], last: seq };
    this.reads++;
    return readEventsAfter(seq, { limit: 500 });
  }

  private changed(signal: AbortSignal | undefined, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        clearTimeout(t);
        this.waiters.delete(wake);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const wake = () => done(true);
      const onAbort = () => done(false);
      const t = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private starting: Promise<void> | null = null;

  private async ensureRunning() {
    this.stopped = false;
    // Streams opening together share one start: the cursor is set once and never moved back.
    if (this.cursor === null) {
      this.starting ??= latestEventSeq().then((latest) => {
        if (this.cursor === null) this.cursor = latest;
        this.starting = null;
      });
      await this.starting;
    }
    if (!this.timer && !this.reading) this.schedule(0);
    if (this.opts.changeStream && !this.watcher) this.watch();
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick().finally(() => this.schedule(this.pollMs));
    }, ms);
    this.timer.unref?.();
  }

  /** One read of the log into the buffer; concurrent wake-ups share it. */
  private tick(): Promise<void> {
    if (this.reading) return this.reading;
    this.reading = (async () => {
      try {
        for (;;) {
          const from = this.cursor ?? 0;
          this.reads++;
          const { events, last } = await readEventsAfter(from, { limit: 500 });
          this.cursor = last;
          if (events.length) {
            this.buffer.push(...events);
            const max = this.opts.bufferSize ?? 10_000;
            if (this.buffer.length > max) this.buffer.splice(0, this.buffer.length - max);
          }
          if (last !== from) for (const w of [...this.waiters]) w();
          if (events.length < 500) break;
        }
      } catch {
        // The database is away: the next tick tries again; streams keep waiting.
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }

  /** On a replica set, an insert into the log wakes the reader at once instead of at the next tick. */
  private watch() {
    try {
      const stream = EventModel.watch([{ $match: { operationType: 'insert' } }], { batchSize: 100 });
      stream.on('change', () => void this.tick());
      stream.on('error', () => {
        this.watcher = null; // polling carries on; the next stream start tries again
      });
      this.watcher = stream;
    } catch {
      this.watcher = null;
    }
  }

  private pause() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.watcher?.close().catch(() => undefined);
    this.watcher = null;
    // Keep the cursor: the next subscriber starts where this process left off.
  }

  /** For tests and shutdown. */
  stop() {
    this.pause();
    this.buffer = [];
    this.cursor = null;
  }
}

/** Whether the connected server is a replica set member (change streams available). The embedded server is not treated as one. */
export async function supportsChangeStreams(): Promise<boolean> {
  try {
    const hello = (await mongoose.connection.db?.admin().command({ hello: 1 })) as { setName?: string } | undefined;
    return Boolean(hello?.setName);
  } catch {
    return false;
  }
}

/** The process's one feed. */
export const eventFeed = new EventFeed();
